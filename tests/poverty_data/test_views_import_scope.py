"""The upload page's scope checkbox, the check page's per-kecamatan warning, typed confirmation, and undo."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from poverty_data.models import Household, ImportBatch
from tests.poverty_data.test_import_scope import BUNTOI, TAHAI_JAYA, dtsen, regency

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _immediate_tasks(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    settings.TASKS = IMMEDIATE


def check(client, path, django_capture_on_commit_callbacks, **extra) -> ImportBatch:
    data = {
        "file": SimpleUploadedFile(path.name, path.read_bytes()),
        "source": "dtsen",
        "period": "2026-02",
        **extra,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("registry:import_upload"), data)
    assert response.status_code == 302
    return ImportBatch.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])


def test_the_upload_page_offers_the_complete_regency_checkbox(
    dinsos, login, tmp_path, django_capture_on_commit_callbacks
):
    client = login(dinsos)
    page = client.get(reverse("registry:import_upload")).content.decode()
    assert 'name="complete"' in page

    batch = check(
        client, dtsen(tmp_path / "a.xlsx", [(1, BUNTOI)]), django_capture_on_commit_callbacks, complete="on"
    )

    assert batch.complete
    assert batch.state == ImportBatch.State.VALIDATED


def test_a_period_that_is_no_period_is_an_error_next_to_the_field(dinsos, login, tmp_path):
    path = dtsen(tmp_path / "a.xlsx", [(1, BUNTOI)])
    data = {"file": SimpleUploadedFile("a.xlsx", path.read_bytes()), "source": "dtsen", "period": "bad"}

    response = login(dinsos).post(reverse("registry:import_upload"), data)

    assert response.status_code == 200
    assert (
        "2026, 2026-03, Maret 2026, 2026-Q2, 2025-III, 2026-S1"
        in response.context["form"].errors["period"][0]
    )
    assert not ImportBatch.objects.exists()


def test_the_check_page_warns_per_kecamatan_and_asks_for_the_number(
    dinsos, login, tmp_path, django_capture_on_commit_callbacks
):
    regency(tmp_path)
    client = login(dinsos)
    path = dtsen(tmp_path / "maliku.xlsx", [(n, TAHAI_JAYA) for n in range(11, 14)])
    checked = check(client, path, django_capture_on_commit_callbacks)
    url = reverse("registry:import_detail", args=[checked.pk])

    page = client.get(url).content.decode()

    assert 'id="deactivation-warning"' in page
    assert 'id="kecamatan-summary"' in page
    assert "Maliku" in page
    assert 'name="confirmation"' in page
    apply = reverse("registry:import_apply", args=[checked.pk])
    for typed in ("", "70", "6"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(apply, {"confirmation": typed})
        assert response.status_code == 400
        assert response.context["apply_form"].errors["confirmation"]
        assert Household.objects.active().count() == 20
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(apply, {"confirmation": "7"})
    applied = ImportBatch.objects.get(dry_run=False, pk__gt=checked.pk)
    assert response["Location"] == reverse("registry:import_detail", args=[applied.pk])
    assert applied.state == ImportBatch.State.APPLIED
    assert applied.deactivated_count == 7
    assert Household.objects.active().count() == 13


def test_a_small_deactivation_applies_without_typing(
    dinsos, login, tmp_path, django_capture_on_commit_callbacks
):
    regency(tmp_path)
    client = login(dinsos)
    checked = check(
        client,
        dtsen(tmp_path / "b.xlsx", [(n, BUNTOI) for n in range(1, 5)]),
        django_capture_on_commit_callbacks,
    )
    page = client.get(reverse("registry:import_detail", args=[checked.pk])).content.decode()
    assert 'id="deactivation-warning"' in page
    assert 'name="confirmation"' not in page

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("registry:import_apply", args=[checked.pk]))

    assert Household.objects.active().count() == 19


def test_undo_pages_are_for_dinsos_only_and_undo_is_post_only(personas, login, tmp_path):
    batch = regency(tmp_path)
    url = reverse("registry:import_undo", args=[batch.pk])
    for persona in ("owner", "other_company", "camat", "other_camat", "pimpinan"):
        client = login(personas[persona])
        assert client.get(url).status_code == 403, persona
        assert client.post(url).status_code == 403, persona
    response = login(None).post(url)
    assert response.status_code == 302 and "/akun/login/" in response["Location"]
    assert Household.objects.count() == 20

    page = login(personas["dinsos"]).get(url)

    assert page.status_code == 200
    assert 'id="undo-effects"' in page.content.decode()
    assert Household.objects.count() == 20


def test_dinsos_undoes_an_import_from_its_page(dinsos, login, tmp_path):
    batch = regency(tmp_path)
    client = login(dinsos)
    detail = reverse("registry:import_detail", args=[batch.pk])
    assert reverse("registry:import_undo", args=[batch.pk]) in client.get(detail).content.decode()

    response = client.post(reverse("registry:import_undo", args=[batch.pk]))

    assert response["Location"] == detail
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.UNDONE
    assert batch.undone_by == dinsos
    assert not Household.objects.exists()
    page = client.get(detail).content.decode()
    assert reverse("registry:import_undo", args=[batch.pk]) not in page


def test_a_refused_undo_names_the_later_import(dinsos, login, tmp_path):
    from tests.poverty_data.test_import_scope import run

    first = regency(tmp_path)
    later = run(dtsen(tmp_path / "b.xlsx", [(n, BUNTOI) for n in range(1, 6)]), "2026-02").batch
    client = login(dinsos)

    response = client.post(reverse("registry:import_undo", args=[first.pk]), follow=True)

    message = str(next(iter(response.context["messages"])))
    assert f"{later.pk} (b.xlsx, " in message
    first.refresh_from_db()
    assert first.state == ImportBatch.State.APPLIED
