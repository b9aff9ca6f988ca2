import pytest
from django.core import mail

from companies.models import Company
from tests.accounts.factories import PASSWORD
from tests.browser.steps import log_in, register_company


@pytest.mark.django_db(transaction=True)
def test_company_registers_dinsos_verifies_it_and_the_company_sees_it(
    live_server, page, screenshot, dinsos, settings
):
    settings.TSLP_DINSOS_EMAILS = ["sekretariat@dinsos.example"]
    register_company(
        page,
        live_server.url,
        name="PT Karya Sawit Sebangau",
        nib="8120.0012.3456.7",  # typed with dots, stored as digits
        username="rina",
        screenshot=screenshot,
    )

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
