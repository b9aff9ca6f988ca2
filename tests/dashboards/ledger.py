"""A hand-built ledger whose figures are worked out by hand in test_figures.py."""

import datetime

from dashboards.services.summary import figures_rebuild
from poverty_data.models import Desa
from programs.models import Beneficiary, Bidang, Program, RealisationReport
from tests.poverty_data.factories import HouseholdFactory
from tests.programs.factories import ProgramFactory

YEAR = 2026
BUNTOI, MINTIN, TAHAI_JAYA = "62.11.05.2001", "62.11.05.2002", "62.11.06.2001"
S = Program.Status
B = Beneficiary.State


def household(kode: str, desil, *, active: bool = True):
    return HouseholdFactory(desa=Desa.objects.get(kode=kode), desil=desil, is_active=active)


def receive(program, household, state=B.CONFIRMED):
    extra = {"delivered_on": datetime.date(program.tahun, 6, 1)} if state == B.DELIVERED else {}
    return Beneficiary.objects.create(program=program, household=household, state=state, **extra)


def build(company) -> dict:
    """Buntoi: 7 active (5 poor, 1 unranked) + 1 inactive; Mintin: one family, not poor; Tahai Jaya (Maliku): one
    poor family, reached by a program that spans Mintin and Tahai Jaya."""
    p1 = ProgramFactory(
        company=company, tahun=YEAR, status=S.RUNNING, budget=1_000_000_001, desa_codes=[BUNTOI, MINTIN]
    )
    p2 = ProgramFactory(
        company=company,
        tahun=YEAR,
        status=S.APPROVED,
        budget=300_000_000,
        bidang=Bidang.PENDIDIKAN,
        desa_codes=[BUNTOI],
    )
    p3 = ProgramFactory(
        company=company,
        tahun=YEAR,
        status=S.RUNNING,
        budget=90_000_001,
        bidang=Bidang.KESEHATAN,
        desa_codes=[MINTIN, TAHAI_JAYA],
    )
    cancelled = ProgramFactory(
        company=company, tahun=YEAR, status=S.CANCELLED, budget=5_000, desa_codes=[BUNTOI]
    )
    # Budget year 2025, running into 2026: it counts in 2025 only.
    earlier = ProgramFactory(
        company=company,
        tahun=YEAR - 1,
        status=S.COMPLETED,
        budget=70_000_000,
        desa_codes=[BUNTOI],
        start_date=datetime.date(YEAR - 1, 3, 1),
        end_date=datetime.date(YEAR, 1, 31),
    )
    draft = ProgramFactory(company=company, tahun=YEAR, status=S.DRAFT, budget=9_000, desa_codes=[BUNTOI])
    RealisationReport.objects.create(
        program=p1,
        period="S1",
        amount_spent=100_000_001,
        description="x",
        state=RealisationReport.State.VERIFIED,
    )
    RealisationReport.objects.create(program=p1, period="S2", amount_spent=50_000_000, description="x")

    h1 = household(BUNTOI, 1)  # in two programs of the year: counts once
    receive(p1, h1)
    receive(p2, h1, B.DELIVERED)
    h2 = household(BUNTOI, 3)  # only on a cancelled program: not reached, never assisted
    receive(cancelled, h2)
    h3 = household(BUNTOI, 2, active=False)  # inactive: counts nowhere
    receive(p1, h3)
    h4 = household(BUNTOI, None)  # unranked, reached
    receive(p1, h4)
    household(BUNTOI, 7)  # not poor
    h6 = household(BUNTOI, 4)  # reached in 2025 only
    receive(earlier, h6, B.DELIVERED)
    h7 = household(BUNTOI, 2)  # only proposed
    receive(p1, h7, B.PROPOSED)
    h8 = household(BUNTOI, 1)  # not delivered
    receive(p1, h8, B.NOT_DELIVERED)
    household(MINTIN, 8)
    h10 = household(TAHAI_JAYA, 1)
    receive(p3, h10)
    figures_rebuild()  # as an import does: the rows above were written behind the services' back
    return {
        "p1": p1,
        "p2": p2,
        "p3": p3,
        "cancelled": cancelled,
        "earlier": earlier,
        "draft": draft,
        "h1": h1,
        "h2": h2,
        "h6": h6,
        "h7": h7,
        "h8": h8,
    }
