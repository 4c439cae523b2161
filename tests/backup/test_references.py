"""The declarations a backup relies on are complete: every field that names a stored file
or a file on disk is declared (or declared not to), and what ``migrate`` fills is known."""

from __future__ import annotations

import pytest
from django.apps import apps

from vanban.backup import FILE_REFS, NOT_FILES, PATH_FIELDS, SEEDED_TABLES
from vanban.storage import NAMESPACES


def _fields():
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            yield model._meta.label, field.name


def test_every_field_that_looks_like_a_digest_or_a_path_is_declared():
    declared = {(r.model, r.field) for r in FILE_REFS} | set(PATH_FIELDS) | set(NOT_FILES)
    looking = {(m, f) for m, f in _fields() if "sha256" in f or f.endswith("path")}
    assert looking - declared == set(), "declare these in vanban.backup.references"


def test_every_declaration_names_a_field_that_exists():
    existing = set(_fields())
    declared = {(r.model, r.field) for r in FILE_REFS} | set(PATH_FIELDS) | set(NOT_FILES)
    assert declared - existing == set()
    assert {r.namespace for r in FILE_REFS} <= set(NAMESPACES)


@pytest.mark.django_db
def test_what_migrate_fills_is_declared_as_seeded():
    filled = {
        m._meta.db_table for m in apps.get_models(include_auto_created=True) if m._meta.managed and m.objects.exists()
    }
    assert filled <= SEEDED_TABLES
