"""Public scorecards: every obligated company with its status, against a hand-built ledger."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cycle.models import CycleYear, ObligatedCompany
from programs.models import Beneficiary, Program, RealisationReport
from tests.companies.factories import CompanyFactory
from tests.cycle.factories import ObligatedCompanyFactory
from tests.poverty_data.factories import HouseholdFactory
from tests.programs.factories import ProgramFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(kahayan_hilir):
    today = timezone.localdate()
    tahun = today.year
    CycleYear.objects.create(
        tahun=tahun,
        plan_deadline=today - datetime.timedelta(days=60),
        realisation_deadline=today - datetime.timedelta(days=5),
    )
    good = ObligatedCompanyFactory(name="PT Lapor Rajin", nib="9120000001001", kecamatan=kahayan_hilir)
    company = CompanyFactory(nib=good.nib, name="PT Lapor Rajin")
    program = ProgramFactory(company=company, tahun=tahun, status=Program.Status.RUNNING, budget=500_000_000)
    Program.objects.filter(pk=program.pk).update(submitted_at=timezone.now() - datetime.timedelta(days=90))
    RealisationReport.objects.create(
        program=program,
        period=str(tahun),
        is_final=True,
        amount_spent=450_000_000,
        description="Selesai",
        state=RealisationReport.State.VERIFIED,
    )
    RealisationReport.objects.filter(program=program).update(
        submitted_at=timezone.now() - datetime.timedelta(days=10)
    )
    # A draft is not public and does not count.
    ProgramFactory(company=company, tahun=tahun, status=Program.Status.DRAFT, budget=999)
    for desil in (1, 2, 3):
        Beneficiary.objects.create(
            program=program, household=HouseholdFactory(desil=desil), state=Beneficiary.State.CONFIRMED
        )
    ObligatedCompanyFactory(name="PT Tidak Lapor", nib="9120000001002")
    ObligatedCompanyFactory(
        name="PT Dikecualikan", nib="9120000001003", status=ObligatedCompany.Status.EXEMPT
    )
    return tahun


def test_list_shows_every_obligated_company_reported_or_not(client, ledger):
    page = client.get(reverse("publik:companies"))
    assert page.status_code == 200
    rows = {row["perusahaan"]: row for row in page.context["page"]}
    assert set(rows) == {"PT Lapor Rajin", "PT Tidak Lapor"}
    good, silent = rows["PT Lapor Rajin"], rows["PT Tidak Lapor"]
    assert (good["rencana_kode"], good["laporan_kode"]) == ("on_time", "verified")
    assert (good["program"], good["anggaran"], good["realisasi"]) == (1, 500_000_000, 450_000_000)
    assert (silent["rencana_kode"], silent["laporan_kode"], silent["owes"]) == ("missing", "missing", True)
    assert silent["hari_terlambat"] == 60
    assert page.context["owing"] == 1
    assert "Rp 500.000.000" in page.content.decode()


def test_list_sorts_by_realisation_and_by_status(client, ledger):
    by_money = client.get(reverse("publik:companies") + "?urut=realisasi")
    assert [row["perusahaan"] for row in by_money.context["page"]] == ["PT Lapor Rajin", "PT Tidak Lapor"]
    by_status = client.get(reverse("publik:companies") + "?urut=status")
    assert [row["perusahaan"] for row in by_status.context["page"]] == ["PT Tidak Lapor", "PT Lapor Rajin"]
    unknown = client.get(reverse("publik:companies") + "?urut=acak")
    assert unknown.status_code == 200


def test_the_next_page_keeps_the_year_and_the_order(client, ledger, monkeypatch):
    monkeypatch.setattr("publik.views.SCORECARD_PAGE", 1)
    first = client.get(reverse("publik:companies"), {"urut": "status", "tahun": ledger})
    assert "Halaman 1 dari 2" in first.content.decode()
    assert f'href="?tahun={ledger}&amp;urut=status&amp;page=2"' in first.content.decode()
    second = client.get(reverse("publik:companies"), {"urut": "status", "tahun": ledger, "page": 2})
    assert [row["perusahaan"] for row in second.context["page"]] == ["PT Lapor Rajin"]


def test_excel_and_csv_of_the_list(client, ledger):
    xlsx = client.get(reverse("publik:companies") + "?format=xlsx")
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert [row[1] for row in rows[-2:]] == ["PT Lapor Rajin", "PT Tidak Lapor"]
    text = client.get(reverse("publik:companies") + "?format=csv").content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[-1][0] == "9120000001002"
    assert len(lines) == 3


def test_detail_shows_programs_with_bidang_and_desa_and_no_household_counts(client, ledger):
    page = client.get(reverse("publik:company", args=["9120000001001"]))
    assert page.status_code == 200
    year = next(item for item in page.context["years"] if item["tahun"] == ledger)
    [program] = year["programs"]
    assert program["bidang"] == "Infrastruktur"
    assert program["wilayah"][0][0] == "Kahayan Hilir"
    assert set(year) >= {"program", "anggaran", "realisasi"}
    assert not {"terjangkau", "beneficiaries", "poorest"} & set(year)


def test_detail_of_a_company_that_owes_says_so_plainly(client, ledger):
    page = client.get(reverse("publik:company", args=["9120000001002"]))
    assert b'data-testid="owes"' in page.content


@pytest.mark.parametrize("nib", ["9120000001003", "0000000000000", "abc"])
def test_exempted_or_unknown_companies_are_not_found(client, ledger, nib):
    assert client.get(reverse("publik:company", args=[nib])).status_code == 404


def test_api_lists_the_same_rows(client, ledger):
    response = client.get("/api/v1/publik/perusahaan/", {"urut": "realisasi"})
    assert response.status_code == 200
    data = response.json()["results"]
    assert response.json()["count"] == 2
    assert [row["nib"] for row in data] == ["9120000001001", "9120000001002"]
    assert data[1]["owes"] is True
    assert data[0]["realisasi"] == 450_000_000


def test_api_refuses_a_year_without_figures(client, ledger):
    response = client.get("/api/v1/publik/perusahaan/", {"tahun": 2001})
    assert response.status_code == 404


def test_empty_register_says_what_is_missing(client, wilayah):
    page = client.get(reverse("publik:companies"))
    assert page.status_code == 200
    assert page.context["total"] == 0
