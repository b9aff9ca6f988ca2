"""Compliance, coverage and the award against hand-built ledgers."""

import datetime

import pytest

from cycle.models import AwardWeights, CycleYear, ObligatedCompany
from cycle.selectors.award import award_ranking
from cycle.selectors.compliance import LATE, MISSING, ON_TIME, VERIFIED, compliance_by_company
from cycle.selectors.coverage import coverage, coverage_total
from programs.models import Beneficiary, Program, RealisationReport
from tests.companies.factories import CompanyFactory
from tests.cycle.factories import ObligatedCompanyFactory
from tests.cycle.test_reminders import at, submit_final_report, submit_plan
from tests.poverty_data.factories import HouseholdFactory

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2028, 3, 1)


@pytest.fixture
def ledger(wilayah, kahayan_hilir, maliku):
    """Four companies for 2027: on time and verified, late, plan only, nothing; one exempted."""
    CycleYear.objects.create(tahun=2027, plan_deadline=D(2027, 1, 31), realisation_deadline=D(2028, 1, 31))
    entries = {}
    for key, kecamatan, sector in (
        ("teladan", kahayan_hilir, "01262"),
        ("terlambat", kahayan_hilir, "01262"),
        ("rencana", maliku, "Pertambangan"),
        ("diam", maliku, "Pertambangan"),
    ):
        entry = ObligatedCompanyFactory(name=f"PT {key.title()}", kecamatan=kecamatan, sector=sector)
        if key != "diam":
            CompanyFactory(nib=entry.nib, kecamatan=kecamatan)
            entry.refresh_from_db()
        entries[key] = entry
    ObligatedCompanyFactory(name="PT Kecuali", status=ObligatedCompany.Status.EXEMPT)
    teladan = submit_plan(entries["teladan"].company, D(2027, 1, 10))
    Program.objects.filter(pk=teladan.pk).update(status=Program.Status.RUNNING, budget=300_000_000)
    report = submit_final_report(teladan, D(2027, 12, 20))
    RealisationReport.objects.filter(pk=report.pk).update(
        state=RealisationReport.State.VERIFIED, amount_spent=280_000_000
    )
    for desil in (1, 2, 2, 5):
        Beneficiary.objects.create(
            program=teladan,
            household=HouseholdFactory(desil=desil),
            state=Beneficiary.State.DELIVERED,
            delivered_on=D(2027, 6, 1),
        )
    Beneficiary.objects.create(
        program=teladan, household=HouseholdFactory(desil=1), state=Beneficiary.State.REMOVED
    )
    next_year = submit_plan(entries["teladan"].company, D(2027, 12, 28))
    Program.objects.filter(pk=next_year.pk).update(tahun=2028)
    late = submit_plan(entries["terlambat"].company, D(2027, 2, 20))
    Program.objects.filter(pk=late.pk).update(budget=100_000_000, status=Program.Status.APPROVED)
    submit_final_report(late, D(2028, 2, 10))
    RealisationReport.objects.filter(program=late).update(amount_spent=90_000_000)
    returned = submit_plan(entries["rencana"].company, D(2027, 1, 30))
    submit_final_report(returned, D(2028, 1, 5))
    RealisationReport.objects.filter(program=returned).update(state=RealisationReport.State.RETURNED)
    return entries


def test_compliance_per_company(ledger):
    result = compliance_by_company(tahun=2027, today=TODAY)
    teladan, late = result[ledger["teladan"].pk], result[ledger["terlambat"].pk]
    rencana, diam = result[ledger["rencana"].pk], result[ledger["diam"].pk]
    assert (teladan.plan, teladan.report, teladan.report_timing) == (ON_TIME, VERIFIED, ON_TIME)
    assert (teladan.planned, teladan.realised, teladan.verified) == (300_000_000, 280_000_000, 280_000_000)
    assert (teladan.beneficiaries, teladan.poorest) == (4, 3)
    assert (late.plan, late.report, late.realised, late.verified) == (LATE, LATE, 90_000_000, 0)
    assert (rencana.plan, rencana.report) == (ON_TIME, MISSING)  # a returned report does not count
    assert rencana.days_overdue == (TODAY - D(2028, 1, 31)).days
    assert (diam.plan, diam.report) == (MISSING, MISSING)
    assert diam.days_overdue == (TODAY - D(2027, 1, 31)).days
    assert len(result) == 4  # the exempted company owes nothing


def test_before_the_deadlines_nothing_is_missing(ledger):
    result = compliance_by_company(tahun=2027, today=D(2027, 1, 5))
    diam = result[ledger["diam"].pk]
    assert (diam.plan, diam.report, diam.days_overdue) == ("due", "due", 0)


def test_coverage_per_sector_and_kecamatan(ledger):
    result = coverage(tahun=2027, today=TODAY)
    assert (result.total.obligated, result.total.with_plan, result.total.with_report) == (4, 3, 2)
    by_sector = {
        group.name: (group.obligated, group.with_plan, group.with_report) for group in result.by_sector
    }
    assert by_sector == {"KBLI 01": (2, 2, 2), "Pertambangan": (2, 1, 0)}
    by_kecamatan = {group.name: (group.obligated, group.with_plan) for group in result.by_kecamatan}
    assert by_kecamatan == {"Kahayan Hilir": (2, 2), "Maliku": (2, 1)}
    assert [entry.name for entry, _item in result.missing] == ["PT Diam", "PT Rencana"]
    total = coverage_total(tahun=2027, today=TODAY)
    assert (total.obligated, total.with_plan, total.with_report, total.missing) == (4, 3, 2, 2)


def test_award_ranks_with_each_component(ledger):
    AwardWeights.objects.create(
        tahun=2027, amount=40, plan_on_time=10, report_on_time=20, poorest_share=20, next_plan=10
    )
    weights, rows = award_ranking(tahun=2027, today=TODAY)
    assert weights.total == 100
    assert [row.entry.name for row in rows] == ["PT Teladan", "PT Terlambat", "PT Rencana"]
    top = rows[0]
    assert (top.amount, top.plan_on_time, top.report_on_time, top.poorest_share, top.next_plan) == (
        1.0,
        1.0,
        1.0,
        0.75,
        1.0,
    )
    assert top.score == 95.0  # 40 + 10 + 20 + 20 * 0.75 + 10
    second = rows[1]
    assert second.amount == pytest.approx(90 / 280)
    assert (second.plan_on_time, second.report_on_time, second.next_plan) == (0.5, 0.5, 0.0)
    assert second.score == round(40 * 90 / 280 + 5 + 10, 1)
    assert rows[2].score == 10.0  # plan on time only


def test_verified_late_report_counts_as_late_in_the_award(ledger):
    RealisationReport.objects.filter(program__company=ledger["terlambat"].company).update(
        state=RealisationReport.State.VERIFIED, submitted_at=at(D(2028, 2, 10))
    )
    _weights, rows = award_ranking(tahun=2027, today=TODAY)
    late = next(row for row in rows if row.entry.name == "PT Terlambat")
    assert late.compliance.report == VERIFIED
    assert late.report_on_time == 0.5
