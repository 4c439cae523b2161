"""The VDXP system secrets sealed at rest (:mod:`vanban.secretbox.text`: AES-256-GCM).

A hub verifying HMAC-SHA256 must hold the secret itself (a hash of it cannot recompute the
HMAC), so the secret is encrypted, not hashed. The key is ``VANBAN_VDXP_SECRET_KEY`` when set,
else derived from Django's ``SECRET_KEY`` (HKDF-SHA256, its own label): a copy of the database
alone does not give the secrets away; whoever has the database *and* the key has them.
"""

from __future__ import annotations

from django.conf import settings

from vanban.exchange.conf import _get
from vanban.secretbox import derive_key, seal_text, unseal_text


def _key() -> bytes:
    return derive_key(_get("VANBAN_VDXP_SECRET_KEY") or settings.SECRET_KEY, b"vanban.exchange.vdxp-secret")


def seal(plain: str) -> str:
    return seal_text(plain, _key())


def unseal(token: str) -> str | None:
    """The secret, or ``None`` when it was sealed with another key."""
    return unseal_text(token, _key())
