"""Passwords, idle timeouts, the list of signed-in browsers, and the second factor."""

import datetime
import time

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import EnrolmentCode, User, UserSession
from accounts.services import AccountError, account_create
from accounts.sessions import LAST_ACTIVITY
from accounts.two_factor import enrolment_code_issue
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
    enrolment_code = enrolment_code_issue(user=dinsos)
    sign_in(client, "dinsos")
    response = client.get("/admin/poverty_data/household/")
    assert response.status_code == 302
    assert response["Location"] == "/akun/2fa/siapkan/?next=%2Fadmin%2Fpoverty_data%2Fhousehold%2F"
    assert client.get("/program/").status_code == 302
    assert client.get(response["Location"]).status_code == 200
    qr = client.get("/akun/2fa/qr.svg")
    assert qr["Content-Type"] == "image/svg+xml"
    device = TOTPDevice.objects.get(user=dinsos, confirmed=False)

    wrong = client.post(
        "/akun/2fa/siapkan/", {"enrolment_code": enrolment_code, "token": "000000", "next": "/admin/"}
    )
    assert "Kode ini tidak benar" in wrong.content.decode()
    time.sleep(1.1)  # a wrong code makes the device wait (django-otp's throttle: 1 s, doubling)
    response = client.post(
        "/akun/2fa/siapkan/",
        {"enrolment_code": enrolment_code.lower(), "token": totp(device.bin_key), "next": "/admin/"},
    )
    assert response.status_code == 302
    codes_page = client.get(response["Location"])
    codes = [code for code in StaticToken.objects.filter(device__user=dinsos).values_list("token", flat=True)]
    assert len(codes) == 10
    assert all(code in codes_page.content.decode() for code in codes)
    assert client.get("/admin/").status_code == 200
    assert not EnrolmentCode.objects.filter(user=dinsos).exists()  # used up


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


def test_deactivating_an_account_ends_its_sessions_so_reactivating_brings_none_back(client, pimpinan):
    sign_in(client, "pimpinan")
    assert client.get("/akun/keamanan/").status_code == 200
    pimpinan.is_active = False
    pimpinan.save()
    pimpinan.is_active = True
    pimpinan.save()
    response = client.get("/akun/keamanan/")
    assert response.status_code == 302
    assert response["Location"].startswith("/akun/login/")
    assert not UserSession.objects.filter(user=pimpinan).exists()


def test_deactivating_in_the_back_office_ends_the_accounts_sessions(client, dinsos, pimpinan):
    from django.test import Client

    browser = Client()
    sign_in(browser, "pimpinan")
    client.force_login(dinsos)
    response = client.post(
        f"/admin/accounts/user/{pimpinan.pk}/change/",
        {
            "username": pimpinan.username,
            "first_name": pimpinan.first_name,
            "last_name": "",
            "email": pimpinan.email,
            "phone": "",
            "role": pimpinan.role,
            "company_role": "",
        },
    )
    assert response.status_code == 302
    pimpinan.refresh_from_db()
    assert not pimpinan.is_active
    pimpinan.is_active = True
    pimpinan.save()
    assert browser.get("/akun/keamanan/").status_code == 302


def test_a_company_owner_deactivating_an_editor_ends_the_editors_sessions(client, owner, editor, company):
    from companies.services import company_member_deactivate

    sign_in(client, editor.username)
    assert client.get("/akun/keamanan/").status_code == 200
    company_member_deactivate(company=company, actor=owner, member=editor)
    editor.is_active = True
    editor.save()
    assert client.get("/akun/keamanan/").status_code == 302


def enrol(client, device, **data):
    return client.post("/akun/2fa/siapkan/", {"token": totp(device.bin_key), "next": "/admin/", **data})


@pytest.mark.parametrize("enrolment_code", [None, "", "ABCD-EFGH-JKMN"])
def test_a_password_alone_cannot_enrol_the_first_authenticator_of_dinsos(
    client, dinsos, require_2fa, enrolment_code
):
    enrolment_code_issue(user=dinsos)  # issued, but the one signing in does not have it
    sign_in(client, "dinsos")
    page = client.get("/akun/2fa/siapkan/").content.decode()
    assert 'name="enrolment_code"' in page
    device = TOTPDevice.objects.get(user=dinsos, confirmed=False)
    data = {} if enrolment_code is None else {"enrolment_code": enrolment_code}
    response = enrol(client, device, **data)
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=dinsos, confirmed=True).exists()
    assert client.get("/admin/").status_code == 302


