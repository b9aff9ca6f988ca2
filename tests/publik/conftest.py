import pytest

from programs.models import Program
from programs.services import realisation_submit, realisation_verify
from tests.companies.factories import CompanyFactory
from tests.programs.delivery_helpers import running_program
from tests.programs.factories import ProgramFactory


@pytest.fixture
def scene(company, owner, dinsos):
    """Public data: a program reaching 8 households (with verified realisation), one reaching 3 in Kahayan
    Hilir and 2 in Maliku; a draft and a program of an unverified company, which must appear nowhere."""
    big = running_program(
        company=company, dinsos=dinsos, households=8, title="Beasiswa keluarga miskin", budget=80_000_000
    )
    small = running_program(
        company=company,
        dinsos=dinsos,
        households=3,
        maliku_households=2,
        bidang="kesehatan",
        title="Posyandu",
    )
    report = realisation_submit(
        program=big,
        actor=owner,
        period="Semester 1",
        amount_spent=30_000_000,
        description="Beasiswa",
        is_final=False,
    )
    realisation_verify(report=report, actor=dinsos)
    ProgramFactory(company=company, status=Program.Status.DRAFT, title="Draf rahasia")
    ProgramFactory(
        company=CompanyFactory(status="pending"), status=Program.Status.APPROVED, title="Belum diverifikasi"
    )
    return {"big": big, "small": small, "dinsos": dinsos}
