"""Access to a dashboard is decided before its cache is read: whoever filled the cache, every persona gets
exactly what it gets from an empty cache, on every dashboard URL and statistics endpoint."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory
from django.urls import reverse

from dashboards.urls import dasbor as urls_dasbor
from dashboards.views import dashboard
from tests.dashboards.ledger import BUNTOI, TAHAI_JAYA, YEAR, build
from tslp_portal.caching import local_cache

pytestmark = pytest.mark.django_db
KECAMATAN_CODES = ("62.11.05", "62.11.06")  # the camat's, the other camat's
DESA_CODES = (BUNTOI, TAHAI_JAYA)
FILLERS = ("dinsos", "pimpinan", "camat", "other_camat")


def dashboard_urls() -> list[str]:
    """Every URL of the dashboards' URL module, with each area a persona may or may not see."""
    urls = []
    for pattern in urls_dasbor.urlpatterns:
        name = f"dashboards:{pattern.name}"
        area = getattr(getattr(pattern.callback, "view_class", None), "area", None)
        if "kode" not in pattern.pattern.converters:
            urls.append(reverse(name))
            continue
        assert area in (dashboard.KECAMATAN, dashboard.DESA), pattern.name
        codes = DESA_CODES if area == dashboard.DESA else KECAMATAN_CODES
        urls += [reverse(name, args=[code]) for code in codes]
    urls.append(reverse("statistik:kecamatan"))
    urls += [f"{reverse('statistik:desa')}?kecamatan={code}" for code in KECAMATAN_CODES]
    return urls


def status(client, url) -> int:
    separator = "&" if "?" in url else "?"
    return client.get(f"{url}{separator}tahun={YEAR}").status_code


@pytest.fixture
def clients(personas):
    """A browser of its own per persona, all signed in at once."""
    browsers = {}
    for name, user in personas.items():
        browsers[name] = Client()
        if user is not None:
            browsers[name].force_login(user)
    return browsers


def test_every_dashboard_url_answers_each_persona_the_same_whoever_filled_the_cache(
    settings, company, clients
):
    build(company)
    settings.TSLP_DASHBOARD_CACHE_SECONDS = 0
    urls = dashboard_urls()
    cold = {(url, name): status(c, url) for url in urls for name, c in clients.items()}
    # What the walk relies on: each filler sees something the others may not.
    assert cold[(reverse("dashboards:kecamatan", args=["62.11.06"]), "camat")] == 404
    assert cold[(reverse("dashboards:regency"), "camat")] == 403
    assert cold[(reverse("dashboards:desa", args=[TAHAI_JAYA]), "other_camat")] == 200

    settings.TSLP_DASHBOARD_CACHE_SECONDS = 60
    for filler in FILLERS:
        local_cache.clear()
        for url in urls:
            status(clients[filler], url)
        for url in urls:
            for name, c in clients.items():
                assert status(c, url) == cold[(url, name)], (filler, url, name)
    local_cache.clear()


class _Forgotten(dashboard.DashboardView):
    """A page that follows the recipe but does not say which area it shows."""

    content_template = "dashboards/dashboard/kecamatan_content.html"


def test_a_dashboard_that_does_not_name_its_area_is_refused_before_any_cache(pimpinan, settings):
    settings.TSLP_DASHBOARD_CACHE_SECONDS = 60
    request = RequestFactory().get("/dasbor/x/62.11.05/")
    request.user = pimpinan
    with pytest.raises(ImproperlyConfigured, match="must set area"):
        _Forgotten.as_view()(request, kode="62.11.05")
