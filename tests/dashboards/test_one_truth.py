"""One truth: on random ledgers, every figure of every area and year reads the same on every surface.

Each surface is read in its own format, the way its user reads it: the pages and the brief as HTML and text
("1.083", "Rp 8.397.500.000", "36,1%"), the map data as the JSON the page loads, Excel with openpyxl (a ratio
under a percent format is read as Excel shows it), CSV as text, the APIs as JSON, the open-data files as CSV
and JSON. The reference is the statistics API; a percentage shown to people must be the exact ratio of the
two counts rounded half up to one decimal, worked out here in exact fractions. Public outputs are compared
where they publish a number (not "<5", not a hidden cell). Every rupiah total must equal the sum of the whole
program amounts it covers, taken from the ledger itself.
"""

import csv
import io
import json
import math
import re
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import lxml.html
import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from dashboards.services.summary import figures_rebuild
from dashboards.tables import figure_columns
from poverty_data.models import Desa
from programs.models import Beneficiary, Program, RealisationReport
from publik import selectors as publik_selectors
from publik import tables as publik_tables
from tests.dashboards.ledger import YEAR, receive
from tests.poverty_data.factories import HouseholdFactory
from tests.programs.factories import ProgramFactory

pytestmark = pytest.mark.django_db

KECAMATAN = ("62.11.05", "62.11.06")
YEARS = (YEAR - 1, YEAR)
COUNTED = (Program.Status.APPROVED, Program.Status.RUNNING, Program.Status.COMPLETED)
COUNTS = (
    "keluarga",
    "keluarga_miskin",
    "tanpa_desil",
    "terjangkau",
    "miskin_terjangkau",
    "miskin_belum_pernah",
    "kesenjangan",
    "program",
)
RUPIAH = ("anggaran_rencana", "realisasi")


def headers(columns) -> dict[str, str]:
    """Column header as people read it (Indonesian) → figure."""
    with translation.override("id"):
        return {str(label): key for key, label in columns if key in (*COUNTS, *RUPIAH, "cakupan")}


DASHBOARD_HEADERS = headers((c.key, c.label) for c in figure_columns("-"))
PUBLIC_HEADERS = headers(publik_tables.FIGURE_COLUMNS)
with translation.override("id"):
    RUPIAH_HEADERS = {
        str(gettext("Planned (Rp)")): "anggaran_rencana",
        str(gettext("Realised (Rp)")): "realisasi",
    }


# Reading numbers the way people read them.


def read_whole(text: str) -> int | None:
    text = text.strip()
    if text in {"–", "-", ""}:
        return None
    assert re.fullmatch(r"\d{1,3}(\.\d{3})*", text), text
    return int(text.replace(".", ""))


def read_rupiah(text: str) -> int:
    text = " ".join(text.split())
    assert re.fullmatch(r"Rp \d{1,3}(\.\d{3})*", text), text
    return int(text[3:].replace(".", ""))


def read_percent(text: str) -> Decimal | None:
    text = text.strip()
    if text == "–":
        return None
    assert re.fullmatch(r"\d{1,3},\d%", text), text
    return Decimal(text[:-1].replace(",", "."))


def excel_shows(cell) -> Decimal | None:
    """A ratio under the ``0.0%`` format as Excel shows it: 15 significant digits, rounded half up."""
    if cell.value is None:
        return None
    assert cell.number_format == "0.0%", cell.number_format
    return (Decimal(f"{cell.value:.15g}") * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def percent_of(numerator: int, denominator: int) -> Decimal | None:
    """The exact ratio as a percentage with one decimal, half up, in exact fractions."""
    if not denominator:
        return None
    tenths = math.floor(Fraction(numerator * 1000, denominator) + Fraction(1, 2))
    return Decimal(tenths) / 10


# A random ledger: programs with rupiah that do not divide evenly, in several desa and two kecamatan.


@st.composite
def ledgers(draw):
    programs = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "tahun": st.sampled_from([*YEARS, YEAR + 1]),
                    "status": st.sampled_from([*COUNTED, Program.Status.CANCELLED, Program.Status.SUBMITTED]),
                    "budget": st.integers(min_value=1, max_value=9_999_999_999),
                    "realised": st.integers(min_value=0, max_value=999_999_999),
                    "desa": st.lists(st.integers(0, 5), min_size=1, max_size=4, unique=True),
                }
            ),
            min_size=1,
            max_size=5,
        )
    )
    households = draw(
        st.lists(
            st.tuples(
                st.integers(0, 5),
                st.sampled_from([None, 1, 2, 3, 4, 5, 9]),
                st.booleans(),
                st.lists(
                    st.tuples(st.integers(0, 4), st.sampled_from(list(Beneficiary.State.values))), max_size=3
                ),
            ),
            min_size=5,
            max_size=40,
        )
    )
    return programs, households


