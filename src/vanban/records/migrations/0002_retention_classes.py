"""The common retention classes, from data/retention.json as it was when this ran (an
agency adds its own classes; a later change of the file does not rewrite these rows)."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parents[1] / "data" / "retention.json"


def seed(apps, schema_editor):
    RetentionClass = apps.get_model("records", "RetentionClass")
    for row in json.loads(DATA.read_text(encoding="utf-8"))["classes"]:
        if not RetentionClass.objects.filter(agency=None, code=row["code"]).exists():
            RetentionClass.objects.create(agency=None, code=row["code"], name=row["name"], years=row["years"])


class Migration(migrations.Migration):
    dependencies = [("records", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
