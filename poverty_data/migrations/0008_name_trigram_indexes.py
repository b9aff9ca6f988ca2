"""Trigram indexes for searching households by name (PostgreSQL; nothing on SQLite).

The admin's name search is ``nama_kepala__icontains``, which Django writes as
``UPPER("nama_kepala"::text) LIKE UPPER('%…%')``: these expression indexes serve exactly that, so a name
search over a million households reads an index instead of the whole table. Members' names likewise.
pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
"""

from django.db import migrations

INDEXES = [
    ("poverty_household_name_trgm", "poverty_data_household", "nama_kepala"),
    ("poverty_member_name_trgm", "poverty_data_member", "nama"),
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("poverty_data", "0007_household_family_key")]

    operations = [migrations.RunPython(forwards, backwards)]
