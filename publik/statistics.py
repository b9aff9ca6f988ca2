"""Public statistics: the dashboards' figures after the one suppression choke point.

Every public output (page, Excel, CSV, JSON, map data, open-data files) reads its figures through
:func:`kecamatan_table` or :func:`desa_table`, never from :mod:`dashboards.selectors.figures` directly.
A desa table's total is its kecamatan's row as the kecamatan table publishes it, so that what one table
hides the other cannot show.
"""

import datetime

from django.conf import settings
from django.utils import timezone

from dashboards.selectors import figures
from dashboards.selectors.version import cache_key
from poverty_data.models import Kecamatan
from publik.suppression import FIGURES, is_hidden, suppress_table
from tslp_portal.caching import local_cached

COUNT_FIELDS = FIGURES.counts
ALL_FIELDS = figures.FIELDS


def current_year() -> int:
    return timezone.localdate().year


def _cached(key_parts: tuple, compute):
    """``compute()``, kept in the cache under the dashboards' figures version (TSLP_DASHBOARD_CACHE_SECONDS)."""
    seconds = settings.TSLP_DASHBOARD_CACHE_SECONDS
    return local_cached(cache_key("publik", *key_parts) if seconds else None, compute, seconds)


def kecamatan_table(*, tahun: int, garis: int = figures.DEFAULT_GARIS) -> dict:
    return _cached(("kecamatan", tahun, garis), lambda: _kecamatan_table(tahun=tahun, garis=garis))


def desa_table(*, kecamatan: Kecamatan, tahun: int, garis: int = figures.DEFAULT_GARIS) -> dict:
    return _cached(
        ("desa", kecamatan.pk, tahun, garis),
        lambda: _desa_table(kecamatan=kecamatan, tahun=tahun, garis=garis),
    )


def _kecamatan_table(*, tahun: int, garis: int) -> dict:
    rows = figures.kecamatan_figures(tahun=tahun, garis=garis)
    total = figures.regency_figures(tahun=tahun, garis=garis)
    results, published_total = suppress_table(rows, total)
    return {"data_per": figures.data_as_of(), "results": results, "total": published_total}


def _desa_table(*, kecamatan: Kecamatan, tahun: int, garis: int) -> dict:
    parent = kecamatan_table(tahun=tahun, garis=garis)
    published_parent = next(row for row in parent["results"] if row["kode"] == kecamatan.kode)
    rows = figures.desa_figures(kecamatan=kecamatan, tahun=tahun, garis=garis)
    # Household counts add up from desa to kecamatan: the kecamatan's true counts are the sums.
    raw_parent = {**published_parent, **{name: sum(row[name] for row in rows) for name in COUNT_FIELDS}}
    results, total = suppress_table(rows, raw_parent, fixed_total=published_parent)
    return {"data_per": parent["data_per"], "results": results, "total": total}


def hidden_reach(years) -> set[tuple[str, int]]:
    """``(kecamatan kode, tahun)`` whose ``terjangkau`` the public kecamatan table hides."""
    hidden = set()
    for tahun in set(years):
        rows = figures.kecamatan_figures(tahun=tahun)
        # What is hidden depends on the counts alone, and the regency's counts are the kecamatan's sums: the
        # same decision as kecamatan_table() without reading the regency's figures again.
        total = {name: sum(row[name] for row in rows) for name in COUNT_FIELDS}
        results, _total = suppress_table(rows, total)
        hidden.update((row["kode"], tahun) for row in results if is_hidden(row["terjangkau"]))
    return hidden


def data_as_of() -> datetime.datetime:
    return figures.data_as_of()