def test_an_expired_enrolment_code_is_refused(client, dinsos, require_2fa):
    code = enrolment_code_issue(user=dinsos)
    EnrolmentCode.objects.filter(user=dinsos).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    sign_in(client, "dinsos")
    client.get("/akun/2fa/siapkan/")
    response = enrol(client, TOTPDevice.objects.get(user=dinsos), enrolment_code=code)
    assert "Kode pendaftaran ini tidak benar atau sudah kedaluwarsa" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=dinsos, confirmed=True).exists()


def test_an_enrolment_code_works_once_and_a_new_one_replaces_the_old(client, dinsos, require_2fa):
    first = enrolment_code_issue(user=dinsos)
    second = enrolment_code_issue(user=dinsos)
    sign_in(client, "dinsos")
    client.get("/akun/2fa/siapkan/")
    device = TOTPDevice.objects.get(user=dinsos)
    assert enrol(client, device, enrolment_code=first).status_code == 200
    assert enrol(client, device, enrolment_code=second).status_code == 302
    # Dinsos reset the lost phone (deleted the devices): the used code does not enrol a new one.
    TOTPDevice.objects.filter(user=dinsos).delete()
    StaticDevice.objects.filter(user=dinsos).delete()
    client.logout()
    sign_in(client, "dinsos")
    client.get("/akun/2fa/siapkan/")
    response = enrol(client, TOTPDevice.objects.get(user=dinsos), enrolment_code=second)
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=dinsos, confirmed=True).exists()


def test_company_accounts_set_up_an_authenticator_without_an_enrolment_code(client, owner):
    sign_in(client, "pemilik")
    page = client.get("/akun/2fa/siapkan/").content.decode()
    assert 'name="enrolment_code"' not in page
    response = enrol(client, TOTPDevice.objects.get(user=owner))
    assert response.status_code == 302
    assert TOTPDevice.objects.filter(user=owner, confirmed=True).exists()


def test_create_account_prints_an_enrolment_code_for_dinsos_only(wilayah, client, monkeypatch, settings):
    import io

    from django.core.management import call_command

    settings.TSLP_REQUIRE_2FA = True
    monkeypatch.setenv("TSLP_ACCOUNT_PASSWORD", "Kahayan-Hilir-2026")
    out = io.StringIO()
    call_command("create_account", "rina", "--role", "dinsos", stdout=out)
    line = next(line for line in out.getvalue().splitlines() if "enrolment code" in line)
    code = line.rsplit(" ", 1)[-1]
    assert len(code) == 14
    camat_out = io.StringIO()
    call_command("create_account", "camat.kh", "--role", "camat", "--kecamatan", "62.11.05", stdout=camat_out)
    assert "enrolment code" not in camat_out.getvalue()

    client.post("/akun/login/", {"username": "rina", "password": "Kahayan-Hilir-2026"})
    client.get("/akun/2fa/siapkan/")
    rina = User.objects.get(username="rina")
    assert enrol(client, TOTPDevice.objects.get(user=rina), enrolment_code=code).status_code == 302


def test_dinsos_issues_an_enrolment_code_in_the_back_office_shown_once(client, dinsos, pimpinan):
    staff = User.objects.create_user("staf.baru", role=User.Role.DINSOS, is_staff=True)
    client.force_login(dinsos)
    response = client.post(
        "/admin/accounts/user/",
        {"action": "issue_enrolment_code", "_selected_action": [staff.pk]},
        follow=True,
    )
    shown = [str(m) for m in response.context["messages"]]
    assert len(shown) == 1
    code = shown[0].rsplit(" ", 1)[-1]
    from accounts.two_factor import enrolment_code_valid

    assert enrolment_code_valid(user=staff, code=code)
    assert EnrolmentCode.objects.get(user=staff).created_by == dinsos
    assert code not in client.get(f"/admin/accounts/user/{staff.pk}/change/").content.decode()
