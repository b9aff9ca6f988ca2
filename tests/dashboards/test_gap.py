import itertools
import json

import pytest
from django.urls import reverse

from accounts.models import User
from companies.models import Company
from tests.accounts.factories import UserFactory
from tests.companies.factories import CompanyFactory
from tests.dashboards.ledger import BUNTOI, MINTIN, YEAR, household, receive
from tests.programs.factories import ProgramFactory

pytestmark = pytest.mark.django_db
URL = reverse("dashboards:gap")
ANY = {"bidang": "ekonomi", "kecamatan": "62.11.05"}


@pytest.fixture
def registry(company, kahayan_hilir):
    for _ in range(3):
        h = household(MINTIN, 2)
        h.needs_house = True
        h.save()
    for desil in (1, 2):
        h = household(BUNTOI, desil)
        h.needs_water = True
        h.save()
    household(BUNTOI, 2)  # poor but no need infrastructure serves
    household(BUNTOI, 8).save()  # not poor
    served = household(BUNTOI, 1)
    served.needs_toilet = True
    served.save()
    receive(ProgramFactory(company=company, tahun=YEAR - 2, status="completed"), served)


@pytest.fixture
def unverified_owner(kahayan_hilir):
    company = CompanyFactory(name="PT Baru Daftar", kecamatan=kahayan_hilir, status=Company.Status.PENDING)
    return UserFactory(
        username="baru", role=User.Role.PERUSAHAAN, company=company, company_role=User.CompanyRole.OWNER
    )


def test_desa_where_the_bidang_reaches_most_unreached_poor_families_come_first(registry, dinsos, login):
    response = login(dinsos).get(URL, {"bidang": "infrastruktur", "kecamatan": "62.11.05"})

    assert response.status_code == 200
    body = response.json()
    assert [(r["nama"], r["keluarga"]) for r in body["results"]] == [("Mintin", 3), ("Buntoi", 2)]
    assert body["results"][0]["kebutuhan"][0] == {"label": "rumah tidak layak huni", "keluarga": 3}
    assert body["kebutuhan"] == ["rumah tidak layak huni", "tanpa air bersih", "tanpa jamban"]


def test_a_bidang_without_a_need_counts_every_unreached_poor_family(registry, dinsos, login):
    body = login(dinsos).get(URL, ANY).json()

    assert [(r["nama"], r["keluarga"]) for r in body["results"]] == [("Buntoi", 4), ("Mintin", 3)]


def test_the_program_forms_desil_limit_and_needs_replace_the_defaults(registry, dinsos, login):
    query = {"bidang": "infrastruktur", "kecamatan": "62.11.05", "desil": "1", "need": ["no_clean_water"]}
    body = login(dinsos).get(URL, query).json()

    assert [(r["nama"], r["keluarga"]) for r in body["results"]] == [("Buntoi", 1)]
    assert body["kebutuhan"] == ["tanpa air bersih"]


GAP_STATUS = {
    "anonymous": 302,
    "unverified_company": 403,
    "owner": 200,
    "editor": 200,
    "other_company": 200,
    "camat": 403,
    "other_camat": 403,
    "pimpinan": 403,
    "dinsos": 200,
}


@pytest.mark.parametrize("persona", GAP_STATUS)
def test_only_dinsos_and_verified_companies_use_the_gap_engine(
    registry, personas, unverified_owner, login, persona
):
    user = unverified_owner if persona == "unverified_company" else personas[persona]
    assert login(user).get(URL, ANY).status_code == GAP_STATUS[persona]


@pytest.fixture
def small_counts(company, kahayan_hilir):
    """Mintin: 8 poor families with a kesehatan need (6 with toddlers, 2 with only elderly, 1 disabled too)."""
    for index in range(8):
        h = household(MINTIN, 2)
        h.has_toddler = index < 6
        h.has_elderly = index >= 6
        h.has_disabled = index == 7
        h.save()
    for _ in range(2):
        h = household(BUNTOI, 1)
        h.has_elderly = True
        h.save()


def _figures(body) -> list:
    return [row["keluarga"] for row in body["results"]] + [
        need["keluarga"] for row in body["results"] for need in row["kebutuhan"]
    ]


def test_a_company_never_sees_a_count_of_one_to_four(small_counts, owner, login):
    body = login(owner).get(URL, {"bidang": "kesehatan", "kecamatan": "62.11.05"}).json()

    figures = _figures(body)
    assert {k: body["results"][0][k] for k in ("nama", "keluarga")} == {"nama": "Mintin", "keluarga": 10}
    assert "<5" in figures
    assert not [f for f in figures if isinstance(f, int) and 1 <= f <= 4]


def test_no_count_of_one_to_four_follows_from_subtracting_shown_figures(small_counts, owner, login):
    numbers = []
    for bidang in ("kesehatan", "sosial_keagamaan", "ekonomi"):
        body = login(owner).get(URL, {"bidang": bidang, "kecamatan": "62.11.05"}).json()
        numbers += [f for f in _figures(body) if isinstance(f, int)]

    assert numbers
    assert not [(a, b) for a, b in itertools.combinations(numbers, 2) if 1 <= abs(a - b) <= 4]


def test_the_response_to_a_company_holds_no_exact_small_count(small_counts, owner, login):
    text = login(owner).get(URL, {"bidang": "kesehatan", "kecamatan": "62.11.05"}).content.decode()
    body = json.loads(text)

    assert body["pembulatan"] is True
    assert '"keluarga": 8' not in text
    assert '"keluarga": 2' not in text


def test_gap_engine_gives_aggregates_only(registry, owner, login):
    content = login(owner).get(URL, ANY).content.decode()

    assert "nama_kepala" not in content
    assert "no_kk" not in content


@pytest.mark.parametrize(
    "query",
    [
        {"bidang": "x", "kecamatan": "62.11.05"},
        {"bidang": "ekonomi"},
        {},
        {**ANY, "desil": "11"},
        {**ANY, "need": "unknown"},
    ],
)
def test_gap_engine_wants_a_known_bidang_and_kecamatan(registry, owner, login, query):
    assert login(owner).get(URL, query).status_code == 400


def test_program_form_calls_the_gap_engine_from_a_static_script_and_says_what_it_counts(owner, login):
    html = login(owner).get(reverse("programs:create")).content.decode()

    assert f'data-gap-url="{URL}"' in html
    assert "js/gap.js" in html
    assert 'data-desil-field="id_max_desil"' in html
    assert "dibulatkan ke kelipatan 5" in html


def test_program_form_of_an_unverified_company_offers_no_gap_engine(unverified_owner, login):
    html = login(unverified_owner).get(reverse("programs:create")).content.decode()

    assert "data-gap-url" not in html