def build(company, drawn) -> list[Program]:
    program_rows, household_rows = drawn
    desa = list(Desa.objects.filter(kecamatan__kode__in=KECAMATAN).order_by("kode")[:6])
    programs = []
    for row in program_rows:
        program = ProgramFactory(
            company=company,
            tahun=row["tahun"],
            status=row["status"],
            budget=row["budget"],
            desa_codes=[desa[i].kode for i in row["desa"]],
        )
        if row["realised"]:
            RealisationReport.objects.create(
                program=program,
                period="S1",
                amount_spent=row["realised"],
                description="x",
                state=RealisationReport.State.VERIFIED,
            )
        programs.append(program)
    for place, desil, active, rows in household_rows:
        household = HouseholdFactory(desa=desa[place], desil=desil, is_active=active)
        for index, state in dict(rows).items():
            if index < len(programs):
                receive(programs[index], household, state)
    figures_rebuild()
    return programs


# The surfaces.


def get(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, url
    return response


def html_table(document, xpath: str, headers: dict) -> dict[str, dict]:
    """The rows of a table by the name in their first cell: header → value text (none when not shown)."""
    tables = document.xpath(xpath)
    if not tables:
        return {}
    (table,) = tables
    labels = [" ".join(th.text_content().split()) for th in table.xpath("./thead/tr/th")]
    rows = {}
    for tr in table.xpath("./tbody/tr | ./tfoot/tr"):
        cells = [" ".join(c.text_content().split()) for c in tr.xpath("./th | ./td")]
        rows[cells[0]] = {
            headers[label]: text for label, text in zip(labels, cells, strict=True) if label in headers
        }
    return rows


def shown(field: str, text: str):
    if field == "cakupan":
        return read_percent(text)
    if field in RUPIAH:
        return read_rupiah(text)
    return read_whole(text)


def cards(document) -> dict:
    figures = {}
    for node in document.xpath("//*[@data-figure]"):
        field = node.get("data-figure")
        text = " ".join(node.text_content().split())
        if field == "realisasi":
            text = re.search(r"Rp [\d.]+", text).group(0)
        figures[field] = shown(field, text)
    return figures


def map_rows(document, script_id: str) -> dict[str, dict]:
    (script,) = document.xpath(f'//script[@id="{script_id}"]')
    data = json.loads(script.text)
    return {feature["properties"]["kode"]: feature["properties"] for feature in data["features"]}


def xlsx_rows(response, first_header: str) -> dict[str, dict]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows())
    start = next(
        i
        for i, row in enumerate(rows)
        if row[0].value == first_header and len(row) > 1 and row[1].value in DASHBOARD_HEADERS
    )
    labels = [cell.value for cell in rows[start]]
    result = {}
    for row in rows[start + 1 :]:
        values = {}
        for label, cell in zip(labels, row, strict=False):
            field = DASHBOARD_HEADERS.get(label)
            if field == "cakupan":
                values[field] = excel_shows(cell)
            elif field:
                values[field] = cell.value
        result[row[0].value] = values
    return result


