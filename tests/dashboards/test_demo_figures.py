"""The demo's figures equal a straight count of its ledger for every desa and kecamatan, and tell a story."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from dashboards.fields import FIELDS, HOUSEHOLD_COUNTS
from dashboards.selectors import summary
from dashboards.selectors.dashboard import program_years, regency_area
from dashboards.selectors.figures import kecamatan_figures, straight_household_figures
from programs.selectors.realisation import programs_overdue

pytestmark = pytest.mark.django_db
HOUSEHOLD_FIELDS = HOUSEHOLD_COUNTS


@pytest.fixture
def demo(db):
    call_command("seed_demo", "--households", "1500", stdout=StringIO())


def test_demo_figures_equal_a_straight_count_and_differ_from_place_to_place(demo):
    years = program_years()
    assert len([y for y in years if kecamatan_figures(tahun=y)[4]["program"]]) >= 3  # several budget years
    for tahun in years:
        cached = summary.household_figures(regency_area(), tahun=tahun, garis=4)
        straight = straight_household_figures(regency_area(), tahun=tahun, garis=4)
        for desa_id in set(cached) | set(straight):
            for field in HOUSEHOLD_FIELDS:
                assert cached.get(desa_id, {}).get(field, 0) == straight.get(desa_id, {}).get(field, 0)
    this_year = kecamatan_figures(tahun=datetime.date.today().year)
    coverage = {row["cakupan"] for row in this_year if row["cakupan"] is not None}
    assert len(coverage) >= 4  # coverage differs from kecamatan to kecamatan
    assert programs_overdue().exists()  # some reports are overdue
    assert all(set(FIELDS) <= set(row) for row in this_year)
