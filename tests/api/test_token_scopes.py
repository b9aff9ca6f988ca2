"""Token scopes: personal data only for accounts with a second factor, only filtered, every use logged."""

import importlib
import io
import logging

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from api.models import ApiToken
from api.services import ApiTokenError, api_token_issue
from poverty_data.models import Desa
from tests.poverty_data.factories import HouseholdFactory
from tslp_portal.api import TokenScope
from tslp_portal.models import AccessLog

pytestmark = pytest.mark.django_db

SECOND_FACTOR_NEEDED = "hanya untuk akun yang memakai langkah masuk kedua"
ALL = list(TokenScope.values)


def bearer(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@pytest.fixture
def dinsos_2fa(dinsos):
    TOTPDevice.objects.create(user=dinsos, name="app", confirmed=True)
    return dinsos


def desa_kode():
    return Desa.objects.order_by("kode").values_list("kode", flat=True).first()


def test_a_token_without_the_households_scope_gets_403_on_households(dinsos_2fa):
    HouseholdFactory()
    _token, key = api_token_issue(
        user=dinsos_2fa, name="dasbor", scopes=[TokenScope.STATISTICS, TokenScope.PROGRAMS], days=30
    )
    response = bearer(key).get("/api/v1/households/", {"desa": desa_kode()})
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert "households:read" in response.json()["message"]
    assert bearer(key).get("/api/v1/programs/").status_code == 200
    assert AccessLog.objects.count() == 0


def test_a_token_without_the_programs_scope_gets_403_on_programs_and_companies(dinsos_2fa):
    _token, key = api_token_issue(user=dinsos_2fa, name="x", scopes=[TokenScope.STATISTICS], days=30)
    assert bearer(key).get("/api/v1/programs/").status_code == 403
    assert bearer(key).get("/api/v1/companies/").status_code == 403
    assert bearer(key).get("/api/v1/statistik/kecamatan/").status_code == 200


def test_a_households_token_reads_households_of_a_desa(dinsos_2fa):
    household = HouseholdFactory()
    _token, key = api_token_issue(user=dinsos_2fa, name="SIKS-NG", scopes=ALL, days=30)
    response = bearer(key).get("/api/v1/households/", {"desa": household.desa.kode})
    assert response.status_code == 200
    assert [row["no_kk"] for row in response.json()["results"]] == [household.no_kk]


@pytest.mark.parametrize("params", [{}, {"kecamatan": "62.11.05"}, {"desil": 1}, {"desa": ""}])
def test_an_unfiltered_household_listing_is_400(dinsos_2fa, params, api):
    HouseholdFactory()
    _token, key = api_token_issue(user=dinsos_2fa, name="x", scopes=ALL, days=30)
    for client in (bearer(key), api(dinsos_2fa)):
        response = client.get("/api/v1/households/", params)
        assert response.status_code == 400
        body = response.json()
        assert body["code"] == "invalid"
        assert "desa" in " ".join(body["fields"]["non_field_errors"])
    assert AccessLog.objects.count() == 0


def test_each_use_of_a_token_is_logged(dinsos_2fa, caplog):
    household = HouseholdFactory()
    token, key = api_token_issue(user=dinsos_2fa, name="SIKS-NG", scopes=ALL, days=30)
    client = bearer(key)
    with caplog.at_level(logging.INFO, logger="tslp.security"):
        client.get("/api/v1/households/", {"no_kk": household.no_kk})
        client.get(f"/api/v1/households/{household.pk}/")
        client.get("/api/v1/programs/")
    rows = list(AccessLog.objects.order_by("pk"))
    assert len(rows) == 2
    assert all(row.user == dinsos_2fa and token.prefix in row.reason for row in rows)
    used = [r for r in caplog.records if getattr(r, "event", "") == "api_token_used"]
    assert [(r.token, r.user) for r in used] == [(token.prefix, "dinsos")] * 3
    assert [r.path for r in used] == [
        "/api/v1/households/",
        f"/api/v1/households/{household.pk}/",
        "/api/v1/programs/",
    ]


def test_an_account_without_a_second_factor_cannot_get_a_households_token(dinsos, client):
    TOTPDevice.objects.create(user=dinsos, name="unconfirmed", confirmed=False)
    with pytest.raises(ApiTokenError, match=SECOND_FACTOR_NEEDED):
        api_token_issue(user=dinsos, name="x", scopes=[TokenScope.HOUSEHOLDS], days=30)
    with pytest.raises(CommandError, match=SECOND_FACTOR_NEEDED):
        call_command(
            "create_api_token", "dinsos", "--scope", "households:read", "--days", "30", stdout=io.StringIO()
        )
    client.force_login(dinsos)
    response = client.post(
        "/admin/api/apitoken/add/",
        {"user": dinsos.pk, "name": "x", "scopes": ["households:read"], "days": 30},
    )
    assert response.status_code == 200
    assert SECOND_FACTOR_NEEDED in response.content.decode()
    assert ApiToken.objects.count() == 0
    # Without personal data a token needs no second factor.
    api_token_issue(user=dinsos, name="x", scopes=[TokenScope.STATISTICS], days=30)


def test_a_token_needs_at_least_one_scope_and_an_expiry(dinsos_2fa, client):
    with pytest.raises(CommandError, match="--days"):
        call_command("create_api_token", "dinsos", "--scope", "statistics:read", stdout=io.StringIO())
    with pytest.raises(CommandError, match="--scope"):
        call_command("create_api_token", "dinsos", "--days", "30", stdout=io.StringIO())
    with pytest.raises(ApiTokenError, match="cakupan"):
        api_token_issue(user=dinsos_2fa, name="x", scopes=[], days=30)
    client.force_login(dinsos_2fa)
    response = client.post(
        "/admin/api/apitoken/add/", {"user": dinsos_2fa.pk, "name": "x", "scopes": ["statistics:read"]}
    )
    assert response.status_code == 200
    assert ApiToken.objects.count() == 0


def test_a_households_token_lasts_at_most_ninety_days(dinsos_2fa):
    with pytest.raises(ApiTokenError, match="90"):
        api_token_issue(user=dinsos_2fa, name="x", scopes=[TokenScope.HOUSEHOLDS], days=91)
    api_token_issue(user=dinsos_2fa, name="x", scopes=[TokenScope.STATISTICS], days=365)


def test_create_api_token_takes_the_scopes_and_says_them(dinsos_2fa):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "create_api_token",
        "dinsos",
        "--scope",
        "statistics:read",
        "--scope",
        "households:read",
        "--days",
        "30",
        stdout=out,
        stderr=err,
    )
    token = ApiToken.objects.get()
    assert token.scopes == ["statistics:read", "households:read"]
    assert "statistics:read, households:read" in err.getvalue()


def test_the_admin_issues_a_token_with_its_scopes(client, dinsos_2fa):
    client.force_login(dinsos_2fa)
    response = client.post(
        "/admin/api/apitoken/add/",
        {"user": dinsos_2fa.pk, "name": "SIKS-NG", "scopes": ["households:read"], "days": 30},
        follow=True,
    )
    token = ApiToken.objects.get()
    assert token.scopes == ["households:read"]
    assert any("households:read" in str(m) for m in response.context["messages"])


def test_existing_tokens_keep_only_the_statistics_scope(dinsos):
    token, _key = api_token_issue(user=dinsos, name="lama", scopes=[TokenScope.STATISTICS], days=30)
    ApiToken.objects.filter(pk=token.pk).update(scopes=[])
    migration = importlib.import_module("api.migrations.0004_existing_tokens_statistics_only")
    migration.limit_existing_tokens(apps, None)
    token.refresh_from_db()
    assert token.scopes == ["statistics:read"]
