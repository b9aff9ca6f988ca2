"""Programs and companies through the API: the scope rules of the pages, per persona."""

import pytest

from programs.models import Program
from tests.companies.factories import CompanyFactory
from tests.programs.factories import ProgramFactory

pytestmark = pytest.mark.django_db
S = Program.Status


@pytest.fixture
def programs(company, other_company):
    """A draft, a submitted and an approved program of the company (Kahayan Hilir); one approved elsewhere."""
    return {
        "draft": ProgramFactory(company=company, status=S.DRAFT, title="Draf"),
        "submitted": ProgramFactory(company=company, status=S.SUBMITTED, title="Diajukan"),
        "approved": ProgramFactory(company=company, status=S.APPROVED, title="Disetujui"),
        "maliku": ProgramFactory(
            company=other_company, status=S.RUNNING, title="Maliku", desa_codes=["62.11.06.2001"]
        ),
    }


def titles(response) -> set[str]:
    return {row["title"] for row in response.json()["results"]}


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", {"Disetujui", "Maliku"}),
        ("owner", {"Draf", "Diajukan", "Disetujui"}),
        ("other_company", {"Maliku"}),
        ("camat", {"Diajukan", "Disetujui"}),
        ("other_camat", {"Maliku"}),
    ],
)
def test_program_list_follows_the_scope_of_each_persona(api, personas, programs, persona, expected):
    response = api(personas[persona]).get("/api/v1/programs/")
    assert response.status_code == 200
    assert titles(response) == expected


def test_pimpinan_sees_every_program_but_drafts_stay_with_their_company(api, pimpinan, programs):
    assert titles(api(pimpinan).get("/api/v1/programs/")) == {"Diajukan", "Disetujui", "Maliku"}


def test_dinsos_sees_every_submitted_program(api, dinsos, programs):
    assert {"Diajukan", "Disetujui", "Maliku"} <= titles(api(dinsos).get("/api/v1/programs/"))


def test_anonymous_sees_public_fields_only(api, programs):
    row = api(None).get(f"/api/v1/programs/{programs['approved'].pk}/").json()
    assert row["title"] == "Disetujui"
    assert row["desa"] == ["62.11.05.2001"]
    assert "description" not in row
    assert "max_desil" not in row
    assert "target_households" not in row


def test_program_outside_scope_is_404_with_the_error_shape(api, other_owner, programs):
    response = api(other_owner).get(f"/api/v1/programs/{programs['approved'].pk}/")
    assert response.status_code == 404
    assert response.json() == {
        "code": "not_found",
        "message": "Tidak ditemukan, atau tidak terlihat oleh Anda.",
    }


def test_programs_filter_by_kecamatan_and_year(api, dinsos, programs):
    client = api(dinsos)
    assert titles(client.get("/api/v1/programs/", {"kecamatan": "62.11.06"})) == {"Maliku"}
    year = programs["maliku"].tahun
    assert titles(
        client.get("/api/v1/programs/", {"kecamatan": "62.11.05", "tahun": year, "status": "approved"})
    ) == {"Disetujui"}


def test_a_company_filter_no_company_can_have_finds_no_programs(api, dinsos, programs):
    response = api(dinsos).get("/api/v1/programs/", {"company": "0"})
    assert response.status_code == 200
    assert response.json()["results"] == []


@pytest.mark.parametrize("company_id", ["-1.8585409145381673e+81", str(2**63), "²"])
def test_a_company_filter_that_is_not_a_whole_number_is_a_bad_request(api, dinsos, programs, company_id):
    response = api(dinsos).get("/api/v1/programs/", {"company": company_id})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert set(response.json()["fields"]) == {"company"}


def test_programs_filter_by_company(api, dinsos, programs):
    company = programs["maliku"].company_id
    response = api(dinsos).get("/api/v1/programs/", {"company": company})
    assert titles(response) == {"Maliku"}


def test_invalid_filter_answers_400_with_field_errors(api, dinsos):
    response = api(dinsos).get("/api/v1/programs/", {"status": "bogus", "tahun": "x"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert set(body["fields"]) == {"status", "tahun"}


def test_program_list_pages_with_count_and_links(api, dinsos, company):
    for _ in range(3):
        ProgramFactory(company=company, status=S.APPROVED)
    body = api(dinsos).get("/api/v1/programs/", {"page_size": 2}).json()
    assert body["count"] == 3
    assert body["previous"] is None
    assert "page=2" in body["next"]
    assert len(body["results"]) == 2


def test_program_list_runs_a_constant_number_of_queries(api, dinsos, company, django_assert_num_queries):
    for n in range(12):
        ProgramFactory(
            company=CompanyFactory() if n % 2 else company,
            status=S.APPROVED,
            desa_codes=["62.11.05.2001", "62.11.05.2002"],
        )
    client = api(dinsos)
    # session, user, count, programs with their companies, their desa
    with django_assert_num_queries(5):
        assert len(client.get("/api/v1/programs/").json()["results"]) == 12


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", {"PT Sawit Kahayan Lestari", "PT Tambang Maliku Jaya"}),
        ("owner", {"PT Sawit Kahayan Lestari"}),
        ("camat", {"PT Sawit Kahayan Lestari", "PT Belum Diverifikasi"}),
        ("dinsos", {"PT Sawit Kahayan Lestari", "PT Tambang Maliku Jaya", "PT Belum Diverifikasi"}),
    ],
)
def test_company_list_follows_the_scope(api, personas, persona, expected):
    CompanyFactory(name="PT Belum Diverifikasi", status="pending")
    response = api(personas[persona]).get("/api/v1/companies/")
    assert {row["name"] for row in response.json()["results"]} == expected


def test_anonymous_sees_no_company_contact_or_tax_number(api, company):
    row = api(None).get(f"/api/v1/companies/{company.pk}/").json()
    assert set(row) == {"id", "name", "legal_form", "sector", "kecamatan", "kecamatan_nama"}


def test_company_sees_itself_in_full(api, owner, company):
    row = api(owner).get(f"/api/v1/companies/{company.pk}/").json()
    assert row["nib"] == company.nib
    assert row["npwp"] == company.npwp


def test_wilayah_is_public_and_desa_filter_by_kecamatan(api, wilayah):
    client = api(None)
    kecamatan = client.get("/api/v1/wilayah/kecamatan/62.11.05/").json()
    assert kecamatan["nama"] == "Kahayan Hilir"
    desa = client.get("/api/v1/wilayah/desa/", {"kecamatan": "62.11.05", "page_size": 500}).json()
    assert desa["count"] > 0
    assert {row["kecamatan"] for row in desa["results"]} == {"62.11.05"}
