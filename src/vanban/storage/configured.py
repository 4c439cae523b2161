"""The store of each namespace as the settings say: ``VANBAN_STORAGE = "local"`` (fsynced
files under ``FILES_DIR/<namespace>/``) or ``"s3"`` (the bucket of
``STORAGES["vanban"]``, django-storages). The settings are read on each call, so a change
(a test's ``settings`` fixture) takes effect at once; Django keeps the S3 client."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import storages

from vanban.storage.base import NAMESPACES, BlobStore
from vanban.storage.local import LocalStore
from vanban.storage.objects import ObjectStore

__all__ = ["store", "STORAGE_ALIAS", "BACKENDS"]

STORAGE_ALIAS = "vanban"  # the entry of settings.STORAGES used by "s3"
BACKENDS = ("local", "s3")
# The registry's files were kept under FILES_DIR/cas/ before namespaces: they stay there.
_LOCAL_FOLDERS = {"files": "cas"}


def store(namespace: str) -> BlobStore:
    """The configured store of ``namespace`` (``files``, ``connector`` or ``hub``)."""
    backend = getattr(settings, "VANBAN_STORAGE", "local")
    if backend == "local":
        files_dir = settings.FILES_DIR
        found = _local.get((namespace, files_dir))
        if found is None:
            _known(namespace)
            if len(_local) > 64:  # FILES_DIR changed many times (tests)
                _local.clear()
            found = _local[(namespace, files_dir)] = LocalStore(
                Path(files_dir) / _LOCAL_FOLDERS.get(namespace, namespace), namespace
            )
        return found
    _known(namespace)
    if backend == "s3":
        return ObjectStore(storages[STORAGE_ALIAS], namespace)
    raise ImproperlyConfigured(f"VANBAN_STORAGE must be one of {', '.join(BACKENDS)}, not {backend!r}")


# the hub asks for its store on every package: the local ones are kept by FILES_DIR
_local: dict[tuple[str, object], LocalStore] = {}


def _known(namespace: str) -> None:
    if namespace not in NAMESPACES:
        raise ValueError(f"unknown storage namespace {namespace!r} (one of {', '.join(NAMESPACES)})")
