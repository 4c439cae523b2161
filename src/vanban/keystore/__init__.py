"""Key files kept by the server (people's and agencies' PKCS#12 files, PEM keys, the demo
CA's key), sealed at rest with the key-encryption key (KEK) the settings name.

The KEK comes from ``VANBAN_KEY_ENCRYPTION_KEY`` (base64 of 32 bytes) or the file named by
``VANBAN_KEY_ENCRYPTION_KEY_FILE``; with neither, one is generated on first use into
``<VANBAN_VAR_DIR>/key-encryption-key`` (mode 0600). :func:`read_key` opens a key file in
memory (plain files of older installs still load); :func:`write_key` writes one sealed.
The listing of key files for ``vanban keys`` is in :mod:`vanban.keystore.inventory`.
"""

from vanban.keystore.config import current_kek, kek_file_path, new_kek
from vanban.keystore.keyfiles import read_key, reseal_file, write_key

__all__ = ["current_kek", "kek_file_path", "new_kek", "read_key", "reseal_file", "write_key"]
