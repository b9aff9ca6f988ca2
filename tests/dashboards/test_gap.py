import pytest
from django.urls import reverse

from tests.dashboards.ledger import BUNTOI, MINTIN, YEAR, household, receive
from tests.programs.factories import ProgramFactory

pytestmark = pytest.mark.django_db
URL = reverse("dashboards:gap")


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


def test_desa_where_the_bidang_reaches_most_unreached_poor_families_come_first(registry, owner, login):
    response = login(owner).get(URL, {"bidang": "infrastruktur", "kecamatan": "62.11.05"})

    assert response.status_code == 200
    body = response.json()
    assert [(r["nama"], r["keluarga"]) for r in body["results"]] == [("Mintin", 3), ("Buntoi", 2)]
    assert body["results"][0]["kebutuhan"][0] == {"label": "rumah tidak layak huni", "keluarga": 3}
    assert body["kebutuhan"] == ["rumah tidak layak huni", "tanpa air bersih", "tanpa jamban"]


def test_a_bidang_without_a_need_counts_every_unreached_poor_family(registry, owner, login):
    body = login(owner).get(URL, {"bidang": "ekonomi", "kecamatan": "62.11.05"}).json()

    assert [(r["nama"], r["keluarga"]) for r in body["results"]] == [("Buntoi", 4), ("Mintin", 3)]


def test_gap_engine_gives_aggregates_only(registry, owner, login):
    content = login(owner).get(URL, {"bidang": "ekonomi", "kecamatan": "62.11.05"}).content.decode()

    assert "nama_kepala" not in content
    assert "no_kk" not in content


@pytest.mark.parametrize("query", [{"bidang": "x", "kecamatan": "62.11.05"}, {"bidang": "ekonomi"}, {}])
def test_gap_engine_wants_a_known_bidang_and_kecamatan(registry, owner, login, query):
    assert login(owner).get(URL, query).status_code == 400


def test_gap_engine_is_for_signed_in_users(registry, client):
    response = client.get(URL, {"bidang": "ekonomi", "kecamatan": "62.11.05"})
    assert response.status_code == 302


def test_program_form_calls_the_gap_engine_from_a_static_script(owner, login):
    html = login(owner).get(reverse("programs:create")).content.decode()

    assert f'data-gap-url="{URL}"' in html
    assert "js/gap.js" in html
