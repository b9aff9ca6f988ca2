from io import StringIO

from django.core.management import call_command

from accounts.models import User
from companies.models import Company
from demo.story import STORY_PREFIX
from etalase.models import Need
from poverty_data.models import Household
from programs.models import Beneficiary, Bentuk, Bidang, Program


def test_seed_demo_fills_every_part_of_the_portal_and_can_run_twice(db):
    out = StringIO()
    call_command("seed_demo", "--households", "3000", stdout=out)
    call_command("seed_demo", "--households", "3000", stdout=StringIO())
    assert "tslp-demo-2026" in out.getvalue()
    assert set(
        User.objects.filter(username__in=["dinsos", "camat", "pimpinan", "perusahaan"]).values_list(
            "role", flat=True
        )
    ) == set(User.Role.values)
    assert User.objects.get(username="camat").kecamatan.nama == "Kahayan Hilir"
    # The field officer of the demo company records for one running program; a few deliveries came from
    # the phone (through the real sync service), once, however often the demo is seeded.
    officer = User.objects.get(username="petugas")
    assert officer.is_field_officer and officer.company.nib == "9120001234567"
    [assignment] = officer.field_assignments.all()
    assert assignment.program.status == Program.Status.RUNNING
    field = Beneficiary.objects.filter(
        program=assignment.program, reported_in_field=True, reported_by=officer
    )
    assert 1 <= field.count() == officer.field_events.count() <= 8
    assert Beneficiary.objects.filter(program=assignment.program, state=Beneficiary.State.CONFIRMED).exists()
    assert "petugas" in out.getvalue()
    assert Company.objects.count() == 15
    # The demo company's drafts that adopted needs of the etalase come on top of the 60.
    assert (
        Program.objects.exclude(title__startswith=STORY_PREFIX).filter(need_adoption__isnull=True).count()
        == 60
    )
    assert set(Need.objects.values_list("status", flat=True)) == set(Need.Status.values)
    assert Need.objects.filter(adoptions__isnull=False).exists()
    # Three budget years of the dashboards' story: 13 programs in each past year, 19 this year.
    story = Program.objects.filter(title__startswith=STORY_PREFIX)
    assert story.count() == 45
    assert story.values("tahun").distinct().count() == 3
    assert set(Program.objects.values_list("status", flat=True)) == set(Program.Status.values)
    assert set(Program.objects.values_list("bidang", flat=True)) == set(Bidang.values)
    assert set(Program.objects.values_list("bentuk", flat=True)) == set(Bentuk.values)
    assert Program.objects.filter(company__members__username="perusahaan").exists()
    assert Household.objects.count() == 3000
    assert Beneficiary.objects.filter(state=Beneficiary.State.DELIVERED).exists()
    assert not Program.objects.filter(
        status=Program.Status.RUNNING, beneficiaries__isnull=True, target_households__gt=0
    ).exists()
