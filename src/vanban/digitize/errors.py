"""One error base for the digitizing library, on :class:`vanban.errors.DomainError`.

Every refusal has a stable ``code`` (``not_image_or_pdf``, ``encrypted_pdf``, ``empty_file``,
``decompression_bomb``, ``too_many_pages``, ``ocr_failed``, ``timeout``) and a message in
Vietnamese for the clerk and one in English for logs."""

from __future__ import annotations

from vanban.errors import DomainError

__all__ = ["DigitizeError"]


class DigitizeError(DomainError):
    """The scan cannot be digitized: ``code``, ``message_vi`` (shown to people), ``message_en``.

    Constructed as ``DigitizeError(code, message_vi, message_en)``."""

    code = "digitize_error"

    def __init__(self, code: str, message_vi: str, message_en: str = "", *, retryable: bool = False) -> None:
        super().__init__(message_vi, message_en, code=code, retryable=retryable)
