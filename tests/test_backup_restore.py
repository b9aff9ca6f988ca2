"""The documented backup and restore (ops/backup.sh, ops/restore.sh): dump, restore into another
database and media folder, the same rows and files come back. PostgreSQL only."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.db import connection

from tests.poverty_data.factories import HouseholdFactory, ImportBatchFactory
from tests.programs.factories import ProgramFactory
from tslp_portal.privacy import access_log_write

ROOT = Path(__file__).resolve().parents[1]
TABLES = [
    "accounts_user",
    "companies_company",
    "programs_program",
    "poverty_data_household",
    "poverty_data_desa",
    "tslp_portal_accesslog",
]

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="pg_dump/pg_restore back up PostgreSQL, the production database",
    ),
    pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump is not installed"),
]


def database_url(name: str) -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def counts(url: str) -> dict:
    import psycopg2

    with psycopg2.connect(url) as conn, conn.cursor() as cursor:
        result = {}
        for table in TABLES:
            cursor.execute(f"SELECT count(*) FROM {table}")
            result[table] = cursor.fetchone()[0]
    return result


@pytest.mark.django_db(transaction=True)
def test_backup_restores_into_another_database_with_the_same_rows_and_files(company, owner, dinsos, tmp_path):
    import psycopg2

    batch = ImportBatchFactory()
    for _ in range(3):
        HouseholdFactory(last_batch=batch)
    ProgramFactory(company=company)
    access_log_write(user=dinsos, what="uji cadangan", row_count=3)
    media = tmp_path / "media"
    (media / "programs" / "1").mkdir(parents=True)
    (media / "programs" / "1" / "proposal.pdf").write_bytes(b"%PDF-1.4 cadangan")

    source_url = database_url(connection.settings_dict["NAME"])
    env = {**os.environ, "DATABASE_URL": source_url, "TSLP_PRIVATE_MEDIA_ROOT": str(media)}
    backup = subprocess.run(
        ["bash", "ops/backup.sh", str(tmp_path / "backup")], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert backup.returncode == 0, backup.stderr
    dump, tarball = backup.stdout.split()

    target = connection.settings_dict["NAME"] + "_restore"
    admin = psycopg2.connect(database_url("postgres"))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{target}"')
        cursor.execute(f'CREATE DATABASE "{target}"')
    try:
        restored_media = tmp_path / "restored-media"
        env = {
            **os.environ,
            "DATABASE_URL": database_url(target),
            "TSLP_PRIVATE_MEDIA_ROOT": str(restored_media),
        }
        restore = subprocess.run(
            ["bash", "ops/restore.sh", dump, tarball], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert restore.returncode == 0, restore.stderr
        assert counts(database_url(target)) == counts(source_url)
        assert counts(source_url)["poverty_data_household"] == 3
        assert (restored_media / "programs" / "1" / "proposal.pdf").read_bytes() == b"%PDF-1.4 cadangan"
        assert oct(os.stat(dump).st_mode & 0o777) == "0o600"
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{target}"')
        admin.close()
