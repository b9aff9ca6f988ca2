"""Beneficiaries and households through the API: who gets them, masked how, and the access log."""

import pytest

from programs.services import data_use_accept
from tests.poverty_data.factories import HouseholdFactory, MemberFactory
from tests.programs.delivery_helpers import record_pks, running_program
from tslp_portal.models import AccessLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(company, dinsos):
    return running_program(company=company, dinsos=dinsos, households=3, maliku_households=2)


def url(program):
    return f"/api/v1/programs/{program.pk}/beneficiaries/"


def test_dinsos_gets_every_beneficiary_unmasked_and_the_access_is_logged(api, dinsos, program):
    response = api(dinsos).get(url(program))
    assert response.status_code == 200
    rows = response.json()["results"]
    assert len(rows) == 5
    assert all("*" not in r["household"]["nik_kepala"] and len(r["household"]["no_kk"]) == 16 for r in rows)
    log = AccessLog.objects.get()
    assert (log.user, log.row_count, log.path) == (dinsos, 5, url(program))


def test_camat_gets_its_own_kecamatan_masked(api, camat, program):
    rows = api(camat).get(url(program)).json()["results"]
    assert len(rows) == 3
    assert {r["household"]["desa"] for r in rows} == {"62.11.05.2001"}
    assert all(r["household"]["nik_kepala"][6:12] == "******" for r in rows)
    assert AccessLog.objects.get().row_count == 3


def test_company_needs_a_pks_then_the_terms_then_gets_the_list_masked(api, owner, dinsos, program):
    client = api(owner)
    refused = client.get(url(program))
    assert refused.status_code == 403
    assert refused.json()["code"] == "permission_denied"
    assert "PKS" in refused.json()["message"]
    record_pks(company=program.company, dinsos=dinsos)
    no_terms = client.get(url(program))
    assert no_terms.status_code == 403
    assert (
        no_terms.json()["message"] == "Setujui dahulu ketentuan penggunaan data di halaman penerima manfaat."
    )
    data_use_accept(program=program, actor=owner)
    rows = client.get(url(program)).json()["results"]
    assert len(rows) == 5
    assert all("******" in r["household"]["no_kk"] for r in rows)
    assert AccessLog.objects.filter(user=owner).count() == 1


@pytest.mark.parametrize(
    ("persona", "status"),
    [("pimpinan", 403), ("other_company", 404), ("other_camat", 200), ("anonymous", 401)],
)
def test_beneficiaries_answer_each_persona_as_the_pages_do(api, personas, program, persona, status):
    response = api(personas[persona]).get(url(program))
    assert response.status_code == status
    if status != 200:
        assert set(response.json()) == {"code", "message"}
        assert not AccessLog.objects.exists()


def test_beneficiary_list_runs_a_constant_number_of_queries(api, dinsos, company, django_assert_num_queries):
    program = running_program(company=company, dinsos=dinsos, households=12)
    client = api(dinsos)
    # session, user, program, count, beneficiaries with households and desa, access log
    with django_assert_num_queries(6):
        assert len(client.get(url(program)).json()["results"]) == 12


@pytest.mark.parametrize(
    ("persona", "status"),
    [("dinsos", 200), ("camat", 403), ("owner", 403), ("pimpinan", 403), ("anonymous", 401)],
)
def test_households_are_for_dinsos_alone(api, personas, persona, status):
    HouseholdFactory()
    response = api(personas[persona]).get("/api/v1/households/", {"desa": "62.11.05.2001"})
    assert response.status_code == status


def test_household_search_is_exact_by_no_kk_or_by_any_members_nik(api, dinsos, wilayah):
    household = HouseholdFactory(no_kk="6211050101000001", nik_kepala="6211054101000001")
    HouseholdFactory(no_kk="6211050101000002", nik_kepala="6211054101000099")
    MemberFactory(household=household, nik="6211056101000009")
    client = api(dinsos)

    def found(**params):
        return [r["no_kk"] for r in client.get("/api/v1/households/", params).json()["results"]]

    assert found(no_kk="6211050101000001") == ["6211050101000001"]
    assert found(no_kk="621105010100000") == []
    assert found(nik="6211054101000001") == ["6211050101000001"]
    assert found(nik="6211056101000009") == ["6211050101000001"]
    assert AccessLog.objects.filter(user=dinsos).count() == 4


def test_household_list_runs_a_constant_number_of_queries(api, dinsos, wilayah, django_assert_num_queries):
    for _ in range(15):
        HouseholdFactory()
    client = api(dinsos)
    # session, user, count, households with desa and kecamatan, access log
    with django_assert_num_queries(5):
        assert client.get("/api/v1/households/", {"desa": "62.11.05.2001"}).json()["count"] == 15
