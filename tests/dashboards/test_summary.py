"""The summary tables are a cache: whatever happens to the ledger, they equal a straight count."""

import datetime
import random

import pytest
from django.db.models import Count, Exists, OuterRef, Q

from dashboards.fields import HOUSEHOLD_COUNTS, NEEDS
from dashboards.selectors import summary
from dashboards.selectors.figures import desa_figures, straight_household_figures
from dashboards.services.summary import figures_rebuild
from poverty_data.models import Desa, Household
from programs.models import Beneficiary, DataSharingAgreement, Program
from programs.services import (
    DeliveryRow,
    beneficiaries_report_delivery,
    data_use_accept,
    matching,
    program_cancel,
)
from tests.dashboards.ledger import YEAR, build, receive
from tests.poverty_data.factories import HouseholdFactory
from tests.poverty_data.files import DTSEN_HEADER, dtsen_row, import_file, write_csv
from tests.programs.factories import ProgramFactory

pytestmark = pytest.mark.django_db
AREA = Q(kecamatan__kode__in=["62.11.05", "62.11.06"])
HOUSEHOLD_FIELDS = HOUSEHOLD_COUNTS


def assert_summary_equals_straight_count():
    for tahun in (YEAR - 1, YEAR, YEAR + 1):
        for garis in (1, 4, 10):
            cached = summary.household_figures(AREA, tahun=tahun, garis=garis)
            straight = straight_household_figures(AREA, tahun=tahun, garis=garis)
            for desa_id in Desa.objects.filter(AREA).values_list("pk", flat=True):
                got = {f: cached.get(desa_id, {}).get(f, 0) for f in HOUSEHOLD_FIELDS}
                want = {f: straight.get(desa_id, {}).get(f, 0) for f in HOUSEHOLD_FIELDS}
                assert got == want, (desa_id, tahun, garis)


def straight_needs(*, tahun: int | None, garis: int) -> dict[int, dict]:
    """The need counts of :func:`summary.need_counts` counted straight from the households."""
    households = Household.objects.filter(
        is_active=True, desil__lte=garis, desa__in=Desa.objects.filter(AREA)
    )
    if tahun is not None:
        reached = Beneficiary.objects.filter(
            household=OuterRef("pk"),
            state__in=Beneficiary.RECEIVING,
            program__tahun=tahun,
            program__status__in=Program.COUNTED_STATUSES,
        )
        households = households.filter(~Exists(reached))
    rows = (
        households.order_by()
        .values("desa_id")
        .annotate(total=Count("pk"), **{need: Count("pk", filter=Q(**{need: True})) for need in NEEDS})
    )
    return {row.pop("desa_id"): row for row in rows}


def assert_need_counts_equal_straight_count():
    for tahun in (None, YEAR - 1, YEAR, YEAR + 1):
        for garis in (1, 4, 10):
            cached = summary.need_counts(AREA, tahun=tahun, garis=garis)
            straight = straight_needs(tahun=tahun, garis=garis)
            for desa_id in Desa.objects.filter(AREA).values_list("pk", flat=True):
                got = {f: cached.get(desa_id, {}).get(f, 0) for f in ("total", *NEEDS)}
                want = {f: straight.get(desa_id, {}).get(f, 0) for f in ("total", *NEEDS)}
                assert got == want, (desa_id, tahun, garis)


def random_ledger(rng: random.Random, company):
    desa = list(Desa.objects.filter(AREA))
    programs = [
        ProgramFactory(
            company=company,
            tahun=rng.choice([YEAR - 1, YEAR, YEAR + 1]),
            status=rng.choice(
                [
                    Program.Status.APPROVED,
                    Program.Status.RUNNING,
                    Program.Status.COMPLETED,
                    Program.Status.CANCELLED,
                ]
            ),
            desa_codes=[d.kode for d in rng.sample(desa, rng.randint(1, 3))],
        )
        for _ in range(5)
    ]
    households = [
        HouseholdFactory(
            desa=rng.choice(desa),
            desil=rng.choice([None, *range(1, 11)]),
            is_active=rng.random() < 0.85,
            **{need: rng.random() < 0.4 for need in NEEDS},
        )
        for _ in range(40)
    ]
    states = list(Beneficiary.State.values)
    for h in households:
        for program in rng.sample(programs, rng.randint(0, 3)):
            receive(program, h, rng.choice(states))
    return programs, households


