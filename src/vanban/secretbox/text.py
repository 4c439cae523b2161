"""Short secrets (a hub token, a VDXP shared secret) sealed as text for a database column.

The key is derived from a passphrase (Django's ``SECRET_KEY`` or a setting) with HKDF-SHA256
and a label per use, so one passphrase serves several uses without one opening another's.
New values are ``v2:`` + base64url(nonce + AES-256-GCM ciphertext); values written by older
versions (Fernet tokens under the same derived key) still open.
"""

from __future__ import annotations

import base64
import binascii
import functools
import os

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

__all__ = ["derive_key", "seal_text", "unseal_text"]

_PREFIX = "v2:"


@functools.lru_cache(maxsize=16)
def derive_key(material: str, label: bytes) -> bytes:
    """32 bytes for one use (``label``) of a passphrase (once per process and pair)."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=label).derive(material.encode())


def seal_text(plain: str, key: bytes) -> str:
    nonce = os.urandom(12)
    body = AESGCM(key).encrypt(nonce, plain.encode("utf-8"), _PREFIX.encode())
    return _PREFIX + base64.urlsafe_b64encode(nonce + body).decode("ascii")


def unseal_text(token: str, key: bytes) -> str | None:
    """The secret, or ``None`` when it was sealed with another key or is damaged."""
    if token.startswith(_PREFIX):
        try:
            raw = base64.urlsafe_b64decode(token[len(_PREFIX) :].encode("ascii"))
            return AESGCM(key).decrypt(raw[:12], raw[12:], _PREFIX.encode()).decode("utf-8")
        except (InvalidTag, binascii.Error, ValueError):
            return None
    try:  # a Fernet token from before
        return Fernet(base64.urlsafe_b64encode(key)).decrypt(token.encode()).decode()
    except (InvalidToken, ValueError):
        return None
