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


def need_counts(needs: QuerySet, by: str) -> list[dict]:
    """Needs proposed, open, adopted and done per ``by`` (``"desa"`` or ``"bidang"``), one query."""
    key = "desa__nama" if by == "desa" else "bidang"
    S = Need.Status
    return list(
        needs.values(key)
        .annotate(
            proposed=Count("pk", filter=Q(status=S.PROPOSED)),
            open=Count("pk", filter=Q(status=S.OPEN)),
            adopted=Count("pk", filter=Q(status=S.ADOPTED)),
            done=Count("pk", filter=Q(status=S.DONE)),
        )
        .order_by(key)
    )


def kecamatan_needs(kecamatan_id: int) -> dict:
    """For the camat's brief: the open needs (highest priority first) and the counts per desa and bidang."""
    needs = Need.objects.filter(kecamatan_id=kecamatan_id)
    open_needs = list(
        needs.filter(status=Need.Status.OPEN)
        .select_related("desa", "kecamatan")
        .order_by("priority", "-created_at")
    )
    by_bidang = need_counts(needs, "bidang")
    labels = dict(Need._meta.get_field("bidang").choices)
    for row in by_bidang:
        row["label"] = labels.get(row["bidang"], row["bidang"])
    return {"open": open_needs, "by_desa": need_counts(needs, "desa"), "by_bidang": by_bidang}
