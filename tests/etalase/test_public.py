import pytest
from django.urls import reverse

from etalase.models import Need
from tests.etalase.factories import NeedFactory

S = Need.Status


@pytest.fixture
def needs(kahayan_hilir, maliku):
    return {status: NeedFactory(status=status, title=f"Kebutuhan {status}") for status in S}


def test_public_etalase_lists_open_and_adopted_needs_only(client, needs):
    response = client.get(reverse("publik:etalase"))
    assert response.status_code == 200
    assert sorted(n.status for n in response.context["needs"]) == sorted([S.OPEN, S.ADOPTED])


def test_public_etalase_ignores_a_status_filter_outside_the_public_ones(client, needs):
    response = client.get(reverse("publik:etalase"), {"status": S.PROPOSED})
    assert sorted(n.status for n in response.context["needs"]) == sorted([S.OPEN, S.ADOPTED])


def test_api_lists_open_needs_to_anonymous(client, needs):
    response = client.get("/api/v1/etalase/")
    assert response.status_code == 200
    assert sorted(row["status"] for row in response.json()["results"]) == sorted([S.OPEN, S.ADOPTED])


def test_api_scopes_needs_of_a_camat(client, needs, other_camat, maliku):
    in_maliku = NeedFactory(kecamatan=maliku, status=S.PROPOSED)
    client.force_login(other_camat)
    response = client.get("/api/v1/etalase/")
    assert [row["id"] for row in response.json()["results"]] == [in_maliku.pk]
    assert client.get(f"/api/v1/etalase/{needs[S.OPEN].pk}/").status_code == 404


def test_api_filters_by_bidang_and_budget(client, kahayan_hilir):
    NeedFactory(bidang="pendidikan", budget=20_000_000, title="Beasiswa")
    NeedFactory(bidang="pendidikan", budget=900_000_000, title="Gedung")
    NeedFactory(bidang="kesehatan", budget=20_000_000, title="Posyandu")
    response = client.get("/api/v1/etalase/", {"bidang": "pendidikan", "budget_max": "100000000"})
    assert [row["title"] for row in response.json()["results"]] == ["Beasiswa"]
