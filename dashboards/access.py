"""Who may see which dashboards: Dinsos and pimpinan the whole regency, a camat its own kecamatan.

Built on :func:`accounts.scope.scope_of`, the one place that decides visibility. Companies and accounts without a
role scope see no dashboard (403); a kecamatan outside one's scope is 404, as everywhere.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.scope import scope_of
from poverty_data.models import Desa, Kecamatan


def may_see_dashboards(user) -> bool:
    scope = scope_of(user)
    return scope.company_id is None and (scope.whole_regency or scope.kecamatan_id is not None)


def check_dashboards(user) -> None:
    if not may_see_dashboards(user):
        raise PermissionDenied(_("Dashboards are for Dinsos, camat and pimpinan."))


def kecamatan_ids_for(user) -> list[int] | None:
    """The kecamatan a user's dashboards cover; None for the whole regency."""
    check_dashboards(user)
    scope = scope_of(user)
    return None if scope.whole_regency else [scope.kecamatan_id]


def visible_kecamatan(user):
    kecamatan = Kecamatan.objects.filter(kabupaten_kode=settings.TSLP_KABUPATEN_KODE)
    ids = kecamatan_ids_for(user)
    return kecamatan if ids is None else kecamatan.filter(pk__in=ids)


def kecamatan_or_404(user, kode: str) -> Kecamatan:
    # The boundary is a large JSON document; the pages read the map's boundaries on their own.
    kecamatan = visible_kecamatan(user).filter(kode=kode).defer("boundary").first()
    if kecamatan is None:
        raise Http404(_("Not found."))
    return kecamatan


def desa_or_404(user, kode: str) -> Desa:
    desa = (
        Desa.objects.select_related("kecamatan")
        .defer("boundary", "kecamatan__boundary")
        .filter(kode=kode, kecamatan__in=visible_kecamatan(user))
        .first()
    )
    if desa is None:
        raise Http404(_("Not found."))
    return desa
