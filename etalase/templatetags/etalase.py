"""The etalase seen from a program's review screen. A template tag, because the programs app sits below the
etalase and imports nothing from it: its templates ask for this panel by name."""

from django import template

from etalase.models import Adoption, Need

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
