"""What the realisation loop reads: programs whose report is overdue."""

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from programs.models import Program, RealisationReport


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
