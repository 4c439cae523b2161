"""One error base for the signing library, on :class:`vanban.errors.DomainError`: a stable
machine ``code`` and messages in Vietnamese and English. Validation never raises these for a
bad PDF: it returns a :class:`~vanban.signing.validation.ValidationResult` with a verdict instead."""

from __future__ import annotations

from vanban.errors import DomainError

__all__ = ["SigningError"]


class SigningError(DomainError):
    """A signing-side failure (bad key file, token not found, remote signer down...).

    ``code`` is stable and machine-readable (``snake_case``, never reused);
    ``message_vi`` is what a user reads; ``message_en`` is for logs.
    ``retryable`` says whether trying again later may help (remote services, tokens).
    """

    code = "signing_error"
