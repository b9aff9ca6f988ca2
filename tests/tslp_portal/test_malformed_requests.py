"""Malformed input answers 400 or 404, never 500, as any persona."""

import pytest

BAD = [
    "/wilayah/%00/",
    "/wilayah/?q=%00",
    "/program/?q=%00",
    "/program/?q=%FF%FE",
    "/program/?status=%C0",
    "/perusahaan/daftar/?x=" + "a" * 5000,
    "/" + "a" * 2000 + "/",
    "/admin/poverty_data/household/?q=%00",
    "/registri/impor/?q=%00",
]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["anonymous", "owner", "dinsos", "camat", "pimpinan"])
def test_malformed_addresses_are_refused_not_crashed(client, personas, login, persona):
    client = login(personas[persona])
    for url in BAD:
        response = client.get(url)
        assert response.status_code in (400, 404), url


@pytest.mark.django_db
def test_a_nul_byte_in_a_posted_form_is_refused(client, owner, login):
    response = login(owner).post(
        "/akun/login/", "username=a%00b&password=x", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400


@pytest.mark.django_db
def test_ordinary_addresses_pass(client):
    assert client.get("/wilayah/?q=Kahayan+Hilir").status_code == 200
    assert client.get("/wilayah/?q=Sei%20Pitak%20%E2%80%93%20desa").status_code == 200
