"""One error base for the signing library: a stable machine ``code`` and messages in
Vietnamese and English. Validation never raises these for a bad PDF: it returns a
:class:`~vanban.signing.validation.ValidationResult` with a verdict instead."""

from __future__ import annotations

__all__ = ["SigningError"]


class SigningError(Exception):
    """A signing-side failure (bad key file, token not found, remote signer down...).

    ``code`` is stable and machine-readable (``snake_case``, never reused);
    ``message_vi`` is what a user reads; ``message_en`` is for logs.
    ``retryable`` says whether trying again later may help (remote services, tokens).
    """

    def __init__(self, code: str, message_vi: str, message_en: str, *, retryable: bool = False) -> None:
        super().__init__(message_en)
        self.code = code
        self.message_vi = message_vi
        self.message_en = message_en
        self.retryable = retryable

    def __str__(self) -> str:
        return self.message_vi

    def __repr__(self) -> str:
        return f"SigningError({self.code!r}, {self.message_en!r})"
