"""Tokens for integrations, throttling and the one error shape."""

import datetime
import io
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from api.models import ApiToken
from api.services import api_token_issue, api_token_revoke

pytestmark = pytest.mark.django_db


def bearer(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def test_create_api_token_prints_a_token_that_signs_in_as_the_account(dinsos):
    TOTPDevice.objects.create(user=dinsos, name="app", confirmed=True)
    out = io.StringIO()
    call_command(
        "create_api_token",
        "dinsos",
        "--scope",
        "households:read",
        "--days",
        "7",
        stdout=out,
        stderr=io.StringIO(),
    )
    key = out.getvalue().strip()
    token = ApiToken.objects.get()
    assert token.prefix == key[:8]
    assert key not in token.digest
    assert abs(token.expires_at - (timezone.now() + datetime.timedelta(days=7))) < datetime.timedelta(
        minutes=1
    )
    response = bearer(key).get("/api/v1/households/", {"desa": "62.11.05.2001"})
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_create_api_token_refuses_an_unknown_account_and_a_bad_validity(dinsos):
    with pytest.raises(CommandError, match="No account nobody"):
        call_command("create_api_token", "nobody", "--scope", "statistics:read", "--days", "7")
    with pytest.raises(CommandError, match="1 sampai 730 hari"):
        call_command("create_api_token", "dinsos", "--scope", "statistics:read", "--days", "0")


@pytest.mark.parametrize("state", ["revoked", "expired", "unknown", "inactive"])
def test_a_revoked_expired_unknown_or_inactive_token_is_refused_with_401(dinsos, state):
    token, key = api_token_issue(user=dinsos, name="SIKS-NG sync", scopes=["programs:read"], days=30)
    if state == "revoked":
        api_token_revoke(token=token)
    elif state == "expired":
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    elif state == "unknown":
        key = key[::-1]
    else:
        dinsos.is_active = False
        dinsos.save()
    response = bearer(key).get("/api/v1/programs/")
    assert response.status_code == 401
    assert response.json() == {
        "code": "authentication_failed",
        "message": "Token tidak dikenal, kedaluwarsa, atau dicabut.",
    }
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_company_token_sees_what_the_company_sees(owner, company, other_company):
    _token, key = api_token_issue(user=owner, name="ERP", scopes=["programs:read"], days=30)
    names = [row["name"] for row in bearer(key).get("/api/v1/companies/").json()["results"]]
    assert names == [company.name]


def test_dinsos_issues_a_token_in_the_admin_and_sees_it_once_then_revokes_it(client, dinsos, owner):
    client.force_login(dinsos)
    response = client.post(
        "/admin/api/apitoken/add/",
        {"user": owner.pk, "name": "ERP perusahaan", "scopes": ["programs:read"], "days": 30},
        follow=True,
    )
    token = ApiToken.objects.get()
    shown = [str(m) for m in response.context["messages"]]
    assert any(token.prefix in m for m in shown)
    assert token.created_by == dinsos
    response = client.post(
        "/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]}, follow=True
    )
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_throttled_callers_get_429_with_retry_after_in_the_error_shape(settings, wilayah):
    settings.TSLP_API_THROTTLE_ANON = "2/min"
    client = APIClient()
    assert [client.get("/api/v1/wilayah/kecamatan/").status_code for _ in range(2)] == [200, 200]
    response = client.get("/api/v1/wilayah/kecamatan/")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["code"] == "throttled"
    assert response.json()["message"].startswith("Terlalu banyak permintaan")


def test_signed_in_callers_have_their_own_rate(settings, dinsos):
    settings.TSLP_API_THROTTLE_ANON = "1/min"
    settings.TSLP_API_THROTTLE_USER = "3/min"
    _token, key = api_token_issue(user=dinsos, name="x", scopes=["statistics:read"], days=30)
    client = bearer(key)
    assert [client.get("/api/v1/wilayah/kecamatan/").status_code for _ in range(4)] == [200, 200, 200, 429]


def test_throttle_rates_come_from_the_environment():
    code = "from django.conf import settings; print(settings.TSLP_API_THROTTLE_ANON, settings.TSLP_API_THROTTLE_USER)"
    env = {**os.environ, "TSLP_API_THROTTLE_ANON": "7/min", "TSLP_API_THROTTLE_USER": "70/hour"}
    env["DJANGO_SETTINGS_MODULE"] = "tslp_portal.settings"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=settings_dir(),
    )
    assert result.stdout.split() == ["7/min", "70/hour"]


def settings_dir():
    from django.conf import settings

    return settings.BASE_DIR


def test_an_integrator_fetches_a_kecamatans_figures_and_programs_with_a_token(camat, company, dinsos):
    from tests.programs.delivery_helpers import running_program

    program = running_program(company=company, dinsos=dinsos, households=6)
    out = io.StringIO()
    call_command(
        "create_api_token",
        camat.username,
        "--scope",
        "programs:read",
        "--days",
        "30",
        stdout=out,
        stderr=io.StringIO(),
    )
    client = bearer(out.getvalue().strip())
    figures = client.get(
        "/api/v1/publik/statistik/desa/", {"kecamatan": "62.11.05", "tahun": program.tahun}
    ).json()
    assert figures["total"]["keluarga_miskin"] == 6
    programs = client.get("/api/v1/programs/", {"kecamatan": "62.11.05", "tahun": program.tahun}).json()
    assert [p["title"] for p in programs["results"]] == [program.title]
    assert programs["results"][0]["target_households"] == 6


def test_a_forged_forwarded_for_header_does_not_reset_the_anonymous_limit(settings, wilayah):
    settings.TSLP_API_THROTTLE_ANON = "2/min"
    client = APIClient()
    statuses = [
        client.get("/api/v1/wilayah/kecamatan/", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code
        for n in range(3)
    ]
    assert statuses == [200, 200, 429]


def test_an_unknown_api_address_answers_404_in_the_error_shape(wilayah):
    response = APIClient().get("/api/v1/tidak-ada/")
    assert response.status_code == 404
    assert response.json() == {
        "code": "not_found",
        "message": "Tidak ditemukan, atau tidak terlihat oleh Anda.",
    }
