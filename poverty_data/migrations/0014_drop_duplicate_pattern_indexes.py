"""Drop the ``varchar_pattern_ops`` indexes Django adds beside the plain ones on ``no_kk`` and ``nik_kepala``
(PostgreSQL; nothing on SQLite).

They serve only ``LIKE 'prefix%'`` under a non-C collation, and nothing searches these columns by prefix: the
registry looks identity numbers up whole (the unique index on ``no_kk``, the plain one on ``nik_kepala``).
Each of them cost every imported row an index insertion. Django recreates such an index only when the field
itself is altered; a later migration that alters either field should drop it again.
"""

from django.db import migrations

INDEXES = [
    ("poverty_data_household_no_kk_fe2be796_like", "poverty_data_household", "no_kk"),
    ("poverty_data_household_nik_kepala_df4da3bb_like", "poverty_data_household", "nik_kepala"),
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, column in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {name} ON {table} ("{column}" varchar_pattern_ops)'
        )


class Migration(migrations.Migration):
    dependencies = [("poverty_data", "0013_import_member_file")]

    operations = [migrations.RunPython(forwards, backwards)]
