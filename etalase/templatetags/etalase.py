"""The etalase seen from the apps below it: a program's review screen and page, a company's profile and its
back-office page. Template tags, because programs and companies sit below the etalase and import nothing from
it: their templates ask for these panels by name."""

from django import template

from etalase.models import Adoption, Need, NeedEvent, RingDesa

register = template.Library()


@register.inclusion_tag("etalase/includes/review_panel.html")
def need_review_panel(program):
    """The need ``program`` answers, or the open needs of its bidang in its desa that it does not link."""
    adoption = (
        Adoption.objects.select_related("need__desa", "need__kecamatan").filter(program=program).first()
    )
    unlinked = []
    if adoption is None:
        desa_ids = program.locations.values("desa_id")
        unlinked = list(
            Need.objects.filter(
                status__in=Need.ADOPTABLE_STATUSES, bidang=program.bidang, desa_id__in=desa_ids
            )
            .select_related("desa", "kecamatan")
            .order_by("priority", "-created_at")[:10]
        )
    return {"adoption": adoption, "unlinked": unlinked}


@register.inclusion_tag("etalase/includes/program_need.html")
def program_need_panel(program):
    """On a program's page: the need it answers, and what was edited in the need since the adoption."""
    adoption = (
        Adoption.objects.select_related("need__desa", "need__kecamatan")
        # A boundary is a large GeoJSON document; the panel names the place only.
        .defer("need__desa__boundary", "need__kecamatan__boundary")
        .filter(program=program)
        .first()
    )
    if adoption is None:
        return {"adoption": None}
    changes = adoption.need.events.filter(action=NeedEvent.Action.EDIT, created_at__gt=adoption.created_at)
    return {"adoption": adoption, "changes": list(changes)}


def _ring(company) -> list[RingDesa]:
    return list(RingDesa.objects.filter(company=company).select_related("desa__kecamatan", "confirmed_by"))


@register.inclusion_tag("etalase/includes/ring_panel.html")
def ring_desa_panel(company):
    """The company's ring-1 desa on its profile, each confirmed or waiting, and the way to change them."""
    return {"ring": _ring(company)}


@register.inclusion_tag("etalase/includes/ring_review.html", takes_context=True)
def ring_desa_review(context, company):
    """The company's ring-1 desa on its back-office page, where Dinsos confirms them."""
    ring = _ring(company)
    return {
        "company": company,
        "ring": ring,
        "waiting": sum(1 for item in ring if item.confirmed_at is None),
        "csrf_token": context.get("csrf_token"),
    }
