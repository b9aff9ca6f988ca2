"""What reads programs and their annual plans where the query is more than a filter."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, QuerySet, Sum

from accounts.scope import get_visible_or_404
from programs.models import Bentuk, Bidang, Program, ProgramLocation

INACTIVE_STATUSES = {Program.Status.DRAFT, Program.Status.WITHDRAWN, Program.Status.REJECTED}
# What a company still plans to do (or did) in a year; drafts, withdrawn, rejected and cancelled are not.
PLANNED_STATUSES = frozenset(
    {
        Program.Status.SUBMITTED,
        Program.Status.REVISION_REQUESTED,
        Program.Status.APPROVED,
        Program.Status.RUNNING,
        Program.Status.COMPLETED,
    }
)


def program_list(*, user) -> QuerySet[Program]:
    return (
        Program.objects.visible_to(user)
        .select_related("company")
        .prefetch_related(Prefetch("locations", queryset=ProgramLocation.objects.named()))
        .order_by("-tahun", "title", "pk")
    )


def program_overlaps(*, program: Program) -> list[dict]:
    """Other live programs of the same bidang and year touching any of this program's desa."""
    desa_ids = list(program.locations.values_list("desa_id", flat=True))
    others = (
        Program.objects.filter(tahun=program.tahun, bidang=program.bidang, locations__desa_id__in=desa_ids)
        .exclude(pk=program.pk)
        .exclude(status__in=INACTIVE_STATUSES)
        .select_related("company")
        .distinct()
        .order_by("company__name", "title")
    )
    shared = {}
    shown = ProgramLocation.objects.filter(program__in=others, desa_id__in=desa_ids).select_related("desa")
    for location in shown.defer("desa__boundary"):
        shared.setdefault(location.program_id, []).append(location.desa.nama)
    return [{"program": other, "shared_desa": sorted(shared.get(other.pk, []))} for other in others]


def annual_plan(*, company, tahun: int) -> dict:
    """A company's programs for one budget year: what it still plans to do, with totals by bidang and bentuk.

    Drafts, withdrawn, rejected and cancelled programs are listed apart (``set_apart``) and count in no total.
    """
    programs = list(
        Program.objects.filter(company=company, tahun=tahun)
        .select_related("company")
        .prefetch_related(Prefetch("locations", queryset=ProgramLocation.objects.named()))
        .order_by("bidang", "title", "pk")
    )
    planned = [p for p in programs if p.status in PLANNED_STATUSES]
    base = Program.objects.filter(company=company, tahun=tahun, status__in=PLANNED_STATUSES)

    def totals(field, choices):
        rows = {r[field]: r for r in base.values(field).annotate(count=Count("pk"), budget=Sum("budget"))}
        return [
            {"label": label, "count": rows[value]["count"], "budget": rows[value]["budget"]}
            for value, label in choices
            if value in rows
        ]

    return {
        "programs": planned,
        "set_apart": [p for p in programs if p.status not in PLANNED_STATUSES],
        "by_bidang": totals("bidang", Bidang.choices),
        "by_bentuk": totals("bentuk", Bentuk.choices),
        "total_budget": sum(p.budget for p in planned),
        "total_households": sum(p.target_households for p in planned),
    }


def program_years(*, user) -> list[int]:
    return list(
        Program.objects.visible_to(user).order_by("-tahun").values_list("tahun", flat=True).distinct()
    )


def program_for_member(user, pk: int, queryset: QuerySet[Program] | None = None) -> Program:
    """The program ``pk`` for a member of its company: 404 when the user cannot see it, 403 when not theirs."""
    queryset = Program.objects.select_related("company") if queryset is None else queryset
    program = get_visible_or_404(queryset, user, pk=pk)
    if not program.has_member(user):
        raise PermissionDenied
    return program
