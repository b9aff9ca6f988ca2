"""Killing an import half-way (SIGKILL, no cleanup) leaves the registry exactly as it was."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from demo.registry import registry_file_write
from poverty_data.models import Household, HouseholdChange, ImportBatch

ROOT = Path(settings.BASE_DIR)


def _import_households(path, env, *, stderr):
    """``manage.py import_households`` of a DTSEN file, in a process of its own (to be killed)."""
    command = ["manage.py", "import_households", str(path), "--source", "dtsen", "--period", "2026-01"]
    return subprocess.Popen(
        [sys.executable, *command], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=stderr
    )


@pytest.mark.django_db(transaction=True)
def test_killing_the_import_mid_way_leaves_nothing_partial(wilayah, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs a database another process can reach (PostgreSQL); SQLite tests run in memory")
    path = tmp_path / "dtsen.xlsx"
    registry_file_write(path, shape="dtsen", count=60_000, fast=True)
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    server = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    env = {**os.environ, "DATABASE_URL": f"postgres://{credentials}@{server}/{db['NAME']}"}
    process = _import_households(path, env, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            batch = ImportBatch.objects.filter(progress__gte=20).first()
            if batch is not None or process.poll() is not None:
                break
            time.sleep(0.05)
        assert process.poll() is None, "the import finished before it could be killed"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()

    batch = ImportBatch.objects.get()
    assert batch.state == ImportBatch.State.RUNNING  # it never got to say anything else
    assert 0 < batch.rows_read < 60_000
    assert not Household.objects.exists()
    assert not HouseholdChange.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_killing_the_import_mid_way_leaves_nothing_partial_on_sqlite(wilayah, tmp_path):
    """The same on a SQLite file: killed once its progress bar passes 20 %."""
    import re
    import sqlite3

    if connection.vendor != "sqlite":
        pytest.skip("copies the test database, migrated and with the wilayah, into the file (SQLite's suite)")
    database = tmp_path / "registry.sqlite3"
    # The test database, committed (a transactional test), copied into the file the import will write: the
    # same schema as a migrated file, without migrating one (six seconds).
    connection.ensure_connection()
    with sqlite3.connect(database) as copy:
        connection.connection.backup(copy)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    path = tmp_path / "dtsen.xlsx"
    registry_file_write(path, shape="dtsen", count=60_000, fast=True)
    process = _import_households(path, env, stderr=subprocess.PIPE)
    seen = b""
    try:
        while process.poll() is None:
            seen += os.read(process.stderr.fileno(), 256)
            percents = [int(value) for value in re.findall(rb"(\d+)%", seen)]
            if percents and max(percents) >= 20:
                process.send_signal(signal.SIGKILL)
                break
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()

    assert process.returncode == -signal.SIGKILL, seen[-300:]
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT COUNT(*) FROM poverty_data_household").fetchone() == (0,)
        assert db.execute("SELECT COUNT(*) FROM poverty_data_householdchange").fetchone() == (0,)
        assert db.execute("SELECT state FROM poverty_data_importbatch").fetchall() == [("running",)]
