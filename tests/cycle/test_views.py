"""Every page of the cycle as every persona, the Dinsos import page, coverage and the company's home."""

import datetime
import io

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cycle.models import CycleYear, ObligatedCompany, RegisterImport
from tests.cycle.factories import ObligatedCompanyFactory

pytestmark = pytest.mark.django_db

DINSOS_ONLY = {
    "dinsos": 200,
    "pimpinan": 403,
    "owner": 403,
    "editor": 403,
    "other_company": 403,
    "camat": 403,
    "other_camat": 403,
    "anonymous": 302,
}
READERS = {**DINSOS_ONLY, "pimpinan": 200}


@pytest.fixture
def entry(kahayan_hilir):
    return ObligatedCompanyFactory(kecamatan=kahayan_hilir)


@pytest.fixture
def record(wilayah):
    return RegisterImport.objects.create(file_name="daftar.xlsx", source="oss")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("cycle:register", DINSOS_ONLY),
        ("cycle:register_detail", DINSOS_ONLY),
        ("cycle:import", DINSOS_ONLY),
        ("cycle:import_detail", DINSOS_ONLY),
        ("cycle:invitations", DINSOS_ONLY),
        ("cycle:coverage", READERS),
        ("cycle:award", READERS),
    ],
)
def test_each_persona_gets_its_status(name, expected, personas, login, entry, record):
    args = {"cycle:register_detail": [entry.pk], "cycle:import_detail": [record.pk]}.get(name, [])
    statuses = {
        persona: login(user).get(reverse(name, args=args)).status_code for persona, user in personas.items()
    }
    assert statuses == expected


@pytest.mark.parametrize(
    "name", ["cycle:register_exempt", "cycle:import_apply", "cycle:invite", "cycle:remind_missing"]
)
def test_actions_are_post_only(name, dinsos, login, entry, record):
    args = {"cycle:register_exempt": [entry.pk], "cycle:import_apply": [record.pk]}.get(name, [])
    assert login(dinsos).get(reverse(name, args=args)).status_code == 405


@pytest.mark.parametrize("name", ["cycle:register_exempt", "cycle:invite", "cycle:remind_missing"])
def test_pimpinan_cannot_act(name, pimpinan, login, entry):
    args = [entry.pk] if name == "cycle:register_exempt" else []
    assert login(pimpinan).post(reverse(name, args=args)).status_code == 403


def test_upload_check_then_apply_on_the_page(dinsos, login, tmp_path, wilayah):
    client = login(dinsos)
    content = "NIB;NAMA PERUSAHAAN;KECAMATAN;EMAIL\n9120000000901;PT Halaman;Kahayan Hilir;h@x.example\n"
    upload = tmp_path / "daftar.csv"
    upload.write_text(content)
    with upload.open("rb") as handle:
        response = client.post(reverse("cycle:import"), {"file": handle, "source": "dpmptsp"})
    record = RegisterImport.objects.get()
    assert response.url == reverse("cycle:import_detail", args=[record.pk])
    page = client.get(response.url)
    assert page.status_code == 200
    assert b'data-testid="import-created">1<' in page.content
    assert not ObligatedCompany.objects.exists()
    client.post(reverse("cycle:import_apply", args=[record.pk]))
    assert ObligatedCompany.objects.get().name == "PT Halaman"
    again = client.post(reverse("cycle:import_apply", args=[record.pk]), follow=True)
    assert "Berkas ini sudah diterapkan atau ditolak" in again.content.decode()


def test_exempt_requires_a_reason_next_to_the_field(dinsos, login, entry):
    response = login(dinsos).post(reverse("cycle:register_exempt", args=[entry.pk]), {"reason": ""})
    assert response.status_code == 400
    assert response.context["exempt_form"].errors["reason"]
    login(dinsos).post(reverse("cycle:register_exempt", args=[entry.pk]), {"reason": "Tutup"})
    entry.refresh_from_db()
    assert (entry.status, entry.exempt_reason) == (ObligatedCompany.Status.EXEMPT, "Tutup")
    login(dinsos).post(reverse("cycle:register_exempt", args=[entry.pk]))
    entry.refresh_from_db()
    assert entry.status == ObligatedCompany.Status.UNINVITED


