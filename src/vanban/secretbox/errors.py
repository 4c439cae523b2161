"""The secret box's errors: a missing, malformed or wrong key-encryption key, a damaged file."""

from __future__ import annotations

from vanban.errors import DomainError

__all__ = ["SecretBoxError"]


class SecretBoxError(DomainError):
    """A sealed secret cannot be opened or a KEK cannot be used (codes ``kek_*``, ``sealed_*``)."""

    code = "secretbox_error"
