"""``vanban keys status|encrypt|rotate|generate-kek``: the key files the server keeps, sealed
with the key-encryption key (KEK) of the settings (:mod:`vanban.keystore`, docs/operator.md).

- ``status``: each key file, sealed or plain, under which KEK, and whether other users may
  read it; exit 1 when one is plain, under another KEK, exposed or missing.
- ``encrypt``: seal the plain ones under the current KEK (and make them 0600).
- ``rotate``: seal every key file under the new KEK (``VANBAN_NEW_KEY_ENCRYPTION_KEY`` or
  ``..._FILE``), one file at a time atomically (temporary file, fsync, rename); a rotation
  interrupted midway is run again and skips the files already done. ``--install`` then writes
  the new KEK into the default KEK file (when the settings use that file).
- ``generate-kek``: print a new KEK (base64) for a secret store; nothing is written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from vanban.cli import EXIT_FAILED, CommandError, django_setup, help_command


def register(subparsers: argparse._SubParsersAction) -> None:
    keys = subparsers.add_parser("keys", help="key files kept by the server: sealed status, encrypt, rotate the KEK")
    sub = keys.add_subparsers(dest="keys_command", metavar="ACTION")
    keys.set_defaults(func=help_command(keys))
    status = sub.add_parser("status", help="list the key files: sealed or plain, KEK id, readable by others")
    status.set_defaults(func=run_status)
    encrypt = sub.add_parser("encrypt", help="seal the plain key files under the current KEK")
    encrypt.set_defaults(func=run_encrypt)
    rotate = sub.add_parser("rotate", help="re-seal every key file under the new KEK (VANBAN_NEW_KEY_ENCRYPTION_KEY)")
    rotate.add_argument(
        "--install", action="store_true", help="then write the new KEK into the default KEK file of the data folder"
    )
    rotate.set_defaults(func=run_rotate)
    generate = sub.add_parser("generate-kek", help="print a new key-encryption key (base64 of 32 bytes)")
    generate.set_defaults(func=run_generate)


def _states():
    django_setup.setup()
    from vanban.keystore.inventory import key_files, state_of

    return [state_of(p) for p in key_files()]


def run_status(args: argparse.Namespace) -> int:
    from vanban.keystore import current_kek, kek_file_path

    states = _states()
    kek = current_kek()
    where = kek_file_path()
    print(f"Khóa mã hóa khóa (KEK) đang dùng: mã {kek.id} ({'tệp ' + str(where) if where else 'biến môi trường'})")
    problems = 0
    for s in states:
        if not s.exists:
            line, bad = "không tìm thấy", True
        elif s.kek_id is None:
            line, bad = "CHƯA MÃ HÓA", True
        elif s.kek_id != kek.id:
            line, bad = f"mã hóa bằng KEK khác ({s.kek_id})", True
        else:
            line, bad = f"đã mã hóa (KEK {s.kek_id})", False
        if s.exposed:
            line, bad = line + ", người dùng khác đọc được", True
        problems += bad
        print(f"  {s.path}: {line}")
    sealed = sum(1 for s in states if s.exists and s.kek_id == kek.id)
    print(f"Tổng: {len(states)} tệp khóa, {sealed} đã mã hóa bằng KEK hiện tại, {problems} cần xử lý.")
    return EXIT_FAILED if problems else 0


def run_encrypt(args: argparse.Namespace) -> int:
    from vanban.keystore import current_kek, reseal_file
    from vanban.secretbox import make_private

    states = _states()
    kek = current_kek()
    done = 0
    for s in states:
        if s.exists and s.kek_id is None:
            reseal_file(s.path, None, kek)
            done += 1
            print(f"  đã mã hóa: {s.path}")
        elif s.exists and s.exposed:
            make_private(s.path)
    print(f"Đã mã hóa {done} tệp khóa bằng KEK {kek.id}; {len(states) - done} tệp không cần đổi.")
    return 0


def run_rotate(args: argparse.Namespace) -> int:
    from vanban.keystore import current_kek, kek_file_path, new_kek, reseal_file
    from vanban.secretbox import write_private

    states = _states()
    new = new_kek()
    old = current_kek()
    if args.install and (kek_file_path() is None or kek_file_path() != _default_kek_file()):
        raise CommandError(
            "--install chỉ dùng khi KEK nằm trong tệp mặc định của thư mục dữ liệu; "
            "với KEK từ biến môi trường hay tệp bí mật, hãy tự thay khóa ở đó sau khi xoay vòng."
        )
    changed = skipped = 0
    missing = [s.path for s in states if not s.exists]
    for s in states:
        if not s.exists:
            continue
        if reseal_file(s.path, old, new):
            changed += 1
        else:
            skipped += 1
    print(
        f"Đã xoay vòng sang KEK {new.id}: {changed} tệp mã hóa lại, {skipped} tệp đã dùng KEK mới từ trước"
        f"{f', {len(missing)} tệp không tìm thấy' if missing else ''}."
    )
    if args.install:
        path = kek_file_path()
        assert path is not None
        write_private(path, (_text_of(new) + "\n").encode("ascii"))
        print(f"Đã ghi KEK mới vào {path}.")
    else:
        print("Tiếp theo: đặt VANBAN_KEY_ENCRYPTION_KEY (hoặc ..._FILE) bằng KEK mới rồi khởi động lại dịch vụ.")
    for path in missing:
        print(f"  không tìm thấy: {path}", file=sys.stderr)
    return 0


def _default_kek_file() -> Path:
    from django.conf import settings

    return Path(settings.VAR_DIR) / "key-encryption-key"


def _text_of(kek) -> str:
    import base64

    return base64.b64encode(kek.key).decode("ascii")


def run_generate(args: argparse.Namespace) -> int:
    from vanban.secretbox import generate_kek_text

    print(generate_kek_text())
    return 0
