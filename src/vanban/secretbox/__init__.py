"""Secrets at rest: one small pure library (no Django) for everything the system keeps
encrypted on its own disk or in its database.

- :mod:`.box`: files sealed with a key-encryption key (KEK, AES-256-GCM); the header names
  the KEK's id, so a rotation tells files under the old KEK from files under the new one.
- :mod:`.kek`: a KEK from its base64 text, from a file, or generated once into a private file.
- :mod:`.files`: private files and folders (0600/0700), written atomically.
- :mod:`.text`: short secrets (tokens, shared secrets) sealed under a key derived from a
  passphrase (HKDF-SHA256 with a label per use); Fernet tokens of older versions still open.
"""

from vanban.secretbox.box import HEADER_MAGIC, is_sealed, open_sealed, seal, sealed_kek_id
from vanban.secretbox.errors import SecretBoxError
from vanban.secretbox.files import ensure_private_dir, is_exposed, make_private, write_private
from vanban.secretbox.kek import KEK, generate_kek_text, kek_from_file, kek_from_text, load_or_create_kek
from vanban.secretbox.text import derive_key, seal_text, unseal_text

__all__ = [
    "HEADER_MAGIC",
    "KEK",
    "SecretBoxError",
    "derive_key",
    "ensure_private_dir",
    "generate_kek_text",
    "is_exposed",
    "is_sealed",
    "kek_from_file",
    "kek_from_text",
    "load_or_create_kek",
    "make_private",
    "open_sealed",
    "seal",
    "seal_text",
    "sealed_kek_id",
    "unseal_text",
    "write_private",
]
