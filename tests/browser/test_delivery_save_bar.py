"""A company reporting delivery for a long list on a phone reaches the save button without scrolling to the end."""

import pytest

from programs.services import data_use_accept
from tests.browser.steps import log_in
from tests.programs.delivery_helpers import record_pks, running_program

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1366, 900)])
def test_the_save_button_stays_on_screen_below_a_long_delivery_list(
    live_server, page, company, owner, dinsos, width, height
):
    program = running_program(company=company, dinsos=dinsos, households=30, title="Paket sekolah")
    record_pks(company=company, dinsos=dinsos)
    data_use_accept(program=program, actor=owner)
    log_in(page, live_server.url, owner.username)
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{live_server.url}/program/{program.pk}/penerima/")
    assert page.evaluate("document.documentElement.scrollHeight") > 2 * height
    for scroll in (0, 1500):
        page.evaluate(f"window.scrollTo(0, {scroll})")
        box = page.get_by_test_id("save-delivery").bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= height, scroll
