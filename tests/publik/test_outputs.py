"""Every output of public data: the page, Excel, CSV, JSON, map data and each open-data file show no
household count from 1 to 4, and equal the signed-in figures wherever they are not hidden."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import html
from openpyxl import load_workbook
from rest_framework.test import APIClient

from dashboards.selectors import figures
from publik.suppression import COUNTS, SMALL
from tests.programs.delivery_helpers import running_program

pytestmark = pytest.mark.django_db

COUNT_HEADERS = {
    "Keluarga",
    "Keluarga miskin",
    "Tanpa desil",
    "Terjangkau",
    "Miskin terjangkau",
    "Miskin belum pernah dibantu",
    "Kesenjangan",
}


def covered(values) -> bool:
    """Some count of the scene's few families is covered ("<5" or hidden): the scene has small counts."""
    return any(value in (SMALL, None, "", "–") for value in values)


def small(values) -> list:
    """The values that are a count from 1 to 4, whatever their type."""
    found = []
    for value in values:
        text = str(value).strip()
        if text.isdigit() and 1 <= int(text) <= 4:
            found.append(value)
    return found


@pytest.fixture
def year(scene):
    return scene["big"].tahun


def page_counts(content: bytes) -> list[str]:
    tree = html.fromstring(content)
    cells = []
    for table in tree.xpath('//table[contains(@class, "publik-table")]'):
        headers = [th.text_content().strip() for th in table.xpath("./thead/tr/th")]
        for row in table.xpath("./tbody/tr | ./tfoot/tr"):
            for header, cell in zip(headers, row.xpath("./th | ./td"), strict=True):
                if header in COUNT_HEADERS:
                    cells.append(cell.text_content().strip())
    return cells


def test_the_public_page_shows_no_small_count(client, year):
    response = client.get("/publik/", {"tahun": year})
    assert response.status_code == 200
    cells = page_counts(response.content)
    assert len(cells) == 9 * 6
    assert covered(cells)
    assert small(cells) == []


def test_the_kecamatan_page_shows_no_small_count(client, year):
    response = client.get("/publik/kecamatan/62.11.06/", {"tahun": year})
    assert response.status_code == 200
    cells = page_counts(response.content)
    assert covered(cells)
    assert small(cells) == []


def test_map_data_shows_no_small_count(client, year):
    response = client.get("/publik/", {"tahun": year})
    data = json.loads(html.fromstring(response.content).get_element_by_id("peta-data").text)
    properties = [f["properties"] for f in data["features"]]
    assert {p["kode"] for p in properties} >= {"62.11.05", "62.11.06"}
    values = [
        p[k]
        for p in properties
        for k in ("keluarga_miskin", "terjangkau", "miskin_terjangkau", "kesenjangan")
    ]
    assert covered(values)
    assert small(values) == []


@pytest.mark.parametrize("table", ["kecamatan", "desa"])
def test_excel_and_csv_downloads_show_no_small_count(client, year, table):
    params = {"tahun": year, "kecamatan": "62.11.06"}
    workbook = load_workbook(io.BytesIO(client.get(f"/publik/unduh/{table}.xlsx", params).content))
    rows = list(workbook.active.iter_rows(values_only=True))
    columns = [i for i, header in enumerate(rows[0]) if header in COUNT_HEADERS]
    excel_values = [row[i] for row in rows[1:] for i in columns]
    assert covered(excel_values)
    assert small(excel_values) == []
    text = client.get(f"/publik/unduh/{table}.csv", params).content.decode()
    reader = list(csv.reader(io.StringIO(text)))
    csv_values = [row[i] for row in reader[1:] for i in columns]
    assert csv_values == ["" if v is None else str(v) for v in excel_values]


def test_commitment_downloads_are_money_per_company_and_bidang(client, scene, company):
    rows = list(csv.reader(io.StringIO(client.get("/publik/unduh/perusahaan.csv").content.decode())))
    assert rows[1] == [
        company.name,
        str(scene["big"].tahun),
        "2",
        str(80_000_000 + scene["small"].budget),
        "30000000",
    ]
    bidang = list(csv.reader(io.StringIO(client.get("/publik/unduh/bidang.csv").content.decode())))
    assert [r[1] for r in bidang[1:]] == ["Kesehatan", "Pendidikan"]


