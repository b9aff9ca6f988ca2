"""Dinsos uploads DTSEN's family and member files together: one check page, one apply, one undo."""

import pytest

from poverty_data.models import Household, ImportBatch, Member
from tests.accounts.factories import PASSWORD
from tests.poverty_data.test_import_pair import earlier_import, pair_files

pytestmark = pytest.mark.django_db(transaction=True)


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def sign_in(page, live_server, dinsos):
    page.goto(live_server.url + "/akun/login/?next=/registri/impor/")
    page.get_by_label("Nama pengguna").fill(dinsos.username)
    page.get_by_label("Sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()


@pytest.mark.parametrize("width", [1366, 390])
def test_dinsos_applies_and_undoes_a_family_and_member_pair(
    dinsos,
    live_server,
    page,
    screenshot,
    settings,
    tmp_path,
    wilayah,
    width,
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "private"
    earlier_import(tmp_path)
    family, members = pair_files(tmp_path)
    page.set_viewport_size({"width": width, "height": 900})

    sign_in(page, live_server, dinsos)
    page.locator("input[name=file]").set_input_files(str(family))
    page.locator("input[name=member_file]").set_input_files(str(members))
    page.locator("select[name=source]").select_option("dtsen")
    page.locator("input[name=period]").fill("2026-01")
    assert page.get_by_label("Berkas anggota DTSEN (opsional)").is_visible()
    screenshot(f"{width}-upload")
    assert no_horizontal_scroll(page)
    page.locator("form[enctype] button[type=submit]").click()

    page.locator("#import-summary").wait_for()
    assert "anggota.csv" in page.locator("#member-file").inner_text()
    assert "Kahayan Hilir" in page.locator("#kecamatan-summary").inner_text()
    assert "anggota.csv: no_kk" in page.locator("#rejected-rows").inner_text()
    screenshot(f"{width}-checked")
    assert no_horizontal_scroll(page)
    assert not Member.objects.exists()
    page.locator("#apply-form button[type=submit]").click()

    page.get_by_role("link", name="Batalkan impor ini").wait_for()
    assert Member.objects.count() == 8
    screenshot(f"{width}-applied")
    page.get_by_role("link", name="Batalkan impor ini").click()
    page.get_by_role("button", name="Batalkan impor").click()

    page.locator(".alert-success").first.wait_for()
    screenshot(f"{width}-undone")
    assert not Member.objects.exists()
    assert Household.objects.count() == 2
    assert (
        ImportBatch.objects.get(dry_run=False, member_file_name="anggota.csv").state
        == ImportBatch.State.UNDONE
    )


@pytest.mark.parametrize("width", [1366, 390])
def test_a_member_file_with_another_source_shows_the_error_next_to_the_field(
    dinsos,
    live_server,
    page,
    screenshot,
    tmp_path,
    wilayah,
    width,
):
    family, members = pair_files(tmp_path)
    page.set_viewport_size({"width": width, "height": 900})

    sign_in(page, live_server, dinsos)
    page.locator("input[name=file]").set_input_files(str(family))
    page.locator("input[name=member_file]").set_input_files(str(members))
    page.locator("select[name=source]").select_option("p3ke")
    page.locator("input[name=period]").fill("2026-01")
    page.locator("form[enctype] button[type=submit]").click()

    error = page.locator("input[name=member_file] ~ .invalid-feedback")
    error.wait_for()
    assert "hanya untuk berkas keluarga DTSEN" in error.inner_text()
    screenshot(f"{width}-member-file-error")
    assert no_horizontal_scroll(page)
    assert not ImportBatch.objects.exists()
