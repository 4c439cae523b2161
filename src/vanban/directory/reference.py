"""Loading the shared reference data (levels, roles, document types, secrecy and urgency
levels) from ``data/reference.json``. Used by the data migration with historical models,
so it receives the model classes instead of importing them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

REFERENCE_FILE = Path(__file__).with_name("data") / "reference.json"

# JSON key -> model name in this app
SECTIONS = {
    "levels": "Level",
    "roles": "Role",
    "secrecy_levels": "SecrecyLevel",
    "urgency_levels": "UrgencyLevel",
    "document_types": "DocumentType",
}


def read_reference(path: Path = REFERENCE_FILE) -> dict[str, list[dict[str, Any]]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {key: data.get(key, []) for key in SECTIONS}


def load_reference(get_model, path: Path = REFERENCE_FILE) -> dict[str, int]:
    """Insert rows whose ``code`` is not present yet; never overwrite an admin's edits."""
    counts = {}
    for key, rows in read_reference(path).items():
        model = get_model(SECTIONS[key])
        existing = set(model.objects.values_list("code", flat=True))
        new = [model(**row) for row in rows if row["code"] not in existing]
        model.objects.bulk_create(new)
        counts[key] = len(new)
    return counts
