"""Digitizing paper (Django app): scan jobs of an agency, from the clerk's upload page or
from the agency's watched consume folder, run in the background worker through
:mod:`vanban.digitize` (OCR to PDF/A with a text layer, fields of the document, a secrecy
stamp) with their progress saved page by page; then the clerk registers the result as an
incoming paper document or attaches it to one that exists only on paper (both through
the registry's flow, :mod:`vanban.registry.services`).

The pages (:mod:`vanban.web`) use the modules in ``PUBLIC_MODULES``."""

PUBLIC_MODULES = ("models", "services", "states", "errors", "conf", "consume")