def test_unknown_download_table_or_format_is_404(client, scene):
    assert client.get("/publik/unduh/keluarga.csv").status_code == 404
    assert client.get("/publik/unduh/kecamatan.pdf").status_code == 404


@pytest.mark.parametrize("level", ["kecamatan", "desa"])
def test_public_api_rows_are_the_signed_in_figures_suppressed(year, level, kahayan_hilir, maliku):
    params = {"tahun": year} if level == "kecamatan" else {"tahun": year, "kecamatan": "62.11.06"}
    response = APIClient().get(f"/api/v1/publik/statistik/{level}/", params)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"data_per", "results", "total"}
    raw = (
        figures.kecamatan_figures(tahun=year)
        if level == "kecamatan"
        else figures.desa_figures(kecamatan=maliku, tahun=year)
    )
    values = []
    for published, original in zip(body["results"], raw, strict=True):
        assert published["kode"] == original["kode"]
        for field in COUNTS:
            if level == "desa" and field in ("tanpa_desil", "terjangkau", "miskin_belum_pernah"):
                assert field not in published  # not published per desa
                continue
            values.append(published[field])
            if published[field] not in (SMALL, None):
                assert published[field] == original[field]
    assert covered(values)
    assert small(values) == []
    assert small(body["total"][f] for f in COUNTS) == []


def test_public_api_defaults_to_this_year_and_refuses_bad_parameters(scene):
    client = APIClient()
    assert client.get("/api/v1/publik/statistik/kecamatan/").status_code == 200
    missing = client.get("/api/v1/publik/statistik/desa/")
    assert missing.status_code == 400
    assert set(missing.json()["fields"]) == {"kecamatan"}
    assert client.get("/api/v1/publik/statistik/desa/", {"kecamatan": "62.11.99"}).status_code == 404
    assert client.get("/api/v1/publik/statistik/kecamatan/", {"tahun": "dua"}).status_code == 400


def test_open_data_files_show_no_small_count(client, scene):
    text = client.get("/publik/data/tslp-3w-hxl.csv").content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))[1:]
    values = [r["Target keluarga"] for r in rows] + [r["Keluarga terjangkau"] for r in rows]
    assert covered(values)
    assert small(values) == []
    assert client.get("/publik/data/tslp-iati-activities.xml")["Content-Type"].startswith("application/xml")
    grants = client.get("/publik/data/tslp-360giving.json").json()["grants"]
    assert len(grants) == 2


def test_open_data_page_links_each_file_with_its_licence(client, scene):
    content = client.get("/publik/data/").content.decode()
    for url in (
        "/publik/data/tslp-3w-hxl.csv",
        "/publik/data/tslp-iati-activities.xml",
        "/publik/data/tslp-360giving.json",
    ):
        assert url in content
    assert "CC BY 4.0" in content


# The downloads and the API read the offered years first (publik.selectors.offered_years): one query each.
# With the page cache off (as in the tests) each output also collects the counts of all years and looks up
# their stored disclosure decision: 12 queries here, once per data change in production
# (publik.statistics.publication).
PINNED = [
    ("/publik/", {}, 29),
    ("/publik/kecamatan/62.11.05/", {}, 36),
    ("/publik/unduh/kecamatan.xlsx", {}, 27),
    ("/api/v1/publik/statistik/kecamatan/", {}, 27),
    ("/api/v1/publik/statistik/desa/", {"kecamatan": "62.11.05"}, 35),
    ("/publik/data/tslp-3w-hxl.csv", {}, 15),
]


@pytest.mark.parametrize(("url", "params", "queries"), PINNED)
def test_public_outputs_run_a_constant_number_of_queries(client, scene, company, year, url, params, queries):
    counts = []
    for n in range(2):
        client.get(
            url, {"tahun": year, **params}
        )  # the first request after a change builds the summary tables
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, {"tahun": year, **params}).status_code == 200
        counts.append(len(captured))
        for m in range(4):
            running_program(company=company, dinsos=scene["dinsos"], households=6, title=f"Tambahan {n}{m}")
    assert counts == [queries, queries]
