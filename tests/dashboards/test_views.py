import pytest
from django.urls import reverse

from tests.dashboards.ledger import YEAR, build

pytestmark = pytest.mark.django_db

KH, MALIKU = "62.11.05", "62.11.06"
BUNTOI, TAHAI = "62.11.05.2001", "62.11.06.2001"
PAGES = {
    "dashboard": reverse("dashboards:dashboard"),
    "regency": reverse("dashboards:regency"),
    "kecamatan_kh": reverse("dashboards:kecamatan", args=[KH]),
    "kecamatan_maliku": reverse("dashboards:kecamatan", args=[MALIKU]),
    "brief_kh": reverse("dashboards:brief", args=[KH]),
    "brief_maliku": reverse("dashboards:brief", args=[MALIKU]),
    "desa_buntoi": reverse("dashboards:desa", args=[BUNTOI]),
    "desa_tahai": reverse("dashboards:desa", args=[TAHAI]),
}
# Exact status per page and persona (camat = camat of Kahayan Hilir).
EXPECTED = {
    "dashboard": {
        "owner": 403,
        "editor": 403,
        "other_company": 403,
        "dinsos": 200,
        "camat": 200,
        "other_camat": 200,
        "pimpinan": 200,
    },
    "regency": {
        "owner": 403,
        "editor": 403,
        "other_company": 403,
        "dinsos": 200,
        "camat": 403,
        "other_camat": 403,
        "pimpinan": 200,
    },
    "kecamatan_kh": {
        "owner": 403,
        "editor": 403,
        "other_company": 403,
        "dinsos": 200,
        "camat": 200,
        "other_camat": 404,
        "pimpinan": 200,
    },
    "kecamatan_maliku": {
        "owner": 403,
        "editor": 403,
        "other_company": 403,
        "dinsos": 200,
        "camat": 404,
        "other_camat": 200,
        "pimpinan": 200,
    },
    "brief_kh": {
        "owner": 403,
        "editor": 403,
        "other_company": 403,
        "dinsos": 200,
        "camat": 200,
        "other_camat": 404,
        "pimpinan": 200,
    },
    "brief_maliku": {
        "owner": 403,
        "editor": 403,
        "other_company": 403,
        "dinsos": 200,
        "camat": 404,
        "other_camat": 200,
        "pimpinan": 200,
    },
    "desa_buntoi": {
        "owner": 403,
        "editor": 403,
        "other_company": 403,
        "dinsos": 200,
        "camat": 200,
        "other_camat": 404,
        "pimpinan": 200,
    },
    "desa_tahai": {
        "owner": 403,
        "editor": 403,
        "other_company": 403,
        "dinsos": 200,
        "camat": 404,
        "other_camat": 200,
        "pimpinan": 200,
    },
}


@pytest.fixture
def ledger(company):
    return build(company)


@pytest.mark.parametrize("page", PAGES)
def test_each_persona_gets_exactly_its_status(ledger, personas, login, page):
    for name, user in personas.items():
        response = login(user).get(PAGES[page], {"tahun": YEAR})
        if user is None:
            assert response.status_code == 302, name
            assert response["Location"].startswith(reverse("login")), name
        else:
            assert response.status_code == EXPECTED[page][name], (page, name)


def test_camat_dashboard_renders_at_dasbor_without_redirect(ledger, camat, login):
    response = login(camat).get("/dasbor/", {"tahun": YEAR})

    assert response.status_code == 200
    assert "dashboards/dashboard/kecamatan_content.html" in [t.name for t in response.templates]
    assert response.context["kecamatan"].kode == KH


def test_regency_dashboard_is_dasbor_for_dinsos_and_pimpinan(ledger, dinsos, pimpinan, login):
    for user in (dinsos, pimpinan):
        response = login(user).get("/dasbor/", {"tahun": YEAR})
        assert "dashboards/dashboard/regency_content.html" in [t.name for t in response.templates]


def test_camat_and_pimpinan_land_on_their_dashboard(camat, pimpinan, login):
    expected = {
        camat: "dashboards/dashboard/kecamatan_content.html",
        pimpinan: "dashboards/dashboard/regency_content.html",
    }
    for user, template in expected.items():
        response = login(user).get("/")
        assert response.status_code == 200
        assert template in [t.name for t in response.templates]


def test_unknown_kecamatan_and_desa_are_404(ledger, dinsos, login):
    client = login(dinsos)
    assert client.get(reverse("dashboards:kecamatan", args=["62.11.99"])).status_code == 404
    assert client.get(reverse("dashboards:desa", args=["62.11.05.9999"])).status_code == 404


@pytest.mark.parametrize("query", [{"garis": "0"}, {"garis": "11"}, {"garis": "x"}, {"tahun": "abc"}])
def test_bad_year_or_poverty_line_is_400(ledger, dinsos, login, query):
    assert login(dinsos).get(reverse("dashboards:dashboard"), query).status_code == 400


def test_kecamatan_page_shows_indonesian_numbers_and_desa_by_gap(ledger, camat, login):
    response = login(camat).get(reverse("dashboards:kecamatan", args=[KH]), {"tahun": YEAR})
    content = response.content.decode()

    assert "Rp 1.345.000.002" in content
    rows = response.context["desa_rows"]
    assert rows[0]["nama"] == "Buntoi"
    assert [r["kesenjangan"] for r in rows] == sorted((r["kesenjangan"] for r in rows), reverse=True)
    assert 'href="/dasbor/desa/62.11.05.2001/?tahun=2026&amp;garis=4"' in content
    assert "?tahun=2026&amp;garis=4&amp;format=xlsx&amp;tabel=desa" in content


def test_desa_page_shows_needs_as_counts_and_no_names(ledger, camat, login):
    response = login(camat).get(reverse("dashboards:desa", args=[BUNTOI]), {"tahun": YEAR})
    content = response.content.decode()

    assert response.status_code == 200
    assert ledger["h1"].nama_kepala not in content
    assert ledger["h1"].no_kk not in content
    assert [b for b in response.context["bidang_served"]] == ["Pendidikan", "Infrastruktur"]
