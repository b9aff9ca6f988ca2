from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


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


def portal(request):
    return {
        "nav_links": _nav_for(request.user),
        "kabupaten_kode": settings.TSLP_KABUPATEN_KODE,
    }
