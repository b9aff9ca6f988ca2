"""The camat's journey through the dashboards: map, year, desa, brief and its print view, all offline."""

import pytest

from tests.browser.steps import log_in
from tests.dashboards.ledger import YEAR, build


@pytest.mark.django_db(transaction=True)
def test_camat_reads_the_map_switches_year_opens_a_desa_and_prints_the_brief(
    live_server, page, screenshot, camat, company, maliku
):
    build(company)
    base = live_server.url
    outside = []
    page.on(
        "request", lambda r: None if r.url.startswith((base, "data:", "blob:")) else outside.append(r.url)
    )

    log_in(page, base, camat.username)
    page.goto(f"{base}/dasbor/?tahun={YEAR}")
    assert "Kecamatan Kahayan Hilir" in page.get_by_role("heading", level=1).inner_text()
    page.wait_for_selector("#dash-map[data-drawn=true] path.leaflet-interactive")
    assert page.locator("#dash-map path.leaflet-interactive").count() == 10  # every desa of Kahayan Hilir
    assert page.locator(".dash-legend-body").inner_text().startswith("Cakupan")
    page.get_by_role("button", name="Kesenjangan").click()
    assert page.locator(".dash-legend-body").inner_text().startswith("Kesenjangan")
    page.locator("#dash-map path.leaflet-interactive").first.click(force=True)
    assert page.locator(".leaflet-popup-content").is_visible()
    popups = []
    for shape in page.locator("#dash-map path.leaflet-interactive").all():
        shape.click(force=True)
        popups.extend(page.locator(".leaflet-popup-content").all_inner_texts())
    # The popup reads the coverage exactly as the table and the card do (one decimal, half up).
    assert any("Buntoi" in text and "Cakupan: 20,0%" in text for text in popups), popups
    screenshot("camat-dashboard-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    fits_a_phone(page)
    screenshot("camat-dashboard-390")
    page.set_viewport_size({"width": 1366, "height": 900})

    page.get_by_label("Tahun anggaran").select_option(str(YEAR - 1))
    page.wait_for_url(f"**tahun={YEAR - 1}**")
    assert f"· {YEAR - 1}" in page.get_by_role("heading", level=1).inner_text()
    page.get_by_label("Tahun anggaran").select_option(str(YEAR))
    page.wait_for_url(f"**tahun={YEAR}**")

    page.locator("#tabel-desa").get_by_role("link", name="Buntoi").click()
    assert page.get_by_role("heading", level=1).inner_text() == f"Desa Buntoi · {YEAR}"
    assert page.get_by_test_id("card-cakupan").inner_text() == "20,0%"
    screenshot("desa-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    fits_a_phone(page)
    screenshot("desa-390")
    page.set_viewport_size({"width": 1366, "height": 900})

    page.get_by_role("link", name="Kecamatan Kahayan Hilir").click()
    page.get_by_role("link", name="Ringkasan tertulis").click()
    brief = page.get_by_test_id("brief")
    assert "Pada 2026, Kecamatan Kahayan Hilir memiliki 5 keluarga miskin" in brief.inner_text()
    screenshot("brief-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    fits_a_phone(page)
    screenshot("brief-390")
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.emulate_media(media="print")
    assert not page.get_by_role("button", name="Salin teks").is_visible()
    assert not page.locator(".portal-navbar").is_visible()
    assert page.evaluate("document.documentElement.scrollHeight") <= 1123  # one A4 page
    screenshot("brief-print")

    assert outside == []


def fits_a_phone(page) -> None:
    """Nothing scrolls sideways at 390 px, once the page has laid itself out for the new width."""
    for _ in range(50):
        if page.evaluate("document.documentElement.scrollWidth") <= 390:
            return
        page.wait_for_timeout(100)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
