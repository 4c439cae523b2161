"""Encryption of the hub token at rest (:mod:`vanban.secretbox.text`: AES-256-GCM).

The key is derived from Django's ``SECRET_KEY`` (HKDF-SHA256, its own label), so a copy
of the database alone does not reveal the tokens; whoever has both the database and the
secret key has them. Rotating ``SECRET_KEY`` therefore means setting the accounts again.
"""

from __future__ import annotations

from django.conf import settings

from vanban.secretbox import derive_key, seal_text, unseal_text


def _key() -> bytes:
    return derive_key(settings.SECRET_KEY, b"vanban.connector.hub-token")


def seal(plain: str) -> str:
    return seal_text(plain, _key())


def unseal(token: str) -> str:
    return unseal_text(token, _key()) or ""
