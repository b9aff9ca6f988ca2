from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tslp_portal.caching import local_cached


def _nav_for(user) -> list[tuple[str, str]]:
    """Navigation links (label, url) that fit the user's role; only pages the role may open."""
    links = [
        (_("Home"), reverse("home")),
        (_("Wilayah"), reverse("poverty_data:kecamatan_list")),
        (_("Public data"), reverse("publik:home")),
    ]
    if not user.is_authenticated:
        return links
    if user.is_field_officer:  # the field app only (accounts.field_officer)
        return [(_("Field app"), reverse("lapangan:app")), (_("Public data"), reverse("publik:home"))]
    if user.may_see_dashboards:
        links.append((_("Dashboard"), reverse("dashboards:dashboard")))
    links.append((_("Programs"), reverse("programs:list")))
    links.append((_("Etalase"), reverse("etalase:list")))
    if user.is_dinsos or user.is_pimpinan:
        links.append((_("Companies that owe a report"), reverse("cycle:coverage")))
    if user.is_dinsos:
        links.append((_("Back office"), reverse("admin:index")))
    elif user.is_camat:
        links.append((_("Overdue reports"), reverse("programs:overdue")))
    elif user.is_company_member:
        links.append((_("Company profile"), reverse("companies:profile")))
        links.append((_("Members"), reverse("companies:members")))
        if user.is_company_owner:
            links.append((_("Field officers"), reverse("lapangan:officers")))
    return links


# Kecamatan names are reference data (load_wilayah): the navigation keeps them for an hour instead of
# loading the user's kecamatan, boundary and all, on every page.
KECAMATAN_NAME_SECONDS = 3600


def _kecamatan_name(user) -> str:
    kecamatan_id = getattr(user, "kecamatan_id", None)
    if kecamatan_id is None:
        return ""
    # The model through the user's foreign key: tslp_portal imports no app above it.
    kecamatan = user._meta.get_field("kecamatan").related_model
    return local_cached(
        f"portal:kecamatan-nama:{kecamatan_id}",
        lambda: kecamatan.objects.filter(pk=kecamatan_id).values_list("nama", flat=True).first() or "",
        KECAMATAN_NAME_SECONDS,
    )


def portal(request):
    return {
        "nav_links": _nav_for(request.user),
        "nav_kecamatan": _kecamatan_name(request.user),
        "kabupaten_kode": settings.TSLP_KABUPATEN_KODE,
    }
