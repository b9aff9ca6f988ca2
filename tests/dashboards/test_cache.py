"""Dashboards cache their content until anything they show changes; scope is checked before the cache."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.services import program_cancel
from tests.dashboards.ledger import YEAR, build
from tslp_portal.caching import local_cache

pytestmark = pytest.mark.django_db
URL = reverse("dashboards:kecamatan", args=["62.11.05"])


@pytest.fixture
def cached(settings):
    # Long enough that no entry expires while a slow (loaded) machine runs one test.
    settings.TSLP_DASHBOARD_CACHE_SECONDS = 3600
    local_cache.clear()
    yield
    local_cache.clear()


def get(client, url=URL):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"tahun": YEAR})
    return response, len(queries)


def test_second_view_is_served_from_the_cache_with_few_queries(cached, company, pimpinan, login):
    build(company)
    client = login(pimpinan)
    _first, first_queries = get(client)
    second, second_queries = get(client)

    assert second.status_code == 200
    assert second_queries <= 6 < first_queries
    assert "Rp 1.345.000.002" in second.content.decode()


def test_a_ledger_change_refreshes_the_cached_page(
    cached, company, pimpinan, dinsos, login, django_capture_on_commit_callbacks
):
    ledger = build(company)
    client = login(pimpinan)
    assert "Rp 1.345.000.002" in get(client)[0].content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        program_cancel(program=ledger["p1"], actor=dinsos, note="Dihentikan.")

    assert "Rp 345.000.001" in get(client)[0].content.decode()


def test_scope_is_checked_before_the_cache(cached, company, pimpinan, other_camat, camat, login):
    build(company)
    get(login(pimpinan))
    get(login(pimpinan), reverse("dashboards:dashboard"))

    assert get(login(other_camat))[0].status_code == 404
    assert get(login(camat), reverse("dashboards:regency"))[0].status_code == 403


def test_statistics_are_cached_per_scope(cached, company, pimpinan, camat, login):
    build(company)
    url = reverse("statistik:kecamatan")
    get(login(pimpinan), url)
    response, queries = get(login(pimpinan), url)

    assert len(response.json()["results"]) == 8
    assert queries <= 6
    assert [r["kode"] for r in get(login(camat), url)[0].json()["results"]] == ["62.11.05"]


def main_content(response) -> str:
    """The page's content (what is cached), without the navigation and its per-request CSRF token."""
    html = response.content.decode()
    return html[html.index('<main id="main"') : html.index("</main>")]


@pytest.mark.parametrize("first", ["camat", "pimpinan"])
def test_a_cached_page_is_never_served_to_another_role(cached, company, camat, pimpinan, login, first):
    build(company)
    users = {"camat": camat, "pimpinan": pimpinan}
    for url in (URL, reverse("dashboards:desa", args=["62.11.05.2001"])):
        fresh = {}
        for role, user in users.items():
            local_cache.clear()
            fresh[role] = main_content(get(login(user), url)[0])
        local_cache.clear()
        for role in (first, *(r for r in users if r != first)):
            assert main_content(get(login(users[role]), url)[0]) == fresh[role], (url, role)
        # What differs: the regency link in the breadcrumb (a camat has no regency dashboard).
        assert fresh["pimpinan"].count("breadcrumb-item") == fresh["camat"].count("breadcrumb-item") + 1


def test_dinsos_and_pimpinan_have_cache_entries_of_their_own(cached, company, dinsos, pimpinan, login):
    build(company)
    get(login(dinsos))
    entries = len(local_cache._cache)
    get(login(pimpinan))
    assert len(local_cache._cache) > entries


def test_a_cached_desa_page_checks_its_scope_without_loading_the_desa(cached, company, camat, login):
    build(company)
    url = reverse("dashboards:desa", args=["62.11.05.2001"])
    client = login(camat)
    get(client, url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, {"tahun": YEAR}).status_code == 200
    assert not [q["sql"] for q in queries.captured_queries if "poverty_data_desa" in q["sql"]]


@pytest.mark.parametrize(
    "url",
    [
        reverse("dashboards:desa", args=["62.11.06.2001"]),  # Maliku: another kecamatan's desa
        reverse("dashboards:kecamatan", args=["62.11.06"]),
        reverse("dashboards:desa", args=["62.11.05"]),  # a kecamatan code where a desa code belongs
        reverse("dashboards:kecamatan", args=["62.11.05.2001"]),
        reverse("dashboards:desa", args=["62.11.05.9999"]),  # no such desa
        reverse("dashboards:kecamatan", args=["62.11.05%20OR%201"]),
    ],
)
def test_a_camat_gets_404_outside_its_kecamatan_even_once_dinsos_filled_the_cache(
    cached, company, camat, dinsos, login, url
):
    build(company)
    get(login(dinsos), url)
    assert get(login(camat), url)[0].status_code == 404


def junk_years(offered):
    return [year for year in range(2000, 2101) if year not in offered][:40]


def test_years_the_selector_does_not_offer_are_never_cached_nor_evict_a_cached_dashboard(
    cached, company, camat, login
):
    build(company)
    client = login(camat)
    first, _queries = get(client)
    offered = first.context["years"]
    entries = len(local_cache._cache)
    for year in junk_years(offered):
        assert client.get(URL, {"tahun": year}).status_code == 200  # shown, not kept
        assert (
            client.get("/api/v1/statistik/desa/", {"kecamatan": "62.11.05", "tahun": year}).status_code == 200
        )
    assert len(local_cache._cache) == entries
    again, again_queries = get(client)
    assert again_queries <= 6
    assert "Rp 1.345.000.002" in again.content.decode()
