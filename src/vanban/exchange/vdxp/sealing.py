"""The VDXP system secrets sealed at rest (Fernet: AES-128-CBC + HMAC-SHA256).

A hub verifying HMAC-SHA256 must hold the secret itself (a hash of it cannot recompute the
HMAC), so the secret is encrypted, not hashed. The key is ``VANBAN_VDXP_SECRET_KEY`` when set,
else derived from Django's ``SECRET_KEY`` (HKDF-SHA256, its own label): a copy of the database
alone does not give the secrets away; whoever has the database *and* the key has them.
"""

from __future__ import annotations

import base64
import functools

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from vanban.exchange.conf import _get


def _fernet() -> Fernet:
    return _fernet_for(_get("VANBAN_VDXP_SECRET_KEY") or settings.SECRET_KEY)


@functools.lru_cache(maxsize=4)
def _fernet_for(material: str) -> Fernet:
    """The key derived from ``material`` (once per process and material)."""
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"vanban.exchange.vdxp-secret").derive(
        material.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


def seal(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode()


def unseal(token: str) -> str | None:
    """The secret, or ``None`` when it was sealed with another key."""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return None
