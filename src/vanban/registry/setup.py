"""Setting an agency up for documents: its default registers and its people's and its
own signing keys (key files kept by the server, with signature/seal images)."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from vanban.directory.models import Agency, Person
from vanban.registry.files import store
from vanban.registry.models import Register, SigningKey
from vanban.signing import check_png

DEFAULT_REGISTERS = [
    (Register.KIND_OUTGOING, "Sổ văn bản đi", False),
    (Register.KIND_OUTGOING, "Sổ văn bản đi mật", True),
    (Register.KIND_INCOMING, "Sổ văn bản đến", False),
    (Register.KIND_INCOMING, "Sổ văn bản đến mật", True),
]


@transaction.atomic
def ensure_registers(agency: Agency) -> list[Register]:
    """The general and the secret outgoing and incoming registers, created if missing."""
    out = []
    for kind, name, secret in DEFAULT_REGISTERS:
        reg, _ = Register.objects.get_or_create(agency=agency, kind=kind, name=name, defaults={"secret": secret})
        out.append(reg)
    return out


@transaction.atomic
def register_key_file(
    owner: Person | Agency, path: Path, certificate_pem: str, image_png: bytes | None = None
) -> SigningKey:
    """Record a PKCS#12 key file kept by the server for ``owner`` (replacing older rows; a
    remote signing account stays: it is another way to sign)."""
    field = "person" if isinstance(owner, Person) else "agency"
    SigningKey.objects.filter(**{field: owner}).exclude(kind=SigningKey.KIND_REMOTE).update(active=False)
    image = None
    if image_png is not None:
        check_png(image_png)
        image = store(image_png, f"{field}-{owner.pk}.png", "image/png")
    return SigningKey.objects.create(
        **{field: owner}, kind=SigningKey.KIND_FILE, path=str(path), certificate_pem=certificate_pem, image=image
    )