def test_register_pages_keep_the_filters_and_refuse_no_number(dinsos, login, kahayan_hilir, monkeypatch):
    monkeypatch.setattr("cycle.views.register.PAGE_SIZE", 1)
    for name in ("PT Satu", "PT Dua", "PT Tiga"):
        ObligatedCompanyFactory(name=name, kecamatan=kahayan_hilir)
    url = reverse("cycle:register")
    first = login(dinsos).get(url, {"kecamatan": kahayan_hilir.pk, "page": 2})
    assert [entry.name for entry in first.context["page"]] == ["PT Satu"]
    assert f'href="?kecamatan={kahayan_hilir.pk}&amp;page=3"' in first.content.decode()
    # A superscript two is a digit to str.isdigit() but no number: the filter is left out, not a server error.
    assert login(dinsos).get(url, {"kecamatan": "²"}).status_code == 200


def test_register_excel_lists_every_entry(dinsos, login, entry):
    response = login(dinsos).get(reverse("cycle:register") + "?format=xlsx")
    sheet = load_workbook(filename=io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == entry.nib
    assert len(rows) == 2


def test_coverage_page_reminds_the_missing_in_one_action(
    dinsos, login, entry, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    CycleYear.objects.create(
        tahun=today.year,
        plan_deadline=today - datetime.timedelta(days=3),
        realisation_deadline=today.replace(month=12, day=31),
    )
    ObligatedCompany.objects.filter(pk=entry.pk).update(status=ObligatedCompany.Status.INVITED)
    client = login(dinsos)
    page = client.get(reverse("cycle:coverage"))
    assert page.context["total"].obligated == 1
    assert page.context["missing_count"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("cycle:remind_missing"), {"tahun": today.year})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[entry.email]]
    event = entry.events.get(kind="reminded")
    assert event.note.endswith("Dikirim Dinsos dari halaman cakupan")  # the timeline is in Indonesian
    assert (
        "https://wa.me/"
        in login(dinsos).get(reverse("cycle:register_detail", args=[entry.pk])).content.decode()
    )
    assert event.whatsapp_text


def test_coverage_and_award_excel(pimpinan, login, entry):
    client = login(pimpinan)
    for name in ("cycle:coverage", "cycle:award"):
        response = client.get(reverse(name) + "?format=xlsx&tahun=2027")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_company_home_shows_its_obligation_and_next_deadline(owner, login, company):
    today = timezone.localdate()
    ObligatedCompanyFactory(nib=company.nib, company=company, status=ObligatedCompany.Status.VERIFIED)
    CycleYear.objects.create(
        tahun=today.year,
        plan_deadline=today + datetime.timedelta(days=10),
        realisation_deadline=today + datetime.timedelta(days=200),
    )
    page = login(owner).get(reverse("home"))
    assert page.context["obligation"].deadline == today + datetime.timedelta(days=10)
    assert b'data-testid="obligation"' in page.content


def test_regency_dashboard_shows_the_coverage_figures(pimpinan, login, entry):
    page = login(pimpinan).get(reverse("dashboards:dashboard"))
    assert page.status_code == 200
    assert b'data-testid="dashboard-obligation"' in page.content


def test_regency_dashboard_follows_the_register_at_once_with_the_cache_on(settings, pimpinan, login, entry):
    """The dashboard's compliance figures and the coverage page agree right after the register changes."""
    settings.TSLP_DASHBOARD_CACHE_SECONDS = 3600
    client = login(pimpinan)
    first = client.get(reverse("dashboards:dashboard"))
    assert first.context["obligation"].obligated == 1
    ObligatedCompanyFactory(kecamatan=entry.kecamatan)
    again = client.get(reverse("dashboards:dashboard"))
    assert again.context["obligation"].obligated == 2
