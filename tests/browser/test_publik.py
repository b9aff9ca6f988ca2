"""The public page in a real browser: the map draws from local assets, the page fits a phone."""

import pytest

from tests.programs.delivery_helpers import running_program

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def programs(company, dinsos):
    return [
        running_program(company=company, dinsos=dinsos, households=9, title="Beasiswa"),
        running_program(
            company=company, dinsos=dinsos, households=2, maliku_households=3, bidang="kesehatan"
        ),
    ]


@pytest.mark.parametrize(("width", "height"), [(1366, 900), (390, 844)])
def test_public_page_draws_its_map_offline_and_fits_the_screen(
    page, live_server, programs, screenshot, width, height
):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{live_server.url}/publik/?tahun={programs[0].tahun}")
    page.locator("#peta path.leaflet-interactive").first.wait_for()
    assert page.locator("#peta path.leaflet-interactive").count() == 8
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(f"publik-{width}")
    page.get_by_role("link", name="Maliku").click()
    page.locator("#peta path.leaflet-interactive").first.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(f"kecamatan-{width}")
    assert [url for url in requests if not url.startswith(live_server.url)] == []
