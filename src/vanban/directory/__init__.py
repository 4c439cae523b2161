"""The directory of agencies (Django app): identifier codes, levels as data, units,
people and their roles, succession of merged agencies, and the shared reference data
(document types, secrecy and urgency levels).

Modules: ``models``; ``services`` (every change, audited); ``queries`` (tree, search,
lookup through successors); ``importer`` (``vanban directory import``); ``reference``.
"""

__all__ = ["models", "services", "queries", "importer", "reference", "errors"]

# the modules other apps may import (tests/test_boundaries.py): every one, plus the admin
# base class that audits changes made in the admin
PUBLIC_MODULES = ("models", "services", "queries", "importer", "reference", "errors", "admin")
