"""Public tables are cached under the dashboards' figures version: served again cheaply, fresh after a change."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from companies.services import company_suspend
from tests.programs.delivery_helpers import running_program
from tslp_portal.caching import local_cache

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):
    settings.TSLP_DASHBOARD_CACHE_SECONDS = 60
    local_cache.clear()
    yield
    local_cache.clear()


def get(client, url, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    return response.json(), len(queries)


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/api/v1/publik/statistik/kecamatan/", {}),
        ("/api/v1/publik/statistik/desa/", {"kecamatan": "62.11.05"}),
    ],
)
def test_public_statistics_come_from_the_cache_until_the_ledger_changes(cached, scene, company, url, params):
    client = APIClient()
    params = {"tahun": scene["big"].tahun, **params}
    first, first_queries = get(client, url, params)
    second, second_queries = get(client, url, params)
    assert second == first
    assert second_queries <= 3 < first_queries
    running_program(company=company, dinsos=scene["dinsos"], households=7, title="Baru")
    third, third_queries = get(client, url, params)
    assert third_queries > second_queries
    assert third["results"] != first["results"]


def page(client, url, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('<main id="main"') : html.index("</main>")], len(queries)


@pytest.mark.parametrize(("url", "most"), [("/publik/", 1), ("/publik/kecamatan/62.11.05/", 2)])
def test_public_pages_are_rendered_once_until_the_ledger_changes(cached, scene, company, client, url, most):
    params = {"tahun": scene["big"].tahun}
    first, _first_queries = page(client, url, params)
    second, second_queries = page(client, url, params)
    assert second == first
    assert second_queries <= most
    running_program(company=company, dinsos=scene["dinsos"], households=7, title="Baru")
    third, _third_queries = page(client, url, params)
    assert third != first
    local_cache.clear()
    assert page(client, url, params)[0] == third  # exactly what an uncached page shows


def test_a_suspended_company_leaves_the_cached_public_page(cached, scene, company, client, dinsos):
    params = {"tahun": scene["big"].tahun}
    assert company.name in page(client, "/publik/", params)[0]
    company_suspend(company=company, actor=dinsos, note="Diperiksa.")
    assert company.name not in page(client, "/publik/", params)[0]


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/publik/", 404),
        ("/publik/kecamatan/62.11.05/", 404),
        ("/publik/unduh/desa.xlsx?kecamatan=62.11.05&", 404),
        ("/api/v1/publik/statistik/kecamatan/", 404),
        ("/api/v1/publik/statistik/desa/?kecamatan=62.11.05&", 404),
    ],
)
def test_years_the_selector_does_not_offer_are_refused_and_add_nothing_to_the_cache(
    cached, scene, client, url, status
):
    offered = client.get("/publik/").context["years"]
    assert client.get("/publik/", {"tahun": scene["big"].tahun}).status_code == 200
    entries = len(local_cache._cache)
    separator = "" if url.endswith("&") else "?"
    for year in [year for year in range(2000, 2101) if year not in offered][:40]:
        assert client.get(f"{url}{separator}tahun={year}").status_code == status
    assert len(local_cache._cache) == entries
