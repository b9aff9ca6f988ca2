"""The gap engine on the program form: the desa by published gap, the etalase's needs, and ticking a desa keeps
the keyboard where the user is."""

import pytest

from etalase.models import Need
from poverty_data.models import Desa
from programs.models import Bidang
from tests.browser.conftest import ARTIFACTS
from tests.browser.steps import log_in
from tests.publik.test_gap import ledger  # noqa: F401 (a fixture)


@pytest.mark.django_db(transaction=True)
def test_the_gap_engine_lists_desa_by_published_gap_with_their_needs(live_server, page, owner, ledger):  # noqa: F811
    first = Desa.objects.get(kode="62.11.05.1015")  # Kalawa: the largest published gap of the ledger
    Need.objects.create(
        kecamatan=first.kecamatan,
        desa=first,
        bidang=Bidang.INFRASTRUKTUR,
        bentuk="bina_lingkungan",
        title="Sumur bor",
        budget=40_000_000,
        status=Need.Status.OPEN,
    )
    log_in(page, live_server.url, owner.username)
    page.goto(live_server.url + "/program/baru/")
    page.get_by_role("combobox", name="Bidang").select_option(label="Infrastruktur")
    tick = page.locator("[data-gap-results] button").first
    tick.wait_for()
    text = page.locator("[data-gap-results]").inner_text()
    assert text.startswith("Kalawa: 13 keluarga miskin belum terjangkau tahun ini")
    assert "Sumur bor (Rp 40.000.000)" in text
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator(".gap-engine").screenshot(path=str(ARTIFACTS / "gap-engine-1366.png"))

    tick.focus()
    page.keyboard.press("Enter")

    assert page.evaluate("() => document.activeElement.textContent") == "Sudah dicentang"
    assert page.locator(f"#desa-{first.pk}").is_checked()
