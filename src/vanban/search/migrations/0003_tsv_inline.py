"""PostgreSQL: the ``tsvector`` kept in the entry's row (``STORAGE MAIN``), the files' text
moved out instead: checking a row against a query then reads no TOAST (what the newest
entries' window and slice do for every entry they look at, ``backends.PostgresBackend``).
It applies to the entries written from then on (``vanban search reindex`` rewrites them all)."""

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE search_entry ALTER COLUMN tsv SET STORAGE MAIN")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE search_entry ALTER COLUMN tsv SET STORAGE EXTENDED")


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext")]
    operations = [migrations.RunPython(forward, backward)]
