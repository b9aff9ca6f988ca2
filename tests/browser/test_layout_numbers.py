"""What people see at 1366 and 390 px: no number split across lines or cut, tables that fit or scroll visibly,
and a map whose legend folds on a phone and whose zoom buttons speak the page's language."""

import pytest

from tests.browser.steps import log_in
from tests.dashboards.ledger import BUNTOI, YEAR, build

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = (1366, 390)

# Every run of digits (with Indonesian thousands dots and decimal commas) in a visible text node: the boxes it
# is drawn in. A number drawn on two lines has two boxes at different heights.
SPLIT_NUMBERS = """() => {
  const found = [];
  const walker = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement.offsetParent) continue;
    for (const match of node.textContent.matchAll(/\\d[\\d.,]*\\d|\\d/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const tops = new Set(Array.from(range.getClientRects(), r => Math.round(r.top)));
      if (tops.size > 1) found.push(match[0] + " in " + node.parentElement.outerHTML.slice(0, 80));
    }
  }
  return found;
}"""

# A table either fits its box, or its box scrolls visibly: marked, with a hint above it.
TABLES_THAT_NEITHER_FIT_NOR_SCROLL = """() => Array.from(document.querySelectorAll("main table"))
  .filter(t => t.offsetParent !== null)
  .filter(t => {
    const box = t.closest(".table-responsive") || t.parentElement;
    if (t.scrollWidth <= box.clientWidth + 1 && t.getBoundingClientRect().right <= window.innerWidth + 1) return false;
    const hint = box.previousElementSibling;
    return !(box.classList.contains("is-scrolling") && hint && hint.classList.contains("scroll-hint")
             && hint.offsetParent !== null);
  })
  .map(t => (t.querySelector("caption") || t).textContent.trim().slice(0, 60))"""


@pytest.fixture
def ledger(company):
    return build(company)


def look(page, url, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(url)
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("width", WIDTHS)
def test_no_number_is_split_or_cut_and_every_table_fits_or_scrolls_visibly(
    live_server, page, camat, pimpinan, ledger, width
):
    base = live_server.url
    log_in(page, base, camat.username)
    for path in (f"/dasbor/?tahun={YEAR}", f"/dasbor/desa/{BUNTOI}/?tahun={YEAR}"):
        look(page, base + path, width)
        assert page.evaluate(SPLIT_NUMBERS) == [], path
        assert page.evaluate(TABLES_THAT_NEITHER_FIT_NOR_SCROLL) == [], path
    log_in(page, base, pimpinan.username)
    look(page, f"{base}/dasbor/?tahun={YEAR}", width)
    assert page.evaluate(SPLIT_NUMBERS) == []
    assert page.evaluate(TABLES_THAT_NEITHER_FIT_NOR_SCROLL) == []


def test_a_stacked_value_too_long_for_the_space_beside_its_label_goes_whole_to_the_next_line(
    live_server, page, camat, ledger
):
    log_in(page, live_server.url, camat.username)
    look(page, f"{live_server.url}/dasbor/?tahun={YEAR}", 390)
    cell = page.locator("#tabel-desa td[data-label]").nth(4)  # "Kesenjangan (miskin belum terjangkau)"
    cell.evaluate("td => { td.textContent = 'Rp 3.250.000.000.000'; }")
    assert page.evaluate(SPLIT_NUMBERS) == []
    label_top, label_bottom = cell.evaluate(
        "td => { const r = td.getBoundingClientRect(); return [r.top, r.bottom]; }"
    )
    assert label_bottom - label_top > 30  # two lines: the label, then the whole number


def test_the_map_legend_is_folded_on_a_phone_and_the_zoom_buttons_are_indonesian(
    live_server, page, camat, ledger
):
    log_in(page, live_server.url, camat.username)
    look(page, f"{live_server.url}/dasbor/?tahun={YEAR}", 390)
    page.wait_for_selector("#dash-map[data-drawn=true]")
    toggle = page.get_by_role("button", name="Legenda")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not page.locator(".dash-legend-body").is_visible()
    toggle.click()
    assert page.locator(".dash-legend-body").inner_text().startswith("Cakupan")
    assert page.locator(".leaflet-control-zoom-in").get_attribute("title") == "Perbesar"
    assert page.locator(".leaflet-control-zoom-out").get_attribute("title") == "Perkecil"
    look(page, f"{live_server.url}/dasbor/?tahun={YEAR}", 1366)
    page.wait_for_selector("#dash-map[data-drawn=true]")
    assert page.locator(".dash-legend-body").is_visible()
    assert page.locator(".dash-map-label").count() == 10  # every desa of Kahayan Hilir named on the map


def test_the_public_map_keeps_the_wheel_for_the_page_and_names_its_zoom_buttons(live_server, page, ledger):
    look(page, f"{live_server.url}/publik/?tahun={YEAR}", 1366)
    page.locator("#peta path.leaflet-interactive").first.wait_for()
    assert page.locator("#peta .leaflet-control-zoom-in").get_attribute("title") == "Perbesar"
    assert page.evaluate("document.querySelector('#peta').classList.contains('leaflet-touch-zoom')")
    zoom = page.evaluate("() => document.querySelector('#peta .leaflet-proxy').style.transform")
    page.mouse.move(683, page.locator("#peta").bounding_box()["y"] + 150)
    page.mouse.wheel(0, -600)
    page.wait_for_timeout(400)
    assert page.evaluate("() => document.querySelector('#peta .leaflet-proxy').style.transform") == zoom
