"""Passwords, idle timeouts, the list of signed-in browsers, and the second factor."""

import time

import pytest
from django.contrib.sessions.models import Session
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User, UserSession
from accounts.services import AccountError, account_create
from accounts.sessions import LAST_ACTIVITY
from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", User.Role.values)
@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Tslp2026", "terlalu pendek"),
        ("tslpportal", "terlalu pendek"),
        ("password1234", "terlalu umum"),
        ("738291046583", "seluruhnya terdiri dari angka"),
        ("budi.santoso.2026", "terlalu mirip"),
    ],
)
def test_weak_passwords_are_refused_for_every_role(kahayan_hilir, company, role, password, reason):
    with pytest.raises(AccountError, match=reason):
        account_create(
            username="budi.santoso",
            first_name="Budi",
            email="budi.santoso@example.org",
            role=role,
            password=password,
            kecamatan=kahayan_hilir,
            company=company,
        )


def sign_in(client, username, password=PASSWORD):
    return client.post("/akun/login/", {"username": username, "password": password})


def test_a_dinsos_session_ends_with_the_browser_and_others_last_longer(client, dinsos, pimpinan):
    sign_in(client, "dinsos")
    assert client.session.get_expire_at_browser_close()
    client.logout()
    sign_in(client, "pimpinan")
    assert not client.session.get_expire_at_browser_close()


@pytest.mark.parametrize(
    ("persona", "idle_minutes", "signed_out"),
    [
        ("dinsos", 29, False),
        ("dinsos", 31, True),
        ("pimpinan", 31, False),
        ("pimpinan", 121, True),
    ],
)
def test_an_idle_session_is_signed_out_after_its_roles_timeout(
    client, personas, persona, idle_minutes, signed_out
):
    sign_in(client, personas[persona].username)
    session = client.session
    session[LAST_ACTIVITY] = time.time() - idle_minutes * 60
    session.save()
    response = client.get("/program/")
    if signed_out:
        assert response.status_code == 302
        assert response["Location"].startswith("/akun/login/?next=/program/")
        assert "_auth_user_id" not in client.session
    else:
        assert response.status_code == 200


def test_a_user_sees_their_browsers_and_signs_out_another(client, django_user_model, pimpinan):
    from django.test import Client

    other_browser = Client(HTTP_USER_AGENT="Firefox di laptop kantor")
    sign_in(other_browser, "pimpinan")
    sign_in(client, "pimpinan")
    page = client.get("/akun/keamanan/")
    assert page.status_code == 200
    assert "Firefox di laptop kantor" in page.content.decode()
    other = UserSession.objects.get(user_agent="Firefox di laptop kantor")
    response = client.post("/akun/keamanan/", {"session": other.pk})
    assert response.status_code == 302
    assert not Session.objects.filter(session_key=other.session_key).exists()
    assert other_browser.get("/program/").status_code == 302
    assert client.get("/program/").status_code == 200


def test_a_user_cannot_end_someone_elses_session(client, dinsos, pimpinan):
    from django.test import Client

    dinsos_browser = Client()
    sign_in(dinsos_browser, "dinsos")
    theirs = UserSession.objects.get(user=dinsos)
    sign_in(client, "pimpinan")
    client.post("/akun/keamanan/", {"session": theirs.pk})
    assert Session.objects.filter(session_key=theirs.session_key).exists()
    assert dinsos_browser.get("/admin/").status_code == 200


@pytest.mark.parametrize("page", ["/akun/keamanan/", "/akun/2fa/siapkan/", "/akun/2fa/kode/"])
def test_security_pages_ask_anonymous_visitors_to_sign_in(client, page):
    response = client.get(page)
    assert response.status_code == 302
    assert response["Location"].startswith("/akun/login/")


@pytest.fixture
def require_2fa(settings):
    settings.TSLP_REQUIRE_2FA = True


def test_without_the_setting_dinsos_signs_in_with_a_password_alone(client, dinsos, settings):
    settings.TSLP_REQUIRE_2FA = False
    sign_in(client, "dinsos")
    assert client.get("/admin/").status_code == 200


def test_the_setting_follows_the_secure_deployment_by_default():
    import os
    import subprocess
    import sys

    code = "import django; django.setup(); from django.conf import settings; print(settings.TSLP_REQUIRE_2FA)"
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "TSLP_"))}
    base["DJANGO_SETTINGS_MODULE"] = "tslp_portal.settings"
    secure = {**base, "DJANGO_SECURE": "true", "DJANGO_SECRET_KEY": "x" * 60}
    out = [
        subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True).stdout.strip()
        for env in (secure, base)
    ]
    assert out == ["True", "False"]


