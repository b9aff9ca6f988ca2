"""What the realisation loop reads: programs whose report is overdue, with whom to contact about them."""

import datetime

from django.db.models import Exists, Max, OuterRef, QuerySet, Subquery
from django.utils import timezone

from accounts.models import User
from programs.models import Program, ProgramEvent, RealisationReport


def programs_overdue(*, user=None, today: datetime.date | None = None) -> QuerySet[Program]:
    """Running programs past their end date without a realisation report that still stands.

    With ``user``, only the programs that user sees (a camat: those touching their kecamatan). Each row carries
    the company's contact person (its owner account) and when a reminder was last sent.
    """
    today = today or timezone.localdate()
    standing = RealisationReport.objects.filter(
        program=OuterRef("pk"),
        state__in=[RealisationReport.State.SUBMITTED, RealisationReport.State.VERIFIED],
    )
    programs = Program.objects.visible_to(user) if user is not None else Program.objects.all()
    owners = User.objects.filter(
        company=OuterRef("company"), company_role=User.CompanyRole.OWNER, is_active=True
    ).order_by("pk")
    reminders = (
        ProgramEvent.objects.filter(program=OuterRef("pk"), action=ProgramEvent.Action.REMIND)
        .order_by()
        .values("program")
        .annotate(last=Max("created_at"))
        .values("last")
    )
    return (
        programs.filter(status=Program.Status.RUNNING, end_date__lt=today)
        .exclude(Exists(standing))
        .select_related("company")
        .annotate(
            contact_first_name=Subquery(owners.values("first_name")[:1]),
            contact_last_name=Subquery(owners.values("last_name")[:1]),
            contact_email=Subquery(owners.values("email")[:1]),
            last_reminder=Subquery(reminders),
        )
        .order_by("end_date", "pk")
    )


def overdue_rows(*, user, today: datetime.date | None = None) -> list[dict]:
    """The overdue list as the page shows it: days overdue and the company's contact."""
    today = today or timezone.localdate()
    return [
        {
            "program": program,
            "days_overdue": (today - program.end_date).days,
            "contact_name": " ".join(
                part for part in (program.contact_first_name, program.contact_last_name) if part
            ),
            "phone": program.company.phone,
            "emails": sorted({e for e in (program.company.email, program.contact_email) if e}),
            "last_reminder": program.last_reminder,
        }
        for program in programs_overdue(user=user, today=today)
    ]
