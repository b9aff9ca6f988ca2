"""What the delivery pages read: a running program's beneficiary list and its delivery totals."""

from django.db.models import Count, QuerySet

from programs.models import Beneficiary, Program

LISTED_STATES = (
    Beneficiary.State.CONFIRMED,
    Beneficiary.State.DELIVERED,
    Beneficiary.State.NOT_DELIVERED,
)


def beneficiary_list(*, program: Program, user) -> QuerySet[Beneficiary]:
    """The program's confirmed households that ``user`` may see (a camat only those of its kecamatan)."""
    return (
        Beneficiary.objects.visible_to(user)
        .filter(program=program, state__in=LISTED_STATES)
        .select_related("household__desa", "reported_by")
        .order_by("household__desa__nama", "household__nama_kepala", "pk")
    )


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
