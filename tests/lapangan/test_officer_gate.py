"""A field officer reaches the field app, their own account pages and what is public; nothing else."""

import io

import pytest
from django.core.management import CommandError, call_command

from api.services import ApiTokenError, api_token_issue
from tests.lapangan.conftest import field_officer
from tslp_portal.api import TokenScope

pytestmark = pytest.mark.django_db

STATUS = {
    "/": 302,
    "/lapangan/": 200,
    "/akun/keamanan/": 200,
    "/publik/": 200,
    "/api/docs/": 200,
    "/api/v1/publik/perusahaan/": 200,
    "/program/": 403,
    "/program/baru/": 403,
    "/perusahaan/profil/": 403,
    "/perusahaan/anggota/": 403,
    "/etalase/": 403,
    "/wilayah/": 403,
    "/lapangan/petugas/": 403,
}


@pytest.fixture
def officer(company):
    return field_officer(company, "petugas")


@pytest.mark.parametrize("path", STATUS)
def test_a_field_officer_reaches_only_the_field_app_their_account_and_public_pages(officer, client, path):
    client.force_login(officer)

    assert client.get(path).status_code == STATUS[path]


def test_a_field_officers_home_is_the_field_app(officer, client):
    client.force_login(officer)

    assert client.get("/")["Location"] == "/lapangan/"


def test_the_api_refuses_a_field_officer_in_its_own_shape(officer, client):
    client.force_login(officer)

    response = client.get("/api/v1/programs/")

    assert response.status_code == 403
    assert response.json() == {
        "code": "permission_denied",
        "message": "Petugas lapangan hanya memakai aplikasi lapangan.",
    }


def test_a_field_officers_navigation_offers_the_field_app_and_public_data_only(officer, client):
    client.force_login(officer)

    html = client.get("/akun/keamanan/").content.decode()

    assert 'href="/lapangan/"' in html
    assert 'href="/program/"' not in html
    assert 'href="/perusahaan/profil/"' not in html


def test_an_editor_of_the_same_company_keeps_the_company_pages(owner, client):
    client.force_login(owner)

    assert client.get("/program/").status_code == 200


def test_a_field_officer_gets_no_api_token(officer):
    # A token is authenticated by the API itself, after the gate: the field officer gets none.
    refused = "Petugas lapangan hanya memakai aplikasi lapangan; token API tidak diberikan."
    with pytest.raises(ApiTokenError, match=refused):
        api_token_issue(user=officer, name="x", scopes=[TokenScope.PROGRAMS], days=30)
    with pytest.raises(CommandError, match=refused):
        call_command(
            "create_api_token", "petugas", "--scope", "programs:read", "--days", "30", stdout=io.StringIO()
        )
