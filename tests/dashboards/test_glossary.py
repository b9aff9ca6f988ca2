"""The terms of the figures are explained once per page, beside them: dashboards and the public pages."""

import pytest

from tests.dashboards.ledger import BUNTOI, YEAR, build

pytestmark = pytest.mark.django_db

PAGES = {
    "camat": f"/dasbor/?tahun={YEAR}&garis=3",
    "pimpinan": f"/dasbor/?tahun={YEAR}&garis=3",
    "dinsos": f"/dasbor/desa/{BUNTOI}/?tahun={YEAR}&garis=3",
}


@pytest.mark.parametrize(("persona", "url"), PAGES.items())
def test_each_dashboard_explains_its_terms_once_with_the_chosen_poverty_line(
    client, company, request, persona, url
):
    build(company)
    client.force_login(request.getfixturevalue(persona))
    html = client.get(url).content.decode()
    assert html.count('data-testid="glossary"') == 1
    assert "desilnya dalam registri kemiskinan 1 sampai 3" in html
    assert "Keluarga terjangkau, keluarga miskin terjangkau" in html
    assert "Keluarga dalam registri yang belum memiliki desil" in html


@pytest.mark.parametrize("url", [f"/publik/?tahun={YEAR}", f"/publik/kecamatan/62.11.05/?tahun={YEAR}"])
def test_the_public_pages_explain_their_terms_once(client, company, url):
    build(company)
    html = client.get(url).content.decode()
    assert html.count('data-testid="glossary"') == 1
    assert "desilnya dalam registri kemiskinan 1 sampai 4" in html
    assert "Makin besar kesenjangan" in html
