"""The gap engine on the program form: ticking a desa keeps the keyboard where the user is."""

import pytest

from tests.browser.steps import log_in
from tests.dashboards.ledger import MINTIN, household


@pytest.mark.django_db(transaction=True)
def test_ticking_a_desa_from_the_gap_engine_keeps_focus_on_the_list(live_server, page, owner):
    for _ in range(6):
        h = household(MINTIN, 2)
        h.needs_water = True
        h.save()
    log_in(page, live_server.url, owner.username)
    page.goto(live_server.url + "/program/baru/")
    page.get_by_role("combobox", name="Bidang").select_option(label="Infrastruktur")
    tick = page.locator("[data-gap-results] button").first
    tick.wait_for()
    assert "5 keluarga miskin" in page.locator("[data-gap-results]").inner_text()

    tick.focus()
    page.keyboard.press("Enter")

    assert page.evaluate("() => document.activeElement.textContent") == "Sudah dicentang"
    assert page.locator("#desa-" + str(h.desa_id)).is_checked()
