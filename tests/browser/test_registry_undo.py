"""Dinsos uploads a partial file of a newer period: warning per kecamatan, typed number, apply, then undo."""

import pytest

from poverty_data.models import Household, ImportBatch
from tests.accounts.factories import PASSWORD
from tests.poverty_data.test_import_scope import TAHAI_JAYA, dtsen, regency


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1366, 390])
def test_dinsos_confirms_a_mass_deactivation_then_undoes_it(
    dinsos, live_server, page, screenshot, settings, tmp_path, width
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "private"
    regency(tmp_path)
    path = dtsen(tmp_path / "maliku-2026-02.xlsx", [(n, TAHAI_JAYA) for n in range(11, 14)])
    page.set_viewport_size({"width": width, "height": 900})

    page.goto(live_server.url + "/akun/login/?next=/registri/impor/")
    page.get_by_label("Nama pengguna").fill(dinsos.username)
    page.get_by_label("Sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.locator("input[name=file]").set_input_files(str(path))
    page.locator("select[name=source]").select_option("dtsen")
    page.locator("input[name=period]").fill("Februari 2026")
    assert page.locator("input[name=complete]").is_visible()
    screenshot(f"{width}-upload")
    assert no_horizontal_scroll(page)
    page.locator("form[enctype] button[type=submit]").click()

    warning = page.locator("#deactivation-warning")
    warning.wait_for()
    assert "7" in warning.inner_text()
    assert "Maliku" in page.locator("#kecamatan-summary").inner_text()
    screenshot(f"{width}-warning")
    assert no_horizontal_scroll(page)

    page.locator("input[name=confirmation]").fill("6")
    page.locator("#apply-form button[type=submit]").click()
    page.locator("input[name=confirmation].is-invalid, .invalid-feedback").first.wait_for()
    assert Household.objects.active().count() == 20
    page.locator("input[name=confirmation]").fill("7")
    page.locator("#apply-form button[type=submit]").click()

    page.get_by_role("link", name="Batalkan impor ini").wait_for()
    assert Household.objects.active().count() == 13
    screenshot(f"{width}-applied")
    page.get_by_role("link", name="Batalkan impor ini").click()
    page.locator("#undo-effects").wait_for()
    screenshot(f"{width}-undo-confirm")
    assert no_horizontal_scroll(page)
    page.get_by_role("button", name="Batalkan impor").click()

    page.locator(".alert-success").first.wait_for()
    screenshot(f"{width}-undone")
    assert Household.objects.active().count() == 20
    applied = ImportBatch.objects.get(dry_run=False, file_name="maliku-2026-02.xlsx")
    assert applied.state == ImportBatch.State.UNDONE
    assert applied.undone_by == dinsos