@pytest.mark.parametrize("seed", range(6))
def test_summary_equals_straight_count_on_random_ledgers(company, maliku, seed):
    rng = random.Random(seed)
    random_ledger(rng, company)
    figures_rebuild()
    assert_summary_equals_straight_count()
    assert_need_counts_equal_straight_count()


def test_cancelling_a_program_updates_the_figures_at_once(company, dinsos, kahayan_hilir):
    ledger = build(company)
    before = {r["kode"]: r for r in desa_figures(kecamatan=kahayan_hilir, tahun=YEAR)}["62.11.05.2001"]
    assert (before["terjangkau"], before["miskin_belum_pernah"]) == (2, 3)

    program_cancel(program=ledger["p1"], actor=dinsos, note="Perusahaan menghentikan program.")

    after = {r["kode"]: r for r in desa_figures(kecamatan=kahayan_hilir, tahun=YEAR)}["62.11.05.2001"]
    # h1 is still reached by p2; h4 (unranked) was reached by p1 only.
    assert (after["terjangkau"], after["miskin_terjangkau"], after["program"]) == (1, 1, 1)
    assert_summary_equals_straight_count()


def buntoi(kahayan_hilir, tahun=YEAR):
    return {r["kode"]: r for r in desa_figures(kecamatan=kahayan_hilir, tahun=tahun)}["62.11.05.2001"]


def test_figures_are_exact_right_after_confirming_beneficiaries(company, dinsos, kahayan_hilir):
    households = [HouseholdFactory(desil=d) for d in (1, 2, 3, 7)]
    figures_rebuild()  # as an import does after writing households
    program = ProgramFactory(
        company=company,
        tahun=YEAR,
        status=Program.Status.APPROVED,
        max_desil=3,
        target_households=10,
        needs=[],
    )
    assert (buntoi(kahayan_hilir)["miskin_terjangkau"], buntoi(kahayan_hilir)["program"]) == (0, 1)

    matching.beneficiaries_propose(program=program, actor=dinsos)
    matching.beneficiaries_confirm(program=program, actor=dinsos)

    after = buntoi(kahayan_hilir)
    assert (after["terjangkau"], after["miskin_terjangkau"], after["miskin_belum_pernah"]) == (3, 3, 0)
    assert len(households) == after["keluarga"]
    assert_summary_equals_straight_count()


def test_figures_are_exact_right_after_delivery_is_reported(company, owner, dinsos, kahayan_hilir):
    program = ProgramFactory(company=company, tahun=YEAR, status=Program.Status.RUNNING)
    reached = receive(program, HouseholdFactory(desil=1))
    figures_rebuild()
    DataSharingAgreement.objects.create(
        company=company, number="PKS/1", signed_on=datetime.date(YEAR - 1, 1, 1), recorded_by=dinsos
    )
    data_use_accept(program=program, actor=owner)
    assert buntoi(kahayan_hilir)["miskin_terjangkau"] == 1

    rows = [DeliveryRow(beneficiary_id=reached.pk, state=Beneficiary.State.NOT_DELIVERED, reason="moved")]
    beneficiaries_report_delivery(program=program, actor=owner, rows=rows)

    assert buntoi(kahayan_hilir)["miskin_terjangkau"] == 0
    assert_summary_equals_straight_count()


def test_figures_are_exact_right_after_an_import(wilayah, tmp_path, kahayan_hilir):
    assert buntoi(kahayan_hilir)["keluarga"] == 0  # builds the summary tables
    path = write_csv(tmp_path / "dtsen.csv", [DTSEN_HEADER, dtsen_row(1, desil=2), dtsen_row(2, desil=7)])

    result = import_file(path, source="dtsen", period="2026-01")

    assert result.applied
    after = buntoi(kahayan_hilir)
    assert (after["keluarga"], after["keluarga_miskin"]) == (2, 1)
