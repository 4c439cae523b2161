"""The next id of each table: read at backup time, put back after a restore, so an id a
deleted row had is never given again (the audit log still names it). SQLite keeps them in
``sqlite_sequence``; PostgreSQL in each identity column's sequence, and in the sequences
that number other columns (:data:`~vanban.backup.references.COLUMN_SEQUENCES`)."""

from __future__ import annotations

from django.db import connection, models

from vanban.backup.references import COLUMN_SEQUENCES

__all__ = ["read_sequences", "restore_sequences"]


def _auto(model_list: list[type[models.Model]]) -> list[type[models.Model]]:
    return [
        m for m in model_list if isinstance(m._meta.pk, models.AutoField | models.BigAutoField | models.SmallAutoField)
    ]


def read_sequences(model_list: list[type[models.Model]]) -> dict[str, int]:
    """Table -> the highest id given so far (0: none)."""
    out: dict[str, int] = {}
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_sequence'")
            if cursor.fetchone():
                cursor.execute("SELECT name, seq FROM sqlite_sequence")
                seqs = dict(cursor.fetchall())
                out = {m._meta.db_table: int(seqs.get(m._meta.db_table) or 0) for m in _auto(model_list)}
        elif connection.vendor == "postgresql":
            for m in _auto(model_list):
                cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [m._meta.db_table, m._meta.pk.column])
                seq = cursor.fetchone()[0]
                if seq:
                    cursor.execute(f"SELECT last_value, is_called FROM {seq}")
                    last, called = cursor.fetchone()
                    out[m._meta.db_table] = int(last) if called else 0
            for name in COLUMN_SEQUENCES:
                cursor.execute("SELECT to_regclass(%s)", [name])
                if cursor.fetchone()[0]:
                    cursor.execute(f"SELECT last_value, is_called FROM {connection.ops.quote_name(name)}")
                    last, called = cursor.fetchone()
                    out[f"sequence:{name}"] = int(last) if called else 0
    return out


def restore_sequences(model_list: list[type[models.Model]], saved: dict[str, int]) -> None:
    """Each table's next id above both its rows and what the backup had given."""
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for m in _auto(model_list):
            table, pk = m._meta.db_table, m._meta.pk.column
            cursor.execute(f"SELECT MAX({qn(pk)}) FROM {qn(table)}")
            top = max(int(cursor.fetchone()[0] or 0), int(saved.get(table, 0)))
            if connection.vendor == "sqlite":
                cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_sequence'")
                if not cursor.fetchone():
                    continue
                cursor.execute("UPDATE sqlite_sequence SET seq = MAX(seq, %s) WHERE name = %s", [top, table])
                if cursor.rowcount == 0 and top:
                    cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, top])
            elif connection.vendor == "postgresql":
                cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, pk])
                seq = cursor.fetchone()[0]
                if seq:
                    cursor.execute("SELECT setval(%s, %s, %s)", [seq, max(top, 1), top > 0])
        if connection.vendor == "postgresql":
            for name, (table, column) in COLUMN_SEQUENCES.items():
                cursor.execute("SELECT to_regclass(%s)", [name])
                if not cursor.fetchone()[0]:
                    continue
                cursor.execute(f"SELECT MAX({qn(column)}) FROM {qn(table)}")
                top = max(int(cursor.fetchone()[0] or 0), int(saved.get(f"sequence:{name}", 0)))
                cursor.execute("SELECT setval(%s, %s, %s)", [name, max(top, 1), top > 0])
