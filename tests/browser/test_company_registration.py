import pytest
from django.core import mail

from companies.models import Company
from tests.accounts.factories import PASSWORD
from tests.browser.steps import log_in


@pytest.mark.django_db(transaction=True)
def test_company_registers_dinsos_verifies_it_and_the_company_sees_it(
    live_server, page, screenshot, dinsos, settings
):
    settings.TSLP_DINSOS_EMAILS = ["sekretariat@dinsos.example"]
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Daftarkan perusahaan Anda").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Daftarkan perusahaan Anda"

    page.get_by_label("Nama resmi perusahaan").fill("PT Karya Sawit Sebangau")
    page.get_by_label("Bentuk badan usaha").select_option(label="PT")
    page.get_by_label("NIB").fill("8120.0012.3456.7")
    page.get_by_label("NPWP").fill("01.234.567.8-712.000")
    page.get_by_label("Sektor usaha").fill("Perkebunan kelapa sawit")
    page.get_by_label("Alamat").fill("Jl. Trans Kalimantan Km 12, Pulang Pisau")
    page.get_by_label("Kecamatan tempat beroperasi").select_option(label="Kahayan Hilir")
    page.get_by_label("Telepon perusahaan").fill("0513-61500")
    page.get_by_label("E-mail perusahaan").fill("csr@karyasawit.example")
    page.get_by_label("Nama lengkap Anda").fill("Rina Kartika")
    page.get_by_label("Telepon Anda").fill("0812 5000 1234")
    page.get_by_label("E-mail Anda").fill("rina@karyasawit.example")
    page.get_by_label("Nama pengguna").fill("rina")
    page.locator("#id_password1").fill(PASSWORD)
    page.get_by_label("Ulangi sandi").fill(PASSWORD)
    screenshot("1-registration-form")
    page.get_by_role("button", name="Daftar").click()

    status = page.get_by_test_id("company-status")
    assert "Menunggu verifikasi" in status.inner_text()
    assert "belum dapat mengajukan program" in status.inner_text()
    screenshot("2-awaiting-verification")
    company = Company.objects.get(nib="8120001234567")
    assert company.npwp == "012345678712000"
    assert any("PT Karya Sawit Sebangau" in message.subject for message in mail.outbox)

    log_in(page, live_server.url, dinsos.username, PASSWORD)
    page.goto(live_server.url + "/admin/companies/company/?status__exact=pending")
    page.get_by_role("row", name="PT Karya Sawit Sebangau").get_by_role("checkbox").check()
    page.locator("select[name=action]").select_option("verify_selected")
    screenshot("3-dinsos-changelist")
    page.locator("button[name=index]").click()
    assert "1 perusahaan diverifikasi." in page.locator(".messagelist").inner_text()
    screenshot("4-dinsos-verified")

    log_in(page, live_server.url, "rina", PASSWORD)
    page.goto(live_server.url + "/perusahaan/profil/")
    assert "Terverifikasi" in page.get_by_test_id("company-status").inner_text()
    screenshot("5-company-verified")
    company.refresh_from_db()
    assert company.status == Company.Status.VERIFIED
    assert any("telah diverifikasi" in message.subject for message in mail.outbox)
