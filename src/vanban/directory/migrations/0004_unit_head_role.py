"""The role "Trưởng đơn vị" (head of a unit: the person's own unit), added to the reference
data; loading only inserts what is missing, so an administrator's edits stay."""

from django.db import migrations


def seed(apps, schema_editor):
    from vanban.directory.reference import load_reference

    load_reference(lambda name: apps.get_model("directory", name))


class Migration(migrations.Migration):
    dependencies = [("directory", "0003_agency_place")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
