import pytest

from poverty_data.models import Household, ImportBatch
from tests.accounts.factories import PASSWORD
from tests.poverty_data.files import DTSEN_HEADER, dtsen_row, write_xlsx


@pytest.mark.django_db(transaction=True)
def test_dinsos_uploads_checks_and_applies_a_registry_file(
    dinsos, live_server, page, screenshot, settings, tmp_path
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "private"
    path = write_xlsx(
        tmp_path / "dtsen.xlsx", [DTSEN_HEADER, dtsen_row(1), dtsen_row(2), dtsen_row(3, desil="x")]
    )

    page.goto(live_server.url + "/akun/login/?next=/registri/impor/")
    page.get_by_label("Nama pengguna").fill(dinsos.username)
    page.get_by_label("Sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.locator("input[name=file]").set_input_files(str(path))
    page.locator("select[name=source]").select_option("dtsen")
    page.locator("input[name=period]").fill("2026-01")
    page.locator("form[enctype] button[type=submit]").click()

    page.locator("#import-summary").wait_for()
    assert "x" in page.locator("#rejected-rows").inner_text()
    screenshot("checked")
    assert not Household.objects.exists()
    page.locator("form[action$='/terapkan/'] button").click()

    page.locator("#import-summary").wait_for()
    screenshot("applied")
    assert Household.objects.count() == 2
    assert ImportBatch.objects.filter(state=ImportBatch.State.APPLIED).count() == 1
