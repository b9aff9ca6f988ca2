"""A field officer for the demo: assigned to a running program of the demo company, with a day's deliveries
recorded on a phone, so the field app, the owner's assignment page and Dinsos' field records have something to
show."""

import datetime
import uuid

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.services import account_create
from demo.accounts import DEMO_COMPANY, DemoAccount
from lapangan import services
from lapangan.models import FieldAssignment
from programs.models import Beneficiary, Program
from programs.services.delivery import data_use_accept

FIELD_USERNAME = "petugas"


@transaction.atomic
def demo_field_create(*, password: str, recorded: int = 8) -> DemoAccount | None:
    """The demo field officer (idempotent) and up to ``recorded`` deliveries from their phone, yesterday."""
    existing = FieldAssignment.objects.filter(officer__username=FIELD_USERNAME).select_related(
        "officer", "program__company"
    )
    assignment = existing.order_by("pk").first()
    if assignment is not None:
        return _account(assignment.officer, assignment.program)
    running = Program.objects.filter(
        status=Program.Status.RUNNING, beneficiaries__state=Beneficiary.State.CONFIRMED
    ).select_related("company")
    # The demo company's own program first, so that the "perusahaan" login sees its officer assigned.
    program = (
        running.filter(company__nib=DEMO_COMPANY["nib"]).order_by("pk").first()
        or running.order_by("pk").first()
    )
    if program is None:
        return None
    company = program.company
    officer = User.objects.filter(username=FIELD_USERNAME).first()
    if officer is None:
        officer = account_create(
            username=FIELD_USERNAME,
            role=User.Role.PERUSAHAAN,
            password=password,
            company=company,
            company_role=User.CompanyRole.FIELD,
            first_name="Yanto",
        )
    owner = company.members.filter(company_role=User.CompanyRole.OWNER).order_by("pk").first()
    services.officer_assign(program=program, officer=officer, actor=owner)
    data_use_accept(program=program, actor=officer)
    yesterday = timezone.now() - datetime.timedelta(days=1)
    confirmed = Beneficiary.objects.filter(program=program, state=Beneficiary.State.CONFIRMED).order_by("pk")
    # About half, so the phone still has households to visit.
    households = confirmed[: min(recorded, (confirmed.count() + 1) // 2)]
    events = [
        {
            "id": str(uuid.uuid4()),
            "beneficiary": beneficiary.pk,
            "outcome": "not_delivered" if number == 3 else "delivered",
            "reason": "moved" if number == 3 else "",
            "time": (yesterday + datetime.timedelta(minutes=12 * number)).isoformat(),
        }
        for number, beneficiary in enumerate(households)
    ]
    services.events_receive(officer=officer, events=events, phone_now=timezone.now())
    return _account(officer, program)


def _account(officer: User, program: Program) -> DemoAccount:
    role = f"{officer.get_role_display()} ({officer.get_company_role_display()})"
    return DemoAccount(FIELD_USERNAME, role, f"{program.company.name} — {program.title}")
