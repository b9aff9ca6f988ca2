"""Uploaded registry files (every NIK of a file) are deleted once applied, the others after the retention."""

import datetime
import os
import stat

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from poverty_data.models import ImportBatch
from tests.poverty_data.files import DTSEN_HEADER, dtsen_row, write_xlsx

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    settings.TASKS = IMMEDIATE


def upload(client, tmp_path, rows, name="dtsen.xlsx"):
    path = write_xlsx(tmp_path / name, rows)
    data = {"file": SimpleUploadedFile(name, path.read_bytes()), "source": "dtsen", "period": "2026-01"}
    return client.post(reverse("registry:import_upload"), data)


def test_an_applied_file_is_deleted_at_once_and_stored_owner_only_before(
    dinsos, login, tmp_path, django_capture_on_commit_callbacks
):
    client = login(dinsos)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, tmp_path, [DTSEN_HEADER, dtsen_row(1)])
    checked = ImportBatch.objects.get()
    path = checked.stored_file.path
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("registry:import_apply", args=[checked.pk]))
    assert ImportBatch.objects.filter(state=ImportBatch.State.APPLIED).exists()
    assert not os.path.exists(path)
    # The record of the file stays: name, size, checksum.
    checked.refresh_from_db()
    assert (checked.file_name, len(checked.checksum)) == ("dtsen.xlsx", 64)


def test_unapplied_and_refused_files_are_deleted_after_the_retention_period(
    dinsos, login, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.TSLP_REGISTRY_FILE_RETENTION_DAYS = 7
    client = login(dinsos)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, tmp_path, [DTSEN_HEADER, dtsen_row(1)], name="diperiksa.xlsx")
        upload(client, tmp_path, [["kolom", "salah"], ["a", "b"]], name="ditolak.xlsx")
    checked, refused = ImportBatch.objects.order_by("pk")
    assert (checked.state, refused.state) == (ImportBatch.State.VALIDATED, ImportBatch.State.REFUSED)
    paths = [checked.stored_file.path, refused.stored_file.path]

    call_command("purge_registry_files")
    assert all(os.path.exists(p) for p in paths)  # within the retention: Dinsos may still apply it

    ImportBatch.objects.update(created_at=timezone.now() - datetime.timedelta(days=8))
    call_command("purge_registry_files")
    assert not any(os.path.exists(p) for p in paths)
