"""Steps that several browser journeys share, written as a user does them."""

from tests.accounts.factories import PASSWORD


def log_in(page, base_url, username, password=PASSWORD):
    page.context.clear_cookies()
    page.goto(base_url + "/akun/login/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()


def register_company(page, base_url, *, name, nib, username, screenshot=None):
    """Fill in the public registration form for a company and its contact person."""
    page.goto(base_url + "/")
    page.get_by_role("link", name="Daftarkan perusahaan Anda").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Daftarkan perusahaan Anda"
    page.get_by_label("Nama resmi perusahaan").fill(name)
    page.get_by_label("Bentuk badan usaha").select_option(label="PT")
    page.get_by_label("NIB").fill(nib)
    page.get_by_label("NPWP").fill("01.234.567.8-712.000")
    page.get_by_label("Sektor usaha").fill("Perkebunan kelapa sawit")
    page.get_by_label("Alamat").fill("Jl. Trans Kalimantan Km 12, Pulang Pisau")
    page.get_by_label("Kecamatan tempat beroperasi").select_option(label="Kahayan Hilir")
    page.get_by_label("Telepon perusahaan").fill("0513-61500")
    page.get_by_label("E-mail perusahaan").fill("csr@karyasawit.example")
    page.get_by_label("Nama lengkap Anda").fill("Rina Kartika")
    page.get_by_label("Telepon Anda").fill("0812 5000 1234")
    page.get_by_label("E-mail Anda").fill("rina@karyasawit.example")
    page.get_by_label("Nama pengguna").fill(username)
    page.locator("#id_password1").fill(PASSWORD)
    page.get_by_label("Ulangi sandi").fill(PASSWORD)
    if screenshot:
        screenshot("registration-form")
    page.get_by_role("button", name="Daftar").click()
    page.wait_for_load_state()


def verify_company_in_admin(page, base_url, name):
    page.goto(base_url + "/admin/companies/company/?status__exact=pending")
    page.get_by_role("row", name=name).get_by_role("checkbox").check()
    page.locator("select[name=action]").select_option("verify_selected")
    page.locator("button[name=index]").click()
    page.wait_for_load_state()
