"""The services recount the desa they touch; whatever they do, the summary tables stay what a rebuild gives."""

import datetime
import random

import pytest
from django.db.models import Count, Q

from dashboards import receivers
from dashboards.models import DesaDesilCount, DesaFirstAssistCount, DesaReachCount, ProgramDesaReach
from dashboards.selectors import summary
from dashboards.selectors.figures import straight_household_figures
from dashboards.services.summary import figures_rebuild
from poverty_data.models import Desa
from programs.models import Beneficiary, DataSharingAgreement, Program
from programs.services import (
    DeliveryRow,
    beneficiaries_report_delivery,
    data_use_accept,
    matching,
    program_cancel,
)
from tests.dashboards.ledger import YEAR
from tests.dashboards.test_summary import (
    AREA,
    HOUSEHOLD_FIELDS,
    assert_summary_equals_straight_count,
    random_ledger,
)
from tests.programs.factories import ProgramFactory

pytestmark = pytest.mark.django_db
B = Beneficiary.State


def summary_rows():
    return (
        sorted(DesaDesilCount.objects.values_list("desa_id", "desil", "keluarga", "belum_pernah", "sekali")),
        sorted(DesaReachCount.objects.values_list("desa_id", "tahun", "desil", "terjangkau")),
        sorted(DesaFirstAssistCount.objects.values_list("desa_id", "desil", "tahun", "keluarga")),
        sorted(ProgramDesaReach.objects.values_list("program_id", "desa_id", "terjangkau")),
    )


def straight_program_reach() -> list[tuple[int, int, int]]:
    """Active households confirmed or delivered per program and desa, counted from the beneficiaries."""
    rows = (
        Beneficiary.objects.filter(state__in=Beneficiary.RECEIVING, household__is_active=True)
        .values_list("program_id", "household__desa_id")
        .annotate(n=Count("household_id", distinct=True))
        .order_by()
    )
    return sorted(rows)


def assert_equals_rebuild(step: str):
    assert_summary_equals_straight_count()
    assert summary_rows()[3] == straight_program_reach(), step
    updated = summary_rows()
    figures_rebuild()
    assert updated == summary_rows(), step


def confirmed_program(rng, company, dinsos, owner) -> Program:
    desa = list(Desa.objects.filter(AREA))
    program = ProgramFactory(
        company=company,
        tahun=rng.choice([YEAR - 1, YEAR, YEAR + 1]),
        status=Program.Status.APPROVED,
        max_desil=10,
        target_households=rng.randint(5, 15),
        needs=[],
        bidang=rng.choice(["pendidikan", "kesehatan", "ekonomi"]),
        desa_codes=[d.kode for d in rng.sample(desa, 2)],
    )
    matching.beneficiaries_propose(program=program, actor=dinsos)
    matching.beneficiaries_confirm(program=program, actor=dinsos)
    data_use_accept(program=program, actor=owner)
    return program


def report(rng, program, owner):
    rows = []
    for b in Beneficiary.objects.filter(
        program=program, state__in=[B.CONFIRMED, B.DELIVERED, B.NOT_DELIVERED]
    ):
        state = rng.choice([B.CONFIRMED, B.DELIVERED, B.NOT_DELIVERED])
        rows.append(
            DeliveryRow(
                beneficiary_id=b.pk,
                state=state,
                reason="moved" if state == B.NOT_DELIVERED else "",
                delivered_on=datetime.date(2025, 1, 2) if state == B.DELIVERED else None,
            )
        )
    beneficiaries_report_delivery(program=program, actor=owner, rows=rows)


@pytest.mark.parametrize("seed", range(4))
def test_services_keep_the_summary_equal_to_a_rebuild(company, owner, dinsos, maliku, seed):
    rng = random.Random(seed)
    programs, _households = random_ledger(rng, company)
    figures_rebuild()
    DataSharingAgreement.objects.create(
        company=company, number="PKS/1", signed_on=datetime.date(YEAR - 2, 1, 1), recorded_by=dinsos
    )
    first = confirmed_program(rng, company, dinsos, owner)
    second = confirmed_program(rng, company, dinsos, owner)
    assert_equals_rebuild("confirm")
    report(rng, first, owner)
    report(rng, second, owner)
    report(rng, first, owner)  # back to confirmed, delivered again, not delivered: corrections
    assert_equals_rebuild("delivery")
    program_cancel(program=second, actor=dinsos, note="Dihentikan.")
    for program in programs:
        if program.status in (Program.Status.APPROVED, Program.Status.RUNNING) and rng.random() < 0.5:
            program_cancel(program=program, actor=dinsos, note="Dihentikan.")
    assert_equals_rebuild("cancel")


def test_a_service_recounts_a_stale_summary_in_the_desa_it_touches(company, dinsos, owner, kahayan_hilir):
    rng = random.Random(7)
    random_ledger(rng, company)
    DataSharingAgreement.objects.create(
        company=company, number="PKS/1", signed_on=datetime.date(YEAR - 2, 1, 1), recorded_by=dinsos
    )
    figures_rebuild()
    DesaDesilCount.objects.update(belum_pernah=0, sekali=0)  # as if the registry changed behind its back
    program = confirmed_program(rng, company, dinsos, owner)

    touched = Q(pk__in=Beneficiary.objects.filter(program=program).values("household__desa_id"))
    for garis in (1, 4, 10):
        cached = summary.household_figures(touched, tahun=program.tahun, garis=garis)
        straight = straight_household_figures(touched, tahun=program.tahun, garis=garis)
        for desa_id, row in straight.items():
            assert {f: row.get(f, 0) for f in HOUSEHOLD_FIELDS} == {
                f: cached[desa_id][f] for f in HOUSEHOLD_FIELDS
            }


def test_verifying_the_final_report_moves_data_per_without_recounting(
    company, owner, dinsos, monkeypatch, django_capture_on_commit_callbacks
):
    from programs.services import realisation
    from tests.programs.delivery_helpers import running_program

    program = running_program(company=company, dinsos=dinsos, households=3)
    figures_rebuild()
    before = summary_rows()
    report = realisation.realisation_submit(
        program=program,
        actor=owner,
        period="Januari–Desember",
        amount_spent=9_000_000,
        description="Selesai.",
        is_final=True,
    )
    as_of = summary.last_change()

    def refuse(**kwargs):
        raise AssertionError("the program's desa were recounted")

    monkeypatch.setattr(receivers, "figures_refresh_program", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        realisation.realisation_verify(report=report, actor=dinsos)

    program.refresh_from_db()
    assert program.status == Program.Status.COMPLETED  # still counted: the same households reached
    assert summary.last_change() > as_of
    assert summary_rows() == before
    assert_equals_rebuild("completed")
