"""What the company's side and the realisation loop read."""

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone

from accounts.scope import scope_of
from programs.models import Beneficiary, Program, RealisationReport

LISTED_STATES = (
    Beneficiary.State.CONFIRMED,
    Beneficiary.State.DELIVERED,
    Beneficiary.State.NOT_DELIVERED,
)


def beneficiary_list(*, program: Program, user) -> QuerySet[Beneficiary]:
    """The program's confirmed households that ``user`` may see (a camat only those of its kecamatan)."""
    beneficiaries = (
        Beneficiary.objects.filter(program=program, state__in=LISTED_STATES)
        .select_related("household__desa")
        .order_by("household__desa__nama", "household__nama_kepala", "pk")
    )
    scope = scope_of(user)
    if scope.kecamatan_id is not None:
        beneficiaries = beneficiaries.filter(household__desa__kecamatan_id=scope.kecamatan_id)
    return beneficiaries


def delivery_totals(*, program: Program) -> dict:
    counts = dict.fromkeys(LISTED_STATES, 0)
    grouped = (
        Beneficiary.objects.filter(program=program, state__in=LISTED_STATES)
        .order_by()
        .values_list("state")
        .annotate(n=Count("pk"))
    )
    counts.update(dict(grouped))
    return {
        "confirmed": counts[Beneficiary.State.CONFIRMED],
        "delivered": counts[Beneficiary.State.DELIVERED],
        "not_delivered": counts[Beneficiary.State.NOT_DELIVERED],
        "total": sum(counts.values()),
    }


def programs_overdue(*, today=None) -> QuerySet[Program]:
    """Running programs past their end date without a realisation report that still stands."""
    today = today or timezone.localdate()
    standing = RealisationReport.objects.filter(
        program=OuterRef("pk"),
        state__in=[RealisationReport.State.SUBMITTED, RealisationReport.State.VERIFIED],
    )
    return (
        Program.objects.filter(status=Program.Status.RUNNING, end_date__lt=today)
        .exclude(Exists(standing))
        .select_related("company")
        .order_by("end_date", "pk")
    )
