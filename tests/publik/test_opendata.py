"""The open-data files pass their standards' own validators and show no count from 1 to 4."""

import csv
import io
import json
from pathlib import Path

import hxl
import jsonschema
import pytest
from lxml import etree
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from programs.models import Program
from publik import opendata, selectors
from tests.companies.factories import CompanyFactory
from tests.programs.factories import ProgramFactory

pytestmark = pytest.mark.django_db

STANDARDS = Path(__file__).resolve().parents[2] / "publik" / "standards"
HXL_TAGS = [
    "#org",
    "#sector",
    "#adm2+code",
    "#adm3+code",
    "#adm3+name",
    "#status",
    "#targeted+hh",
    "#reached+hh",
    "#value+idr",
    "#date+year",
]
COUNT_OR_HIDDEN = "^([0-9]+|<5)?$"
DIGITS = "^[0-9]+$"
# libhxl silently drops malformed hashtags: the schema requires each of the ten tags as a column, and the
# values where the contract fixes their form.
HXL_SCHEMA = [
    ["#valid_tag", "#valid_required+min", "#valid_value+regex"],
    ["#org", "1", ""],
    ["#sector", "1", ""],
    ["#adm2+code", "1", r"^\d{2}\.\d{2}$"],
    ["#adm3+code", "1", r"^\d{2}\.\d{2}\.\d{2}$"],
    ["#adm3+name", "1", ""],
    ["#status", "1", ""],
    ["#targeted+hh", "", COUNT_OR_HIDDEN],
    ["#reached+hh", "", COUNT_OR_HIDDEN],
    ["#value+idr", "1", DIGITS],
    ["#date+year", "1", DIGITS],
]


def small_counts(values) -> list:
    return [v for v in values if v.isdigit() and 1 <= int(v) <= 4]


@pytest.fixture
def programs(scene):
    return list(selectors.public_programs(details=True))


def test_three_w_csv_passes_libhxl_with_the_exact_tags(programs):
    text = opendata.three_w_csv(opendata.three_w_rows(programs))
    errors = []
    schema = hxl.schema(HXL_SCHEMA, callback=lambda e: errors.append(str(e)))
    assert schema.validate(hxl.data(list(csv.reader(io.StringIO(text))))), errors
    tags = [column.display_tag for column in hxl.data(list(csv.reader(io.StringIO(text)))).columns]
    assert [tag for tag in tags if tag in HXL_TAGS] == HXL_TAGS
    assert csv.reader(io.StringIO(text)).__next__()[0] == "Perusahaan"


def test_three_w_csv_hides_small_counts_and_uses_nib_identifiers(programs, company):
    rows = list(csv.DictReader(io.StringIO(opendata.three_w_csv(opendata.three_w_rows(programs)))))[1:]
    by_area = {(r["Kode kecamatan"], r["Bidang"]): r for r in rows}
    # 8 and 3 families in Kahayan Hilir, 2 in Maliku, in kecamatan of a handful of families: all covered.
    for area in [("62.11.05", "Pendidikan"), ("62.11.05", "Kesehatan"), ("62.11.06", "Kesehatan")]:
        assert by_area[area]["Keluarga terjangkau"] in ("<5", "")
    assert small_counts([r["Target keluarga"] for r in rows] + [r["Keluarga terjangkau"] for r in rows]) == []
    assert {r["ID organisasi"] for r in rows} == {f"ID-NIB-{company.nib}"}
    assert company.npwp not in json.dumps(rows)
    assert {r["Perusahaan"] for r in rows} == {company.name}


def test_iati_activities_validate_against_the_iati_203_schema(programs, scene):
    xml = opendata.iati_activities_xml(programs)
    schema = etree.XMLSchema(etree.parse(str(STANDARDS / "iati-2.03" / "iati-activities-schema.xsd")))
    document = etree.fromstring(xml)
    schema.assertValid(document)
    activities = document.findall("iati-activity")
    assert [a.findtext("title/narrative") for a in activities] == ["Beasiswa keluarga miskin", "Posyandu"]
    big = activities[0]
    assert big.find("participating-org").get("ref").startswith("ID-NIB-")
    assert [t.findtext("value") for t in big.findall("transaction")] == ["30000000"]
    assert big.find("budget/value").text == "80000000"
    # Money and dates only: no household count is published in IATI.
    assert b"hh" not in xml


