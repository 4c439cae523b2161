"""The default roadmap targets (no province), from data/targets.json as it was when this
ran; a province's own targets are rows of their own."""

import json
from decimal import Decimal
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parents[1] / "data" / "targets.json"


def seed(apps, schema_editor):
    Target = apps.get_model("reports", "Target")
    for row in json.loads(DATA.read_text(encoding="utf-8"))["targets"]:
        if not Target.objects.filter(province=None, year=row["year"], share=row["share"]).exists():
            Target.objects.create(
                province=None,
                year=row["year"],
                share=row["share"],
                percent=Decimal(str(row["percent"])),
                at_most=bool(row.get("at_most", False)),
            )


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
