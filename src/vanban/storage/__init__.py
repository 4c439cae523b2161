"""Every file the office and the hub keep, through one interface (:class:`BlobStore`):
content-addressed by SHA-256 under ``<namespace>/ab/cd/<sha256>``, namespaces ``files``
(the registry's documents), ``connector`` (an office's packages) and ``hub`` (the hub's).

- :class:`LocalStore`: fsynced files on local disk (:mod:`vanban.transport.durable`);
- :class:`ObjectStore`: an S3-compatible bucket through django-storages (boto3);
- :func:`store`: the configured store of a namespace (``VANBAN_STORAGE``, see
  ``docs/operator.md``); :func:`put_bytes` / :func:`get_bytes` / :func:`exists`: the
  registry's ``files`` namespace.

The core (:mod:`.base`, :mod:`.local`, :mod:`.errors`) does not use Django; the object store
and the configuration do."""

from vanban.storage.base import NAMESPACES, BlobStore, key_for
from vanban.storage.configured import store
from vanban.storage.errors import BlobCorrupt, BlobMissing, FileNotStored, StorageError
from vanban.storage.files import exists, get_bytes, put_bytes
from vanban.storage.local import LocalStore
from vanban.storage.objects import ObjectStore

__all__ = [
    "BlobStore",
    "LocalStore",
    "ObjectStore",
    "NAMESPACES",
    "key_for",
    "store",
    "StorageError",
    "BlobMissing",
    "BlobCorrupt",
    "FileNotStored",
    "put_bytes",
    "get_bytes",
    "exists",
]
