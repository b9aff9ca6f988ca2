"""What the realisation loop reads: programs whose report is overdue, with whom to contact about them."""

import datetime

from django.db.models import Exists, Max, OuterRef, QuerySet, Subquery
from django.utils import timezone

from accounts.models import User
from accounts.scope import PersonalData, scope_of
from programs.models import Beneficiary, Program, ProgramEvent, RealisationReport
from programs.selectors.delivery import LISTED_STATES


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


def realisation_documents_visible(*, program: Program, user) -> bool:
    """Whether ``user`` may open the realisation documents of ``program`` (one it already sees).

    The documents (photos of handovers, receipt lists signed by the families) show the program's
    beneficiaries, of every kecamatan it serves, and cannot be cut per kecamatan. They follow the rule of the
    beneficiary list, whole: Dinsos sees every list, so every document; the program's own company, while it
    may see personal data (verified), the documents it wrote; pimpinan sees no names, so no document. A camat
    sees the list only of the households in its own kecamatan: so it sees the documents only of a program
    whose every desa and every listed household are in that kecamatan, where they show no one it could not
    see on the list; a program that also serves another kecamatan keeps its documents from the camat.
    """
    scope = scope_of(user)
    if scope.personal_data is PersonalData.NONE:
        return False
    if scope.kecamatan_id is None:
        return True  # Dinsos, or the program's company: visible_to(user) let nobody else reach the program
    kecamatan_id = scope.kecamatan_id
    desa_elsewhere = program.locations.exclude(desa__kecamatan_id=kecamatan_id).exists()
    households_elsewhere = (
        Beneficiary.objects.filter(program=program, state__in=LISTED_STATES)
        .exclude(household__desa__kecamatan_id=kecamatan_id)
        .exists()
    )
    return not (desa_elsewhere or households_elsewhere)
