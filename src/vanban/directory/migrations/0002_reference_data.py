"""Seed the reference data from directory/data/reference.json (not Python literals)."""

from django.db import migrations


def seed(apps, schema_editor):
    from vanban.directory.reference import load_reference

    load_reference(lambda name: apps.get_model("directory", name))


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
