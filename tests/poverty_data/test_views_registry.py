"""The Dinsos upload page: upload, dry-run summary, rejected rows, download, apply, in the background."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from poverty_data.models import Household, ImportBatch
from poverty_data.tasks import household_import_run
from tests.poverty_data.files import DTSEN_HEADER, dtsen_row, write_ods, write_xlsx
from tslp_portal.models import AccessLog

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"


def xlsx_upload(tmp_path, rows, name="dtsen.xlsx"):
    path = write_xlsx(tmp_path / name, rows)
    return SimpleUploadedFile(name, path.read_bytes())


def upload(client, tmp_path, rows, **extra):
    data = {"file": xlsx_upload(tmp_path, rows), "source": "dtsen", "period": "2026-01", **extra}
    return client.post(reverse("registry:import_upload"), data)


def test_registry_pages_are_for_dinsos_only(personas, login, tmp_path):
    batch = ImportBatch.objects.create(
        source="dtsen", period="2026-01", file_name="f.xlsx", checksum="0" * 64
    )
    pages = [
        reverse("registry:import_upload"),
        reverse("registry:import_detail", args=[batch.pk]),
        reverse("registry:import_errors", args=[batch.pk]),
    ]
    for url in pages:
        for persona in ("owner", "other_company", "camat", "other_camat", "pimpinan"):
            assert login(personas[persona]).get(url).status_code == 403, (persona, url)
        response = login(None).get(url)
        assert response.status_code == 302 and "/akun/login/" in response["Location"], url
        assert login(personas["dinsos"]).get(url).status_code == 200, url
    apply = reverse("registry:import_apply", args=[batch.pk])
    assert login(personas["camat"]).post(apply).status_code == 403
    assert login(None).post(apply).status_code == 302


def test_upload_checks_the_file_in_the_background_then_dinsos_applies_it(
    dinsos, login, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    client = login(dinsos)
    rows = [DTSEN_HEADER, dtsen_row(1), dtsen_row(2), dtsen_row(3, desil="sebelas")]

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, tmp_path, rows)

    checked = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:import_detail", args=[checked.pk])
    assert checked.state == ImportBatch.State.VALIDATED
    assert (checked.created_count, checked.rejected_count) == (2, 1)
    assert str(settings.MEDIA_ROOT) in checked.stored_file.path
    assert not Household.objects.exists()

    page = client.get(response["Location"]).content.decode()
    assert "sebelas" in page
    assert reverse("registry:import_errors", args=[checked.pk]) in page
    assert AccessLog.objects.filter(user=dinsos, row_count=1).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("registry:import_apply", args=[checked.pk]))

    applied = ImportBatch.objects.exclude(pk=checked.pk).get()
    assert response["Location"] == reverse("registry:import_detail", args=[applied.pk])
    assert applied.state == ImportBatch.State.APPLIED
    assert applied.created_by == dinsos
    assert Household.objects.count() == 2


def test_with_the_database_backend_the_upload_waits_for_the_worker(
    dinsos, login, tmp_path, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    client = login(dinsos)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, tmp_path, [DTSEN_HEADER, dtsen_row(1)])

    batch = ImportBatch.objects.get()
    assert batch.state == ImportBatch.State.PENDING
    assert DBTaskResult.objects.filter(args_kwargs__args=[batch.pk]).exists()
    page = client.get(response["Location"]).content.decode()
    assert 'id="import-progress"' in page

    household_import_run.call(batch.pk)  # what `manage.py db_worker` does

    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.VALIDATED
    assert 'id="import-summary"' in client.get(response["Location"]).content.decode()


def test_a_refused_file_shows_why(dinsos, login, tmp_path, settings, django_capture_on_commit_callbacks):
    settings.TASKS = IMMEDIATE
    client = login(dinsos)
    data = {
        "file": SimpleUploadedFile("laporan.xlsx", b"%PDF-1.4 not a workbook"),
        "source": "dtsen",
        "period": "2026-01",
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("registry:import_upload"), data)

    batch = ImportBatch.objects.get()
    assert batch.state == ImportBatch.State.REFUSED
    assert batch.message in client.get(response["Location"]).content.decode()


def test_upload_form_refuses_other_file_types(dinsos, login):
    data = {"file": SimpleUploadedFile("foto.png", b"png"), "source": "dtsen", "period": "2026-01"}

    response = login(dinsos).post(reverse("registry:import_upload"), data)

    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("keluarga.ods", "Ini lembar kerja LibreOffice/OpenOffice (.ods)."),
        ("keluarga.xls", "Ini berkas Excel lama (.xls)."),
    ],
)
def test_upload_form_tells_how_to_save_an_ods_or_xls_file_as_xlsx(dinsos, login, tmp_path, name, hint):
    path = write_ods(tmp_path / name, [DTSEN_HEADER, dtsen_row(1)])
    data = {"file": SimpleUploadedFile(name, path.read_bytes()), "source": "dtsen", "period": "2026-01"}

    response = login(dinsos).post(reverse("registry:import_upload"), data)

    assert response.status_code == 200
    [error] = response.context["form"].errors["file"]
    assert error.startswith(hint) and ".xlsx" in error
    assert escape(error) in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_apply_is_post_only_and_needs_a_validated_check(dinsos, login):
    refused = ImportBatch.objects.create(
        source="dtsen",
        period="2026-01",
        file_name="f.xlsx",
        checksum="0" * 64,
        state=ImportBatch.State.REFUSED,
    )
    client = login(dinsos)
    url = reverse("registry:import_apply", args=[refused.pk])

    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    assert ImportBatch.objects.count() == 1


def test_rejected_rows_download_is_logged_as_an_export(dinsos, login):
    batch = ImportBatch.objects.create(
        source="dtsen", period="2026-01", file_name="f.xlsx", checksum="0" * 64, errors=[[3, "nik", "1", "x"]]
    )

    response = login(dinsos).get(reverse("registry:import_errors", args=[batch.pk]))

    assert response.content[:2] == b"PK"
    log = AccessLog.objects.get()
    assert (log.action, log.row_count) == (AccessLog.Action.EXPORT, 1)


def test_dinsos_home_and_the_admin_link_to_the_upload_page(dinsos, login):
    client = login(dinsos)
    upload_url = reverse("registry:import_upload")

    assert upload_url in client.get("/").content.decode()
    assert upload_url in client.get(reverse("admin:poverty_data_importbatch_changelist")).content.decode()
