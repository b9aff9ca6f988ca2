"""What reads programs and their annual plans where the query is more than a filter."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, QuerySet, Sum

from accounts.scope import get_visible_or_404
from programs.models import Bentuk, Bidang, Program, ProgramLocation

INACTIVE_STATUSES = {Program.Status.DRAFT, Program.Status.WITHDRAWN, Program.Status.REJECTED}


def program_list(*, user) -> QuerySet[Program]:
    return (
        Program.objects.visible_to(user)
        .select_related("company")
        .prefetch_related(
            Prefetch("locations", queryset=ProgramLocation.objects.select_related("desa__kecamatan"))
        )
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
    for location in ProgramLocation.objects.filter(program__in=others, desa_id__in=desa_ids).select_related(
        "desa"
    ):
        shared.setdefault(location.program_id, []).append(location.desa.nama)
    return [{"program": other, "shared_desa": sorted(shared.get(other.pk, []))} for other in others]


def annual_plan(*, company, tahun: int) -> dict:
    """A company's programs for one budget year with totals by bidang and bentuk."""
    programs = list(
        Program.objects.filter(company=company, tahun=tahun)
        .exclude(status=Program.Status.WITHDRAWN)
        .select_related("company")
        .prefetch_related(
            Prefetch("locations", queryset=ProgramLocation.objects.select_related("desa__kecamatan"))
        )
        .order_by("bidang", "title")
    )
    base = Program.objects.filter(company=company, tahun=tahun).exclude(status=Program.Status.WITHDRAWN)

    def totals(field, choices):
        rows = {r[field]: r for r in base.values(field).annotate(count=Count("pk"), budget=Sum("budget"))}
        return [
            {"label": label, "count": rows[value]["count"], "budget": rows[value]["budget"]}
            for value, label in choices
            if value in rows
        ]

    return {
        "programs": programs,
        "by_bidang": totals("bidang", Bidang.choices),
        "by_bentuk": totals("bentuk", Bentuk.choices),
        "total_budget": sum(p.budget for p in programs),
        "total_households": sum(p.target_households for p in programs),
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
