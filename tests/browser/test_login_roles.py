import pytest

from tests.accounts.factories import PASSWORD

HOME_HEADINGS = {
    "dinsos": "Dinas Sosial",
    "camat": "Kecamatan Kahayan Hilir",
    "pimpinan": "Kabupaten Pulang Pisau",
    "owner": "PT Sawit Kahayan Lestari",
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("persona", list(HOME_HEADINGS))
def test_each_role_logs_in_and_sees_its_home_page(persona, request, live_server, page, screenshot):
    user = request.getfixturevalue(persona)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Masuk").first.click()
    page.get_by_label("Nama pengguna").fill(user.username)
    page.get_by_label("Sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    heading = page.get_by_role("heading", level=1)
    assert HOME_HEADINGS[persona] in heading.inner_text()
    screenshot("home")
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("button", name="Menu").click()
    page.wait_for_selector("#portal-nav.show")  # the menu has finished opening; a click during it is lost
    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="Keluar").click()
    assert page.get_by_role("link", name="Masuk").first.is_visible()
