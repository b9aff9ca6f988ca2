"""Where the public 3W cells account for every family reached: a straight count against the ledger's."""

import pytest
from django.core.management import call_command

from companies.models import Company
from programs.models import Beneficiary, Program
from publik.statistics import _ledger
from tests.publik.test_attack import straight_complete


@pytest.mark.django_db
def test_a_counted_program_of_an_unverified_company_makes_its_kecamatan_incomplete(demo_snapshot):
    call_command("loaddata", str(demo_snapshot), verbosity=0)
    ledger = _ledger()
    assert ledger.complete_reach and ledger.complete_reach == straight_complete(
        (c.kecamatan, c.tahun) for c in ledger.reach
    )
    # Its company's verification withdrawn, a program that reached families leaves the public cells: those
    # families are still counted in the kecamatan's figures, so its cells no longer account for all of them.
    program = Program.objects.filter(
        status__in=Program.COUNTED_STATUSES, beneficiaries__state__in=Beneficiary.RECEIVING
    ).first()
    Company.objects.filter(pk=program.company_id).update(status=Company.Status.PENDING)
    after = _ledger()
    assert after.complete_reach == straight_complete((c.kecamatan, c.tahun) for c in after.reach)
    assert after.complete_reach < ledger.complete_reach
