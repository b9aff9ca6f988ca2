"""The attack on the portal's public outputs: collect every one of them, solve the relations, narrow no
count from 1 to 4 (the engine alone is attacked on many more ledgers in test_suppression_attack.py)."""

import csv
import io
import json
import re
from collections import defaultdict
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from rest_framework.test import APIClient

from dashboards.selectors import figures
from dashboards.services.summary import figures_rebuild
from poverty_data.models import Desa, Kecamatan
from programs.models import Beneficiary, Program
from publik import selectors
from tests.publik.attack import SMALL, STABLE, YEARLY, Outputs
from tests.publik.test_suppression_attack import _assert_held

COUNTS = (*STABLE, *YEARLY)


# --- the portal's own outputs -------------------------------------------------------------------------------


def _collect(client) -> Outputs:
    """Every public output of every year that carries household counts, as a reader downloads them."""
    offered = sorted(selectors.offered_years())
    # The attacker reasons over every year in between; the years not offered stay unknowns.
    years = list(range(offered[0], offered[-1] + 1))
    kecamatan = list(Kecamatan.objects.order_by("kode").values_list("kode", flat=True))
    areas = {("kabupaten", "62.11"): None}
    areas |= {("kecamatan", k): "62.11" for k in kecamatan}
    areas |= {("desa", d): k for d, k in Desa.objects.values_list("kode", "kecamatan__kode")}
    out = Outputs(years=years, areas=areas)
    api = APIClient()

    def see_row(level, row, tahun):
        for name in (*COUNTS, "kesenjangan"):
            if name in row:
                out.see((level, row["kode"], name, tahun), row[name])

    def see_csv(level, text, tahun):
        rows = list(csv.reader(io.StringIO(text)))
        header = rows[0]
        for values in rows[1:-1]:
            see_row(level, _download_row(header, values), tahun)

    for tahun in offered:
        body = api.get("/api/v1/publik/statistik/kecamatan/", {"tahun": tahun}).json()
        for row in body["results"]:
            see_row("kecamatan", row, tahun)
        see_row("kabupaten", {**body["total"], "kode": "62.11"}, tahun)
        see_csv(
            "kecamatan", client.get("/publik/unduh/kecamatan.csv", {"tahun": tahun}).content.decode(), tahun
        )
        page = client.get("/publik/", {"tahun": tahun}).content.decode()
        for feature in _map(page)["features"]:
            see_row("kecamatan", _map_row(feature["properties"]), tahun)
        for kode in kecamatan:
            body = api.get("/api/v1/publik/statistik/desa/", {"tahun": tahun, "kecamatan": kode}).json()
            for row in body["results"]:
                see_row("desa", row, tahun)
            see_row("kecamatan", body["total"], tahun)
            params = {"tahun": tahun, "kecamatan": kode}
            workbook = load_workbook(io.BytesIO(client.get("/publik/unduh/desa.xlsx", params).content))
            sheet = [list(r) for r in workbook.active.iter_rows(values_only=True)]
            for values in sheet[1:-1]:
                see_row("desa", _download_row(sheet[0], values), tahun)
            page = client.get(f"/publik/kecamatan/{kode}/", {"tahun": tahun}).content.decode()
            for feature in _map(page)["features"]:
                see_row("desa", _map_row(feature["properties"]), tahun)
            # The gap engine of the program form (one bidang: its figures do not depend on it).
            body = client.get(
                "/publik/celah/", {"bidang": "ekonomi", "kecamatan": kode, "tahun": tahun}
            ).json()
            for row in body["results"]:
                see_row("desa", row, tahun)
    text = client.get("/publik/data/tslp-3w-hxl.csv").content.decode()
    for number, row in enumerate(list(csv.DictReader(io.StringIO(text)))[1:]):
        value = row["Keluarga terjangkau"]
        # One row per program and kecamatan: the row's number stands for the program.
        out.reach[(number, row["Kode kecamatan"], int(row["Tahun"]))] = (
            SMALL if value == SMALL else None if value == "" else int(value)
        )
    return out


LABELS = {
    "Kode": "kode",
    "Keluarga": "keluarga",
    "Keluarga miskin": "keluarga_miskin",
    "Tanpa desil": "tanpa_desil",
    "Terjangkau": "terjangkau",
    "Miskin terjangkau": "miskin_terjangkau",
    "Miskin belum pernah dibantu": "miskin_belum_pernah",
    "Kesenjangan": "kesenjangan",
}


def _download_row(header, values) -> dict:
    row = {}
    for label, value in zip(header, values, strict=True):
        name = LABELS.get(label)
        if name is None:
            continue
        row[name] = value if name == "kode" or value == SMALL else None if value in ("", None) else int(value)
    return row


