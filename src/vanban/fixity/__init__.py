"""Fixity of stored files (Django app): a periodic task re-reads every file the rows name
(the ``files``, ``connector`` and ``hub`` namespaces of :mod:`vanban.storage`, local or
S3), hashing it as it streams, and compares the SHA-256 with the content address; a file
that does not match or is not there is an audit event on the chain of each agency whose
rows name it, and an e-mail to those agencies' administrators (to the superusers and the
provincial administrators when no agency's administrator can be reached).

The store is walked in batches (``VANBAN_FIXITY_BATCH`` rows a run, every
``VANBAN_FIXITY_SECONDS``), resuming where the last run stopped
(:class:`~vanban.fixity.models.FixityState`), so a big store is checked over several runs.

Public: :func:`~vanban.fixity.services.check_batch`, :func:`~vanban.fixity.services.check_all`,
:class:`~vanban.fixity.services.FixityReport`, :class:`~vanban.fixity.services.Finding`,
``vanban storage fixity`` (:mod:`vanban.cli.storage_cmd`).
"""

__all__ = ["services", "models", "tasks"]

PUBLIC_MODULES = ("services", "models", "tasks")
