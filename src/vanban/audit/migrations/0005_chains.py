"""One audit chain per agency, one for the hub, one for the rest (``system``).

Events already written stay where they were, on the one chain there was, which becomes
the ``system`` chain: their number in it is their ``seq``, their hashes do not change
(the system chain's content names no chain). On PostgreSQL the order of the whole log
(``seq``) comes from a sequence from now on, so writers of different chains never wait
for each other to number an event."""

from django.db import migrations, models

SEQUENCE = "audit_event_seq"


def create_sequence(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cur:
        # 0002 wrote the one head with an explicit id: move the id sequence past it, as
        # heads are now added by plain INSERTs
        cur.execute(
            "SELECT setval(pg_get_serial_sequence('audit_auditchainhead', 'id'), "
            "COALESCE((SELECT MAX(id) FROM audit_auditchainhead), 0) + 1, false)"
        )
        cur.execute(f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE}")
        cur.execute(f"SELECT setval('{SEQUENCE}', COALESCE((SELECT MAX(seq) FROM audit_auditevent), 0) + 1, false)")


def drop_sequence(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cur:
            cur.execute(f"DROP SEQUENCE IF EXISTS {SEQUENCE}")


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_lean_indexes")]

    operations = [
        migrations.AddField(
            model_name="auditchainhead",
            name="chain",
            field=models.CharField(default="system", max_length=80),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="auditchainhead",
            name="chain",
            field=models.CharField(max_length=80, unique=True),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="chain",
            field=models.CharField(default="system", max_length=80),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="chain_seq",
            field=models.BigIntegerField(default=0),
            preserve_default=False,
        ),
        migrations.RunSQL("UPDATE audit_auditevent SET chain_seq = seq", migrations.RunSQL.noop),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(fields=("chain", "chain_seq"), name="audit_event_chain_seq_unique"),
        ),
        migrations.RunPython(create_sequence, drop_sequence),
    ]