def brief_figures(text: str) -> tuple[dict, Decimal | None]:
    figures = {}
    match = re.search(
        r"memiliki ([\d.]+) keluarga miskin \(desil 1–4\) dari ([\d.]+) keluarga dalam registri\. Program CSR "
        r"menjangkau ([\d.]+) di antaranya: cakupan (\S+), dibandingkan (\S+) untuk kabupaten",
        text,
    )
    regency_cakupan = None
    if match:
        figures["keluarga_miskin"] = read_whole(match[1])
        figures["keluarga"] = read_whole(match[2])
        figures["miskin_terjangkau"] = read_whole(match[3])
        figures["cakupan"] = read_percent(match[4])
        regency_cakupan = read_percent(match[5])
        figures["miskin_belum_pernah"] = read_whole(
            re.search(r"([\d.]+) keluarga miskin belum pernah menerima", text)[1]
        )
    money = re.search(r"Rencana (Rp [\d.]+), realisasi terverifikasi (Rp [\d.]+)\.", text)
    if money:
        figures["anggaran_rencana"] = read_rupiah(money[1])
        figures["realisasi"] = read_rupiah(money[2])
    return figures, regency_cakupan


def public_number(value):
    """A public cell that is published as a number, else None (``"<5"``, hidden, empty)."""
    if isinstance(value, bool) or value in (None, "", "<5"):
        return None
    return value


def check(surface: str, area: str, tahun: int, want: dict, got: dict, *, public: bool = False):
    for field, value in got.items():
        if public and public_number(value) is None:
            continue
        assert value == want[field], (surface, area, tahun, field, value, want[field])


def reference(client, tahun: int) -> tuple[dict, dict, dict]:
    """The statistics API, with the percentage people must see: kecamatan and desa rows by kode, and the
    regency (the sum of its kecamatan, with the distinct programs)."""
    rows = {}
    url = reverse("statistik:kecamatan")
    for row in get(client, url, tahun=tahun).json()["results"]:
        rows[row["kode"]] = row
    for kode in KECAMATAN:
        for row in get(client, reverse("statistik:desa"), kecamatan=kode, tahun=tahun).json()["results"]:
            rows[row["kode"]] = row
    for row in rows.values():
        exact = Fraction(row["miskin_terjangkau"], row["keluarga_miskin"]) if row["keluarga_miskin"] else None
        assert row["cakupan"] == (float(exact) if exact is not None else None)
        row["shown"] = {**row, "cakupan": percent_of(row["miskin_terjangkau"], row["keluarga_miskin"])}
    by_name = {row["nama"]: row for kode, row in rows.items() if kode.count(".") == 2}
    return rows, by_name, {}


def whole_programs(tahun: int, kode: str | None = None) -> tuple[int, int]:
    """The whole budgets and verified realisation of the counted programs of ``tahun`` (in a kecamatan)."""
    programs = Program.objects.filter(tahun=tahun, status__in=COUNTED)
    if kode is not None:
        programs = programs.filter(locations__desa__kecamatan__kode=kode).distinct()
    budget = sum(p.budget for p in programs)
    realised = sum(
        r.amount_spent
        for r in RealisationReport.objects.filter(
            program__in=programs, state=RealisationReport.State.VERIFIED
        )
    )
    return budget, realised


