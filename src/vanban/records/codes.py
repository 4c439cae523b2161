"""The code lists and rules kept as data (``data/retention.json``, ``data/metadata.json``):
the TT 05/2025 ``maintenance`` codes, the language, use-mode and confidence lists, and the
required metadata fields. Several are marked unconfirmed in the spec: change the files,
not the code."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

__all__ = [
    "retention_data",
    "metadata_data",
    "maintenance_code",
    "field_label",
    "required_dossier_fields",
    "required_document_fields",
    "language_label",
]

DATA = Path(__file__).with_name("data")


@cache
def retention_data() -> dict[str, Any]:
    return json.loads((DATA / "retention.json").read_text(encoding="utf-8"))


@cache
def metadata_data() -> dict[str, Any]:
    return json.loads((DATA / "metadata.json").read_text(encoding="utf-8"))


def maintenance_code(years: int | None) -> str:
    """The TT 05/2025 ``maintenance`` code of a retention period (None: vĩnh viễn); a
    period the list does not name is ``07`` (Khác)."""
    other = "07"
    for row in retention_data()["maintenance"]:
        if row["years"] == "other":
            other = row["code"]
        elif row["years"] == years:
            return row["code"]
    return other


def field_label(name: str) -> str:
    return metadata_data()["field_labels"].get(name, name)


def required_dossier_fields() -> list[str]:
    return list(metadata_data()["required_dossier_fields"])


def required_document_fields() -> list[str]:
    return list(metadata_data()["required_document_fields"])


def language_label(code: str) -> str:
    languages = metadata_data()["languages"]
    return ", ".join(languages.get(c.strip(), c.strip()) for c in code.split(",") if c.strip())
