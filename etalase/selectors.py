"""What reads the etalase: the filtered list with the rupiah already funded, and the poor families beside a
need."""

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from etalase.models import Adoption, Need, RingDesa
from poverty_data.models import Household

# Poor families: desil 1 to 4, the poverty line the dashboards use by default.
POOR_DESIL = 4


def with_funded(needs: QuerySet) -> QuerySet:
    """Annotate ``funded``: rupiah of the adopting programs that still stand."""
    funded = (
        Adoption.objects.counting()
        .filter(need_id=OuterRef("pk"))
        .order_by()
        .values("need_id")
        .annotate(total=Sum("program__budget"))
        .values("total")
    )
    return needs.annotate(funded=Coalesce(Subquery(funded, output_field=IntegerField()), Value(0)))


def need_list(*, needs: QuerySet, filters: dict, company_id: int | None = None) -> QuerySet:
    """``needs`` (already scoped) narrowed by the etalase filters (cleaned ``EtalaseFilterForm`` data)."""
    if filters.get("kecamatan"):
        needs = needs.filter(kecamatan=filters["kecamatan"])
    if filters.get("desa"):
        needs = needs.filter(desa=filters["desa"])
    if filters.get("bidang"):
        needs = needs.filter(bidang=filters["bidang"])
    if filters.get("status"):
        needs = needs.filter(status=filters["status"])
    if filters.get("budget_min") is not None:
        needs = needs.filter(budget__gte=filters["budget_min"])
    if filters.get("budget_max") is not None:
        needs = needs.filter(budget__lte=filters["budget_max"])
    if filters.get("ring") and company_id is not None:
        ring = RingDesa.objects.filter(company_id=company_id, confirmed_at__isnull=False).values("desa_id")
        needs = needs.filter(
            Q(desa_id__in=ring) | Q(desa__isnull=True, kecamatan__desa_set__in=ring)
        ).distinct()
    return with_funded(needs.select_related("kecamatan", "desa")).order_by("priority", "-created_at", "-pk")


def poor_families(need: Need) -> int:
    """Active families at or below the poverty line in the need's desa (or its whole kecamatan)."""
    households = Household.objects.filter(is_active=True, desil__gte=1, desil__lte=POOR_DESIL)
    if need.desa_id:
        return households.filter(desa_id=need.desa_id).count()
    return households.filter(desa__kecamatan_id=need.kecamatan_id).count()


# The counts the dashboards and the brief show, by the status they count.
COUNTED = {
    "proposed": Need.Status.PROPOSED,
    "open": Need.Status.OPEN,
    "adopted": Need.Status.ADOPTED,
    "done": Need.Status.DONE,
}


def need_counts(needs: QuerySet, by: str) -> list[dict]:
    """Needs proposed, open, adopted and done per ``by`` (``"desa"``: ``desa__kode`` and ``desa__nama``, none
    for a need of the whole kecamatan; ``"bidang"``), one query."""
    keys = ("desa__kode", "desa__nama") if by == "desa" else ("bidang",)
    counts = {name: Count("pk", filter=Q(status=status)) for name, status in COUNTED.items()}
    return list(needs.values(*keys).annotate(**counts).order_by(*keys))


def open_needs(needs: QuerySet, *, limit: int) -> list[Need]:
    """The first ``limit`` open needs of ``needs``, highest priority first, then the newest."""
    return list(
        needs.filter(status=Need.Status.OPEN)
        .select_related("desa", "kecamatan")
        .order_by("priority", "-created_at", "-pk")[:limit]
    )