def _map(page: str) -> dict:
    found = re.search(r'<script id="peta-data" type="application/json">(.*?)</script>', page, re.S)
    return json.loads(found.group(1))


def _map_row(properties: dict) -> dict:
    return {k: v for k, v in properties.items() if k == "kode" or k in (*COUNTS, "kesenjangan")}


def _truth(out: Outputs) -> dict:
    truth = {}
    for tahun in sorted(selectors.offered_years()):
        for row in figures.kecamatan_figures(tahun=tahun):
            truth.update({("kecamatan", row["kode"], n, tahun): row[n] for n in (*COUNTS, "kesenjangan")})
        row = figures.regency_figures(tahun=tahun)
        truth.update({("kabupaten", "62.11", n, tahun): row[n] for n in (*COUNTS, "kesenjangan")})
        for kecamatan in Kecamatan.objects.all():
            for row in figures.desa_figures(kecamatan=kecamatan, tahun=tahun):
                truth.update({("desa", row["kode"], n, tahun): row[n] for n in (*COUNTS, "kesenjangan")})
    return truth


@pytest.fixture
def cached(settings):
    settings.TSLP_DASHBOARD_CACHE_SECONDS = 600


@pytest.mark.django_db
def test_the_demo_portal_withstands_the_attack(client, cached):
    call_command("seed_demo", "--households", "3000", stdout=StringIO())
    out = _collect(client)
    _complete_if_true(out)
    # The whole demo as one linear program, the audit statistics offices run; the integer attack runs on the
    # random ledgers above.
    _assert_held(out, _truth(out), integer=False)
    assert SMALL in out.observed.values()


def _complete_if_true(out: Outputs):
    """Give the attacker the 3W sum relation wherever it holds: every family reached in a kecamatan was reached
    by a public program that lists it."""
    out.complete_reach = straight_complete((k, t) for (_p, k, t) in out.reach)


def straight_complete(cells) -> set:
    """The ``(kecamatan, tahun)`` of ``cells`` where every active family that a counted program reached lives
    in a kecamatan that a public program of a verified company lists (counted from the beneficiaries, one row
    at a time, apart from the portal's ledger)."""
    public = set(Program.objects.public().filter(company__status="verified").values_list("pk", flat=True))
    listed = defaultdict(set)
    for program_id, kode in Program.objects.values_list("pk", "locations__desa__kecamatan__kode"):
        listed[program_id].add(kode)
    holds = defaultdict(lambda: True)
    reached = Beneficiary.objects.filter(
        state__in=Beneficiary.RECEIVING,
        household__is_active=True,
        program__status__in=Program.COUNTED_STATUSES,
    ).values_list("program_id", "program__tahun", "household__desa__kecamatan__kode")
    for program_id, tahun, lives in reached:
        if program_id not in public or lives not in listed[program_id]:
            holds[(lives, tahun)] = False
    return {(k, t) for (k, t) in cells if holds[(k, t)]}


DESA_CODES = ["62.11.05.2001", "62.11.05.2002", "62.11.05.2003", "62.11.06.2001"]


@st.composite
def db_scenes(draw):
    """Families per desa (desil, the programs that reach them) and programs over one or two years."""
    families = []
    for _ in range(draw(st.integers(1, 25))):
        families.append(
            (
                draw(st.sampled_from(DESA_CODES)),
                draw(st.sampled_from([1, 2, 4, 7, None])),
                draw(st.sets(st.integers(0, 3), max_size=2)),
            )
        )
    return families


@pytest.mark.django_db
@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
@given(families=db_scenes())
def test_random_ledgers_in_the_portal_withstand_the_attack(families, wilayah, company, cached):
    from django.core.cache import caches
    from django.db import transaction

    from tests.poverty_data.factories import HouseholdFactory
    from tests.programs.factories import ProgramFactory

    with transaction.atomic():
        for cache in caches.all():
            cache.clear()
        programs = [
            ProgramFactory(
                company=company,
                tahun=2025 + n % 2,
                status=Program.Status.RUNNING,
                desa_codes=DESA_CODES[n : n + 2],
            )
            for n in range(4)
        ]
        for kode, desil, reached_by in families:
            household = HouseholdFactory(desa=Desa.objects.get(kode=kode), desil=desil)
            for n in reached_by:
                Beneficiary.objects.create(
                    program=programs[n], household=household, state=Beneficiary.State.CONFIRMED
                )
        figures_rebuild()  # rows made by factories, not by the services: count them as an import would
        out = _collect(Client())
        _complete_if_true(out)
        _assert_held(out, _truth(out), integer=False)
        transaction.set_rollback(True)