def _grant_validator():
    package = json.loads((STANDARDS / "360giving-1.4.3" / "360-giving-package-schema.json").read_text())
    grant = json.loads((STANDARDS / "360giving-1.4.3" / "360-giving-schema.json").read_text())
    # The schemas declare their dialect as http://…/draft/2020-12/schema, which referencing does not know.
    resource = DRAFT202012.create_resource(grant)
    registry = Registry().with_resources(
        [
            (grant["$id"], resource),
            (
                "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.2/schema/360-giving-schema.json",
                resource,
            ),
        ]
    )
    return jsonschema.Draft202012Validator(
        package, registry=registry, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def test_threesixty_giving_package_validates_with_formats_checked(programs, company):
    package = opendata.threesixty_package(programs)
    validator = _grant_validator()
    errors = [e.message for e in validator.iter_errors(json.loads(json.dumps(package)))]
    assert errors == []
    assert [g["fundingOrganization"][0]["id"] for g in package["grants"]] == [f"ID-NIB-{company.nib}"] * 2
    assert package["grants"][0]["amountDisbursed"] == 30_000_000


def test_the_validator_would_catch_a_bad_date(programs):
    package = opendata.threesixty_package(programs)
    package["grants"][0]["dateModified"] = "27/11/2026"
    assert any("date-time" in e.message for e in _grant_validator().iter_errors(package))


@pytest.mark.parametrize(
    ("old", "new"), [("#adm3+code", "adm3+code"), ("#value+idr", "#value idr"), ("#reached+hh", "#reached+")]
)
def test_the_hxl_check_catches_a_malformed_tag(programs, old, new):
    text = opendata.three_w_csv(opendata.three_w_rows(programs)).replace(old, new, 1)
    rows = list(csv.reader(io.StringIO(text)))
    tags = [column.display_tag for column in hxl.data(rows).columns]
    assert [tag for tag in tags if tag in HXL_TAGS] != HXL_TAGS


def test_the_hxl_check_catches_a_grouped_number(programs):
    text = opendata.three_w_csv(opendata.three_w_rows(programs)).replace("80000000", "80.000.000", 1)
    assert not hxl.schema(HXL_SCHEMA).validate(hxl.data(list(csv.reader(io.StringIO(text)))))


def test_the_3w_reach_shows_what_the_one_decision_publishes(scene, client):
    from publik import statistics

    text = client.get("/publik/data/tslp-3w-hxl.csv").content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))[1:]
    program = scene["small"]
    shown = {r["Kode kecamatan"]: r["Keluarga terjangkau"] for r in rows if r["Tahun"] == str(program.tahun)}
    # The small program reaches 3 families in Kahayan Hilir and 2 in Maliku: both fewer than five.
    expected = statistics.reach_shown(statistics.publication(), program.pk, "62.11.06", program.tahun, 2)
    assert expected in ("<5", None)
    assert shown["62.11.06"] in ("<5", "")


def test_with_no_public_program_the_standards_files_say_why_instead_of_being_invalid(client, company):
    # Only a draft and a program of an unverified company: nothing is public yet.
    ProgramFactory(company=company, status=Program.Status.DRAFT, title="Draf")
    ProgramFactory(company=CompanyFactory(status="pending"), status=Program.Status.APPROVED)

    page = client.get("/publik/data/").content.decode()
    assert "Belum tersedia" in page
    assert "/publik/data/tslp-360giving.json" not in page
    assert "/publik/data/tslp-iati-activities.xml" not in page
    assert "/publik/data/tslp-3w-hxl.csv" in page
    for url, standard in [
        ("/publik/data/tslp-360giving.json", "360Giving"),
        ("/publik/data/tslp-iati-activities.xml", "IATI 2.03"),
    ]:
        response = client.get(url)
        assert response.status_code == 404
        assert f"Berkas {standard} memerlukan setidaknya satu program" in response.content.decode()