def check_every_surface(client, programs):
    for tahun in YEARS:
        rows, kecamatan_by_name, _ = reference(client, tahun)
        want = {kode: row["shown"] for kode, row in rows.items()}

        # The regency page: its cards, the kecamatan table, the map, the bidang and trend totals.
        page = lxml.html.fromstring(get(client, reverse("dashboards:regency"), tahun=tahun).content)
        regency = cards(page)
        budget, realised = whole_programs(tahun)
        assert (regency["anggaran_rencana"], regency["realisasi"]) == (budget, realised), tahun
        table = html_table(page, '//section[@id="tabel-kecamatan"]//table', DASHBOARD_HEADERS)
        for nama, values in table.items():
            kode = kecamatan_by_name[nama]["kode"]
            check("regency table", kode, tahun, want[kode], {f: shown(f, t) for f, t in values.items()})
        regency_cakupan = regency["cakupan"]
        poor = sum(row["keluarga_miskin"] for kode, row in rows.items() if kode.count(".") == 2)
        reached = sum(row["miskin_terjangkau"] for kode, row in rows.items() if kode.count(".") == 2)
        assert regency_cakupan == percent_of(reached, poor)
        for kode, properties in map_rows(page, "map-data").items():
            check(
                "regency map",
                kode,
                tahun,
                want[kode],
                {
                    "keluarga_miskin": properties["keluarga_miskin"],
                    "miskin_terjangkau": properties["miskin_terjangkau"],
                    "kesenjangan": properties["kesenjangan"],
                    "cakupan": read_percent(properties["cakupan_teks"]),
                },
            )
            assert properties["cakupan"] == rows[kode]["cakupan"]
        bidang = html_table(page, '//section[@id="tabel-bidang"]//table', RUPIAH_HEADERS)
        assert sum(read_rupiah(r["anggaran_rencana"]) for r in bidang.values()) == budget
        assert sum(read_rupiah(r["realisasi"]) for r in bidang.values()) == realised
        trend = html_table(page, '//section[@id="tabel-tren"]//table', RUPIAH_HEADERS)
        if str(tahun) in trend:
            assert read_rupiah(trend[str(tahun)]["anggaran_rencana"]) == budget
            assert read_rupiah(trend[str(tahun)]["realisasi"]) == realised
        excel = xlsx_rows(
            get(client, reverse("dashboards:regency"), tahun=tahun, format="xlsx", tabel="kecamatan"),
            "Kecamatan",
        )
        for nama, values in excel.items():
            kode = kecamatan_by_name[nama]["kode"]
            check("regency excel", kode, tahun, want[kode], values)

        for kode in KECAMATAN:
            desa_by_name = {
                row["nama"]: row for k, row in rows.items() if k.startswith(kode + ".") and k.count(".") == 3
            }
            page = lxml.html.fromstring(
                get(client, reverse("dashboards:kecamatan", args=[kode]), tahun=tahun).content
            )
            check("kecamatan cards", kode, tahun, want[kode], cards(page))
            table = html_table(page, '//section[@id="tabel-desa"]//table', DASHBOARD_HEADERS)
            for nama, values in table.items():
                desa = desa_by_name[nama]["kode"]
                check("desa table", desa, tahun, want[desa], {f: shown(f, t) for f, t in values.items()})
            for desa, properties in map_rows(page, "map-data").items():
                assert read_percent(properties["cakupan_teks"]) == want[desa]["cakupan"], (desa, tahun)
            excel = xlsx_rows(
                get(
                    client,
                    reverse("dashboards:kecamatan", args=[kode]),
                    tahun=tahun,
                    format="xlsx",
                    tabel="desa",
                ),
                "Desa",
            )
            for nama, values in excel.items():
                desa = desa_by_name[nama]["kode"]
                check("desa excel", desa, tahun, want[desa], values)
            brief = lxml.html.fromstring(
                get(client, reverse("dashboards:brief", args=[kode]), tahun=tahun).content
            )
            (text,) = brief.xpath('//textarea[@id="brief-text"]')
            figures, brief_regency = brief_figures(text.text_content())
            check("brief", kode, tahun, want[kode], figures)
            if brief_regency is not None:
                assert brief_regency == regency_cakupan
            for desa in desa_by_name.values():
                page = lxml.html.fromstring(
                    get(client, reverse("dashboards:desa", args=[desa["kode"]]), tahun=tahun).content
                )
                check("desa cards", desa["kode"], tahun, want[desa["kode"]], cards(page))

        check_public(client, tahun, rows, want, budget, realised)
    check_open_data(client, programs)


