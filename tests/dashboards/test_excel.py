from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.dashboards.ledger import YEAR, build

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(company):
    return build(company)


def sheet_of(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(BytesIO(response.content)).active


def test_desa_table_downloads_with_heading_names_and_numbers(ledger, camat, login):
    url = reverse("dashboards:kecamatan", args=["62.11.05"])
    sheet = sheet_of(login(camat).get(url, {"tahun": YEAR, "format": "xlsx", "tabel": "desa"}))
    rows = list(sheet.iter_rows(values_only=True))

    assert rows[0][0] == "Desa"
    assert rows[1][:2] == ("Wilayah", "Kecamatan Kahayan Hilir")
    assert rows[2][:2] == ("Tahun anggaran", "2026")
    assert rows[3][:2] == ("Garis kemiskinan", "desil 1–4")
    assert rows[4][0] == "Data per"
    header = rows[6]
    assert header[:5] == ("Desa", "Keluarga", "Keluarga miskin", "Keluarga miskin terjangkau", "Cakupan")
    buntoi = rows[7]
    assert buntoi[:6] == ("Buntoi", 7, 5, 1, 0.2, 4)
    assert buntoi[-2:] == (800_000_001, 50_000_001)


def test_company_table_of_the_regency(ledger, company, pimpinan, login):
    url = reverse("dashboards:dashboard")
    sheet = sheet_of(login(pimpinan).get(url, {"tahun": YEAR, "format": "xlsx", "tabel": "perusahaan"}))
    rows = list(sheet.iter_rows(values_only=True))

    assert rows[7][:5] == (company.name, 4, 3, 2, 0)


def test_program_titles_that_look_like_formulas_stay_text(ledger, camat, login):
    ledger["p1"].title = '=HYPERLINK("http://x")'
    ledger["p1"].save()
    url = reverse("dashboards:kecamatan", args=["62.11.05"])
    response = login(camat).get(url, {"tahun": YEAR, "format": "xlsx", "tabel": "program"})
    sheet = sheet_of(response)
    titles = [row[0].value for row in sheet.iter_rows(min_row=8)]

    assert '=HYPERLINK("http://x")' in titles
    cell = next(row[0] for row in sheet.iter_rows(min_row=8) if row[0].value.startswith("="))
    assert cell.data_type == "s"


def test_unknown_table_is_404(ledger, camat, login):
    url = reverse("dashboards:kecamatan", args=["62.11.05"])
    assert login(camat).get(url, {"format": "xlsx", "tabel": "nothing"}).status_code == 404
