"""Setting the scene for the company's side: a running program with confirmed households and a PKS."""

import datetime

from django.urls import reverse

from poverty_data.models import Desa
from poverty_data.signals import registry_changed
from programs.models import Beneficiary, DataSharingAgreement, Program
from programs.services import matching
from tests.poverty_data.factories import HouseholdFactory, ImportBatchFactory
from tests.programs.factories import ProgramFactory

KAHAYAN_HILIR_DESA = "62.11.05.2001"
MALIKU_DESA = "62.11.06.2001"


def imported(batch) -> None:
    """Say that households were written, as the importer does after a batch: the figures count them."""
    registry_changed.send(sender=None, batch_id=batch.pk)


def running_program(*, company, dinsos, households=3, maliku_households=0, **values) -> Program:
    """A program of ``company`` confirmed by Dinsos (RUNNING) with households in Kahayan Hilir (and Maliku)."""
    batch = ImportBatchFactory()
    codes = [KAHAYAN_HILIR_DESA] + ([MALIKU_DESA] if maliku_households else [])
    for code, count in ((KAHAYAN_HILIR_DESA, households), (MALIKU_DESA, maliku_households)):
        desa = Desa.objects.get(kode=code)
        for _ in range(count):
            HouseholdFactory(desa=desa, last_batch=batch, desil=2)
    imported(batch)
    defaults = {
        "status": Program.Status.APPROVED,
        "bidang": "pendidikan",
        "max_desil": 3,
        "needs": [],
        "target_households": households + maliku_households,
        "value_per_household": 1_250_000,
    }
    program = ProgramFactory(company=company, desa_codes=codes, **{**defaults, **values})
    matching.beneficiaries_propose(program=program, actor=dinsos, spread="ranked")
    matching.beneficiaries_confirm(program=program, actor=dinsos)
    program.refresh_from_db()
    return program


def approved_program(*, company, households: int, target: int, **values) -> Program:
    """An approved program of ``company`` in one desa of Kahayan Hilir holding ``households`` poor households."""
    batch = ImportBatchFactory()
    desa = Desa.objects.get(kode=KAHAYAN_HILIR_DESA)
    for _ in range(households):
        HouseholdFactory(desa=desa, last_batch=batch, desil=2)
    imported(batch)
    defaults = {"status": Program.Status.APPROVED, "bidang": "pendidikan", "max_desil": 3, "needs": []}
    return ProgramFactory(
        company=company,
        desa_codes=[KAHAYAN_HILIR_DESA],
        target_households=target,
        value_per_household=1_250_000,
        **{**defaults, **values},
    )


def record_pks(
    *, company, dinsos=None, number="PKS/045/DINSOS/2026", valid_until=None
) -> DataSharingAgreement:
    today = datetime.date.today()
    return DataSharingAgreement.objects.create(
        company=company,
        number=number,
        signed_on=today - datetime.timedelta(days=30),
        valid_until=valid_until,
        recorded_by=dinsos,
    )


def listed(program):
    """The program's beneficiaries the company sees (removed ones left out), in list order."""
    return list(
        Beneficiary.objects.filter(program=program).exclude(state=Beneficiary.State.REMOVED).order_by("pk")
    )


def list_url(program):
    return reverse("programs:beneficiaries", args=[program.pk])
