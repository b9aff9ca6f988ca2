import datetime

import pytest
from django.urls import reverse

from dashboards.fields import FIELDS
from tests.dashboards.ledger import YEAR, build

pytestmark = pytest.mark.django_db
KECAMATAN_URL = reverse("statistik:kecamatan")
DESA_URL = reverse("statistik:desa")


@pytest.fixture
def ledger(company):
    return build(company)


def test_kecamatan_statistics_for_dinsos_cover_the_regency(ledger, dinsos, login):
    response = login(dinsos).get(KECAMATAN_URL, {"tahun": YEAR})

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"data_per", "results"}
    datetime.datetime.fromisoformat(body["data_per"])
    rows = {row["kode"]: row for row in body["results"]}
    assert len(rows) == 8
    assert set(rows["62.11.05"]) == {"kode", "nama", *FIELDS}
    assert rows["62.11.05"]["nama"] == "Kahayan Hilir"
    assert rows["62.11.06"]["cakupan"] == 1.0
    assert rows["62.11.05"]["anggaran_rencana"] == 1_345_000_002


def test_camat_gets_its_own_kecamatan_row_only(ledger, camat, login):
    response = login(camat).get(KECAMATAN_URL, {"tahun": YEAR})

    assert [row["kode"] for row in response.json()["results"]] == ["62.11.05"]


def test_desa_statistics_with_plain_names_and_exact_coverage(ledger, pimpinan, login):
    response = login(pimpinan).get(DESA_URL, {"kecamatan": "62.11.05", "tahun": YEAR})

    rows = {row["kode"]: row for row in response.json()["results"]}
    assert rows["62.11.05.2001"]["nama"] == "Buntoi"
    assert rows["62.11.05.2001"]["cakupan"] == 0.2
    assert rows["62.11.05.2002"]["cakupan"] is None


def test_poverty_line_changes_the_rows(ledger, dinsos, login):
    response = login(dinsos).get(DESA_URL, {"kecamatan": "62.11.05", "tahun": YEAR, "garis": 1})

    rows = {row["kode"]: row for row in response.json()["results"]}
    assert rows["62.11.05.2001"]["keluarga_miskin"] == 2


@pytest.mark.parametrize(
    ("url", "query", "expected"),
    [
        (DESA_URL, {"kecamatan": "62.11.06"}, 404),
        (DESA_URL, {"kecamatan": "62.11.99"}, 404),
        (DESA_URL, {}, 400),
        (KECAMATAN_URL, {"garis": 0}, 400),
        (KECAMATAN_URL, {"garis": 11}, 400),
        (KECAMATAN_URL, {"garis": "x"}, 400),
        (KECAMATAN_URL, {"tahun": "x"}, 400),
    ],
)
def test_camat_outside_scope_and_bad_parameters(ledger, camat, login, url, query, expected):
    assert login(camat).get(url, query).status_code == expected


def test_each_persona_gets_exactly_its_status(ledger, personas, login):
    expected = {
        "owner": 403,
        "editor": 403,
        "other_company": 403,
        "dinsos": 200,
        "camat": 200,
        "other_camat": 200,
        "pimpinan": 200,
        "anonymous": 401,  # token authentication answers 401 with WWW-Authenticate
    }
    for name, user in personas.items():
        assert login(user).get(KECAMATAN_URL).status_code == expected[name], name
        query = {"kecamatan": "62.11.05"}
        desa_expected = 404 if name == "other_camat" else expected[name]
        assert login(user).get(DESA_URL, query).status_code == desa_expected, name


def test_bad_poverty_line_says_why(ledger, dinsos, login):
    response = login(dinsos).get(KECAMATAN_URL, {"garis": 12})

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["fields"]["garis"] == ["Isi bidang ini harus kurang atau sama dengan 10."]
