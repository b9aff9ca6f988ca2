"""What reads programs where the query is more than a filter."""

from django.db.models import Count, Prefetch, QuerySet, Sum

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


def beneficiary_counts(*, program: Program) -> dict:
    from programs.models import Beneficiary

    rows = dict(
        Beneficiary.objects.filter(program=program).order_by().values_list("state").annotate(n=Count("*"))
    )
    return {state: rows.get(state, 0) for state in Beneficiary.State.values} | {
        "listed": sum(n for state, n in rows.items() if state != Beneficiary.State.REMOVED)
    }


def targeting_preview(*, program: Program) -> dict:
    """What the program's criteria find in its desa, before and after the double-assistance rule."""
    from poverty_data.models import Household
    from programs.models import AssistanceClaim
    from programs.services.matching import candidates_for

    in_desa = Household.objects.filter(is_active=True, desa_id__in=program.locations.values("desa_id"))
    eligible = candidates_for(program).count()
    criteria = candidates_for(program, apply_rules=False)
    if program.max_desil:
        criteria = criteria.filter(desil__lte=program.max_desil)
    meeting = criteria.count()
    same_bidang = (
        AssistanceClaim.objects.filter(household__in=criteria, bidang=program.bidang, year=program.tahun)
        .values("household_id")
        .distinct()
        .count()
    )
    return {
        "in_desa": in_desa.count(),
        "meeting_desil": meeting,
        "same_bidang": same_bidang,
        "eligible": eligible,
        "covers_target": eligible >= program.target_households,
    }


def household_ledger(*, household) -> dict:
    """A household's assistance history, with totals that matching reads."""
    from programs.models import Beneficiary

    entries = list(
        Beneficiary.objects.filter(household=household)
        .select_related("program__company")
        .order_by("-program__tahun", "-pk")
    )
    delivered = [e for e in entries if e.state == Beneficiary.State.DELIVERED]
    return {
        "entries": entries,
        "received_count": sum(1 for e in entries if e.state in Beneficiary.RECEIVING),
        "delivered_value": sum(e.delivered_value or 0 for e in delivered),
    }
