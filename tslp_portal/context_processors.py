from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tslp_portal.caching import local_cache


def _nav_for(user) -> list[tuple[str, str]]:
    """Navigation links (label, url) that fit the user's role; only pages the role may open."""
    links = [
        (_("Home"), reverse("home")),
        (_("Wilayah"), reverse("poverty_data:kecamatan_list")),
        (_("Public data"), reverse("publik:home")),
    ]
    if not user.is_authenticated:
        return links
    if user.is_dinsos or user.is_camat or user.is_pimpinan:
        links.append((_("Dashboard"), reverse("dashboards:dashboard")))
    links.append((_("Programs"), reverse("programs:list")))
    if user.is_dinsos:
        links.append((_("Back office"), reverse("admin:index")))
    elif user.is_camat:
        links.append((_("Overdue reports"), reverse("programs:overdue")))
    elif user.is_company_member:
        links.append((_("Company profile"), reverse("companies:profile")))
        links.append((_("Members"), reverse("companies:members")))
    return links


# Kecamatan names are reference data (load_wilayah): the navigation keeps them for an hour instead of
# loading the user's kecamatan, boundary and all, on every page.
KECAMATAN_NAME_SECONDS = 3600


def _kecamatan_name(user) -> str:
    kecamatan_id = getattr(user, "kecamatan_id", None)
    if kecamatan_id is None:
        return ""
    key = f"portal:kecamatan-nama:{kecamatan_id}"
    name = local_cache.get(key)
    if name is None:
        # The model through the user's foreign key: tslp_portal imports no app above it (DESIGN 8a).
        kecamatan = user._meta.get_field("kecamatan").related_model
        name = kecamatan.objects.filter(pk=kecamatan_id).values_list("nama", flat=True).first() or ""
        local_cache.set(key, name, KECAMATAN_NAME_SECONDS)
    return name


def portal(request):
    return {
        "nav_links": _nav_for(request.user),
        "nav_kecamatan": _kecamatan_name(request.user),
        "kabupaten_kode": settings.TSLP_KABUPATEN_KODE,
    }