def test_dinsos_sets_up_the_second_factor_at_first_sign_in(client, dinsos, require_2fa):
    sign_in(client, "dinsos")
    response = client.get("/admin/poverty_data/household/")
    assert response.status_code == 302
    assert response["Location"] == "/akun/2fa/siapkan/?next=%2Fadmin%2Fpoverty_data%2Fhousehold%2F"
    assert client.get("/program/").status_code == 302
    assert client.get(response["Location"]).status_code == 200
    qr = client.get("/akun/2fa/qr.svg")
    assert qr["Content-Type"] == "image/svg+xml"
    device = TOTPDevice.objects.get(user=dinsos, confirmed=False)

    wrong = client.post("/akun/2fa/siapkan/", {"token": "000000", "next": "/admin/"})
    assert "Kode ini tidak benar" in wrong.content.decode()
    time.sleep(1.1)  # a wrong code makes the device wait (django-otp's throttle: 1 s, doubling)
    response = client.post("/akun/2fa/siapkan/", {"token": totp(device.bin_key), "next": "/admin/"})
    assert response.status_code == 302
    codes_page = client.get(response["Location"])
    codes = [code for code in StaticToken.objects.filter(device__user=dinsos).values_list("token", flat=True)]
    assert len(codes) == 10
    assert all(code in codes_page.content.decode() for code in codes)
    assert client.get("/admin/").status_code == 200


def test_a_recovery_code_works_once(client, dinsos, require_2fa):
    TOTPDevice.objects.create(user=dinsos, name="app", confirmed=True)
    from accounts.two_factor import recovery_codes_renew

    code = recovery_codes_renew(user=dinsos)[0]
    sign_in(client, "dinsos")
    assert client.get("/admin/")["Location"].startswith("/akun/2fa/kode/")
    assert client.post("/akun/2fa/kode/", {"token": code, "next": "/admin/"})["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    client.logout()
    sign_in(client, "dinsos")
    again = client.post("/akun/2fa/kode/", {"token": code, "next": "/admin/"})
    assert again.status_code == 200
    assert client.get("/admin/").status_code == 302


def test_the_second_factor_is_not_asked_of_company_accounts(client, owner, require_2fa):
    sign_in(client, "pemilik")
    assert client.get("/program/").status_code == 200


def test_a_next_address_on_another_site_is_ignored_after_the_code(client, dinsos, require_2fa):
    device = TOTPDevice.objects.create(user=dinsos, name="app", confirmed=True)
    sign_in(client, "dinsos")
    response = client.post(
        "/akun/2fa/kode/", {"token": totp(device.bin_key), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


ACCOUNT_PAGES = {
    "/akun/keamanan/": 200,
    "/akun/2fa/siapkan/": 200,
    "/akun/2fa/qr.svg": 200,  # after the set-up page made the pending device
    "/akun/2fa/kode/": 200,
    "/akun/2fa/kode-pemulihan/": 302,  # no fresh codes to show: back to the security page
}


@pytest.mark.parametrize(
    "persona", ["owner", "editor", "other_company", "dinsos", "camat", "pimpinan", "anonymous"]
)
def test_account_security_pages_for_each_persona(personas, login, persona):
    client = login(personas[persona])
    for url, expected in ACCOUNT_PAGES.items():
        response = client.get(url)
        if personas[persona] is None:
            assert response.status_code == 302, url
            assert response["Location"].startswith("/akun/login/"), url
        else:
            assert response.status_code == expected, (persona, url)


def test_the_qr_code_of_a_device_is_not_shown_once_confirmed(client, dinsos, login):
    client = login(dinsos)
    client.get("/akun/2fa/siapkan/")
    TOTPDevice.objects.filter(user=dinsos).update(confirmed=True)
    assert client.get("/akun/2fa/qr.svg").status_code == 404


def test_a_password_alone_cannot_enrol_a_new_authenticator(client, dinsos, require_2fa):
    TOTPDevice.objects.create(user=dinsos, name="app", confirmed=True)
    sign_in(client, "dinsos")
    response = client.get("/akun/2fa/siapkan/")
    assert response.status_code == 302
    assert response["Location"].startswith("/akun/2fa/kode/")
    response = client.post("/akun/2fa/siapkan/", {"token": "123456"})
    assert response["Location"].startswith("/akun/2fa/kode/")
    assert TOTPDevice.objects.filter(user=dinsos).count() == 1
