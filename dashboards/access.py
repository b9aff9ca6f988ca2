"""Who may see which dashboards: Dinsos and pimpinan the whole regency, a camat its own kecamatan.

Built on :func:`accounts.scope.scope_of`, the one place that decides visibility. Companies and accounts without a
role scope see no dashboard (403); a kecamatan outside one's scope is 404, as everywhere.
"""

import re

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.scope import scope_of
from poverty_data.models import Desa, Kecamatan
from tslp_portal.caching import local_cached

# Which kecamatan a wilayah code belongs to is reference data (load_wilayah; a desa's code starts with its
# kecamatan's): kept for an hour, so that checking access to a cached page costs no query.
AREA_SECONDS = 3600
KECAMATAN_CODE = re.compile(r"[0-9]{2}\.[0-9]{2}\.[0-9]{2}")
DESA_CODE = re.compile(r"[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}")


def may_see_dashboards(user) -> bool:
    return scope_of(user).sees_dashboards


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


def _kecamatan_id_of(kode: str, *, desa: bool) -> int | None:
    """The kecamatan of a kecamatan (or with ``desa`` a desa) code of this regency; None when there is no such
    area."""
    if not (DESA_CODE if desa else KECAMATAN_CODE).fullmatch(kode):
        return None

    def lookup() -> int | None:
        regency = settings.TSLP_KABUPATEN_KODE
        if desa:
            found = Desa.objects.filter(kode=kode, kecamatan__kabupaten_kode=regency).values_list(
                "kecamatan_id", flat=True
            )
        else:
            found = Kecamatan.objects.filter(kode=kode, kabupaten_kode=regency).values_list("pk", flat=True)
        return found.first()

    # Built only when the code is not in the cache: building the query cost more than reading the cache.
    # Unknown codes (None) are not remembered: anyone can ask for any number of them.
    return local_cached(f"dasbor:area-kecamatan:{kode}", lookup, AREA_SECONDS)


def area_kode_or_404(user, kode: str, *, desa: bool = False) -> str:
    """``kode`` when it names a kecamatan (or with ``desa`` a desa) the user may see, else 404, without
    loading it: what a cached dashboard checks before it serves its content."""
    kecamatan_id = _kecamatan_id_of(kode, desa=desa)
    ids = kecamatan_ids_for(user)
    if kecamatan_id is None or (ids is not None and kecamatan_id not in ids):
        raise Http404(_("Not found."))
    return kode
