"""The figures' version: the key under which the dashboards' content is cached."""

import pytest
from django.core.management import call_command
from django.db import connection

from dashboards.selectors.version import VERSION_FUNCTION, _version_sql, figures_version
from tests.companies.factories import CompanyFactory
from tests.programs.factories import ProgramFactory

pytestmark = pytest.mark.django_db


def test_the_version_changes_when_a_company_is_added_or_renamed():
    first = figures_version()
    company = CompanyFactory(name="PT Versi Satu")
    second = figures_version()
    company.name = "PT Versi Dua"
    company.save()
    assert len({first, second, figures_version()}) == 3


def test_the_version_changes_when_a_program_is_added_edited_or_deleted(company):
    older = ProgramFactory(company=company)
    before = figures_version()
    newer = ProgramFactory(company=company)
    added = figures_version()
    newer.title = "Air bersih tahap dua"
    newer.save()
    edited = figures_version()
    older.delete()  # the last edit stays the newer one's: only the count tells
    assert len({before, added, edited, figures_version()}) == 4


def test_migrate_keeps_the_postgresql_function_equal_to_the_version_query():
    if connection.vendor != "postgresql":
        pytest.skip("the function is PostgreSQL's; on SQLite the query runs as it is")
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE OR REPLACE FUNCTION {VERSION_FUNCTION}() RETURNS text LANGUAGE sql AS $$ SELECT 'stale' $$"
        )
    assert figures_version().startswith("stale|")
    call_command("migrate", verbosity=0)  # a deployment's migrate recreates it from the current definition
    with connection.cursor() as cursor:
        cursor.execute("SELECT prosrc FROM pg_proc WHERE proname = %s", [VERSION_FUNCTION])
        [(source,)] = cursor.fetchall()
    assert _version_sql() in source
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version::text FROM ({_version_sql()}) AS version")
        [(expected,)] = cursor.fetchall()
    assert figures_version().split("|")[0] == expected
