"""Malformed input answers 400 or 404, never 500, as any persona."""

import datetime

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


# str.isdigit() accepts superscript and circled digits that int() refuses; Arabic-Indic digits int() reads.
NOT_ASCII_NUMBERS = ["%C2%B2%E2%81%B0%C2%B2%E2%81%B6", "%E2%91%A0", "%D9%A2%D9%A0%D9%A2%D9%A6"]


@pytest.mark.django_db
@pytest.mark.parametrize("number", NOT_ASCII_NUMBERS)
@pytest.mark.parametrize("url", ["/publik/?tahun={n}", "/publik/kecamatan/62.11.05/?tahun={n}"])
def test_a_year_in_other_digits_on_a_public_page_shows_this_year(client, url, number):
    response = client.get(url.format(n=number))
    assert response.status_code == 200
    assert f'<option value="{datetime.date.today().year}" selected' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("number", NOT_ASCII_NUMBERS)
@pytest.mark.parametrize(
    "url", ["/publik/unduh/kecamatan.xlsx?tahun={n}", "/publik/unduh/desa.csv?kecamatan=62.11.05&tahun={n}"]
)
def test_a_year_in_other_digits_in_a_public_download_gives_this_year(client, url, number):
    response = client.get(url.format(n=number))
    assert response.status_code == 200
    assert f"-{datetime.date.today().year}." in response["Content-Disposition"]


@pytest.mark.django_db
@pytest.mark.parametrize("number", NOT_ASCII_NUMBERS)
@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("dinsos", "/dasbor/?tahun={n}"),
        ("dinsos", "/dasbor/?garis={n}"),
        ("camat", "/dasbor/kecamatan/62.11.05/ringkasan/?tahun={n}"),
        ("dinsos", "/dasbor/?tahun={n}&format=xlsx&tabel=kecamatan"),
        ("anonymous", "/api/v1/publik/statistik/kecamatan/?tahun={n}"),
        ("dinsos", "/api/v1/statistik/kecamatan/?garis={n}"),
        ("dinsos", "/api/v1/programs/?tahun={n}"),
        ("dinsos", "/api/v1/households/?desil={n}"),
    ],
)
def test_a_number_in_other_digits_is_a_bad_request(client, personas, login, persona, url, number):
    assert login(personas[persona]).get(url.format(n=number)).status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("object_id", ["abc", "%C2%B2", "99999999999999999999"])
def test_a_malformed_household_id_in_the_admin_is_not_a_server_error(client, dinsos, login, object_id):
    response = login(dinsos).get(f"/admin/poverty_data/household/{object_id}/change/")
    assert response.status_code == 302  # Django's own "does not exist" message and the admin's home


@pytest.mark.django_db
@pytest.mark.parametrize("object_id", ["abc", "%C2%B2"])
def test_a_malformed_program_id_in_the_admin_is_not_found(client, dinsos, login, object_id):
    assert login(dinsos).get(f"/admin/programs/program/{object_id}/change/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["desil=%C2%B2", "desa__kecamatan__id__exact=%E2%91%A0", "desa__id__exact=%C2%B2"]
)
def test_a_registry_filter_in_other_digits_is_ignored(client, dinsos, login, query):
    assert login(dinsos).get(f"/admin/poverty_data/household/?{query}").status_code == 200