def check_public(client, tahun, rows, want, budget, realised):
    if tahun not in publik_selectors.offered_years():
        # No public program that year: the public outputs do not offer it at all.
        assert client.get(reverse("api:publik-statistik-kecamatan"), {"tahun": tahun}).status_code == 404
        return
    api = get(client, reverse("api:publik-statistik-kecamatan"), tahun=tahun).json()
    assert (api["total"]["anggaran_rencana"], api["total"]["realisasi"]) == (budget, realised)
    published = {row["kode"]: row for row in api["results"]}
    for kode in KECAMATAN:
        published.update(
            {
                row["kode"]: row
                for row in get(
                    client, reverse("api:publik-statistik-desa"), kecamatan=kode, tahun=tahun
                ).json()["results"]
            }
        )
    for kode, row in published.items():
        # A desa row publishes fewer counts than a kecamatan row (publik.suppression.DESA_COUNTS).
        counts = {f: row[f] for f in (*COUNTS, *RUPIAH) if f in row}
        check("public api", kode, tahun, rows[kode], counts, public=True)
        if row["cakupan"] is not None:
            assert row["cakupan"] == rows[kode]["cakupan"], (kode, tahun)

    pages = [(reverse("publik:home"), None)] + [(reverse("publik:kecamatan", args=[k]), k) for k in KECAMATAN]
    for url, parent in pages:
        document = lxml.html.fromstring(get(client, url, tahun=tahun).content)
        for table in document.xpath("//table[contains(@class, 'publik-table')]"):
            names = {r["nama"]: k for k, r in rows.items() if parent is None or k.startswith(parent + ".")}
            for tr in table.xpath("./tbody/tr"):
                nama = " ".join(tr.xpath("./th")[0].text_content().split())
                if nama not in names:
                    continue
                kode = names[nama]
                for td in tr.xpath("./td[@data-label]"):
                    field = PUBLIC_HEADERS.get(td.get("data-label"))
                    text = " ".join(td.text_content().split())
                    if field is None or text in {"<5", "–"}:
                        continue
                    value = shown(field, text)
                    assert value == want[kode][field], ("public page", kode, tahun, field, text)

    for name, params, parent in [("kecamatan", {}, None)] + [
        ("desa", {"kecamatan": k}, k) for k in KECAMATAN
    ]:
        url = reverse("publik:download", args=[name, "csv"])
        text = get(client, url, tahun=tahun, **params).content.decode()
        reader = list(csv.reader(io.StringIO(text)))
        labels = reader[0]
        for values in reader[1:]:
            row = dict(zip(labels, values, strict=True))
            kode = row["Kode"]
            if kode not in rows or (parent and not kode.startswith(parent + ".")):
                continue
            for label, field in PUBLIC_HEADERS.items():
                cell = row.get(label, "")
                if cell in {"", "<5"}:
                    continue
                value = Decimal(cell) if field == "cakupan" else int(cell)
                assert value == want[kode][field], ("public csv", kode, tahun, field, cell)
        url = reverse("publik:download", args=[name, "xlsx"])
        sheet = load_workbook(io.BytesIO(get(client, url, tahun=tahun, **params).content)).active
        sheet_rows = list(sheet.iter_rows())
        labels = [c.value for c in sheet_rows[0]]
        for cells in sheet_rows[1:]:
            row = dict(zip(labels, cells, strict=True))
            kode = row["Kode"].value
            if kode not in rows or (parent and not kode.startswith(parent + ".")):
                continue
            for label, field in PUBLIC_HEADERS.items():
                cell = row.get(label)
                if cell is None or cell.value in {None, "", "<5"}:
                    continue
                value = excel_shows(cell) if field == "cakupan" else cell.value
                assert value == want[kode][field], ("public excel", kode, tahun, field, cell.value)


def check_open_data(client, programs):
    public = [p for p in programs if p.status in COUNTED]
    text = get(client, reverse("publik:three_w")).content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))[1:]  # the second line holds the HXL hashtags
    value = defaultdict(int)
    for row in rows:
        value[int(row["Tahun"])] += int(row["Anggaran (Rp)"])
    for tahun in {p.tahun for p in public}:
        assert value[tahun] == sum(p.budget for p in public if p.tahun == tahun), tahun
    if public:
        grants = get(client, reverse("publik:threesixty")).json()["grants"]
        assert sum(g["amountAwarded"] for g in grants) == sum(p.budget for p in public)


# No shrinking: each example renders some fifty pages and files; a failure names its surface, area and field.
@settings(
    max_examples=4,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(drawn=ledgers())
def test_every_figure_reads_the_same_on_every_surface(company, dinsos, login, drawn):
    client = login(dinsos)
    with transaction.atomic():
        programs = build(company, drawn)
        check_every_surface(client, programs)
        transaction.set_rollback(True)
