"""Encryption of the hub token at rest (Fernet: AES-128-CBC + HMAC-SHA256).

The key is derived from Django's ``SECRET_KEY`` (HKDF-SHA256, its own label), so a copy
of the database alone does not reveal the tokens; whoever has both the database and the
secret key has them. Rotating ``SECRET_KEY`` therefore means setting the accounts again.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


def _fernet() -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"vanban.connector.hub-token").derive(
        settings.SECRET_KEY.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


def seal(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode()


def unseal(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return ""
