"""Database backends of vanban: Django's, with what a busy server needs (see the modules)."""
