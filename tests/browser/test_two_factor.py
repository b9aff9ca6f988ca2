"""Dinsos sets up the second factor at the first sign-in, then signs in with a code or a recovery code."""

import pytest
from django_otp.oath import totp

from accounts.two_factor import enrolment_code_issue
from tests.browser.steps import log_in


def code_from_secret(secret: str) -> str:
    from base64 import b32decode

    key = secret.replace(" ", "")
    return f"{totp(b32decode(key + '=' * (-len(key) % 8))):06d}"


@pytest.mark.django_db(transaction=True)
def test_dinsos_sets_up_two_factor_and_uses_a_recovery_code(dinsos, settings, live_server, page, screenshot):
    settings.TSLP_REQUIRE_2FA = True
    enrolment_code = enrolment_code_issue(user=dinsos)  # as create_account prints it
    log_in(page, live_server.url, "dinsos")
    page.goto(live_server.url + "/admin/")
    assert page.get_by_role("heading", level=1).inner_text() == "Siapkan langkah masuk kedua"
    qr = page.get_by_role("img", name="Kode QR untuk aplikasi autentikator")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 100")  # the QR code really loaded
    screenshot("setup")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("setup-phone")
    page.set_viewport_size({"width": 1366, "height": 900})
    secret = page.get_by_test_id("totp-secret").inner_text()
    page.get_by_label("Kode pendaftaran").fill(enrolment_code)
    page.get_by_role("textbox", name="Kode", exact=True).fill(code_from_secret(secret))
    page.get_by_role("button", name="Konfirmasi").click()
    codes = page.get_by_test_id("recovery-codes").inner_text().split()
    assert len(codes) == 10
    screenshot("recovery-codes")
    page.get_by_role("link", name="Sudah saya simpan, lanjutkan").click()
    assert "/admin/" in page.url

    log_in(page, live_server.url, "dinsos")
    page.goto(live_server.url + "/admin/")
    assert page.get_by_role("heading", level=1).inner_text() == "Kode masuk"
    page.get_by_label("Kode").fill(codes[0])
    page.get_by_role("button", name="Lanjutkan").click()
    assert page.url == live_server.url + "/admin/"

    page.goto(live_server.url + "/akun/keamanan/")
    assert page.get_by_text("Peramban ini").is_visible()
    screenshot("security-page")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("security-page-phone")
