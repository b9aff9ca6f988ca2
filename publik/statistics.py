"""Public statistics: the dashboards' figures after the one disclosure-control choke point.

Every public output (page, Excel, CSV, JSON, map data, open-data files) reads its household counts through
:func:`kecamatan_table`, :func:`desa_table` or :func:`reach_status`, never from
:mod:`dashboards.selectors.figures` directly. One decision (:func:`publication`) covers every year, table and
file at once, so that what one output hides no other can show.
"""

import datetime
from collections import defaultdict

from django.conf import settings
from django.utils import timezone

from dashboards.selectors import figures, summary
from dashboards.selectors.version import cache_key
from poverty_data.models import Desa, Kecamatan
from programs.models import Program, ProgramLocation
from publik import suppression as sc
from tslp_portal.caching import local_cached


def current_year() -> int:
    return timezone.localdate().year


def _cached(key_parts: tuple, compute):
    """``compute()``, kept in the cache under the dashboards' figures version (TSLP_DASHBOARD_CACHE_SECONDS)."""
    seconds = settings.TSLP_DASHBOARD_CACHE_SECONDS
    return local_cached(cache_key("publik", *key_parts) if seconds else None, compute, seconds)


def publication() -> sc.Publication:
    return _cached(("publication",), _publication)


def _counted_years() -> list[int]:
    rows = (
        Program.objects.filter(status__in=Program.COUNTED_STATUSES).order_by().values_list("tahun", flat=True)
    )
    return sc.consecutive_years(rows.distinct(), current_year())


def _publication() -> sc.Publication:
    from publik.services import disclosure_decision

    ledger = _ledger()
    values = {}
    for area in ledger.areas:
        for name in sc.STABLE:
            values[(area.level, area.kode, name, None)] = ledger.stable[area.kode][name]
        for tahun in ledger.years:
            for name in sc.YEARLY:
                values[(area.level, area.kode, name, tahun)] = ledger.yearly[(area.kode, tahun)][name]
    for r in ledger.reach:
        values[(sc.REACH, (r.program_id, r.kecamatan), "reached", r.tahun)] = r.value
    return sc.Publication(years=ledger.years, status=disclosure_decision(ledger), values=values)


def _ledger() -> sc.Ledger:
    """Every public household count of every year, as the disclosure control sees them."""
    years = _counted_years()
    kabupaten = settings.TSLP_KABUPATEN_KODE
    desa = list(
        Desa.objects.filter(kecamatan__kabupaten_kode=kabupaten)
        .order_by("kode")
        .values_list("pk", "kode", "kecamatan__kode")
    )
    kecamatan = sorted({k for _pk, _kode, k in desa})
    areas = [sc.Area(sc.KABUPATEN, kabupaten)]
    areas += [sc.Area(sc.KECAMATAN, k, kabupaten) for k in kecamatan]
    areas += [sc.Area(sc.DESA, kode, k) for _pk, kode, k in desa]
    stable = {area.kode: dict.fromkeys(sc.STABLE, 0) for area in areas}
    yearly = {}
    for tahun in years or [current_year()]:
        counts = figures.regency_household_figures(tahun=tahun)
        rows = {area.kode: dict.fromkeys(sc.YEARLY, 0) for area in areas}
        for pk, kode, k in desa:
            row = counts.get(pk, {})
            for target in (kode, k, kabupaten):
                for name in sc.YEARLY:
                    rows[target][name] += row.get(name, 0)
                if tahun == (years or [current_year()])[0]:
                    for name in sc.STABLE:
                        stable[target][name] += row.get(name, 0)
        yearly.update({(kode, tahun): row for kode, row in rows.items()})
    reach, complete = _reach(years)
    return sc.Ledger(
        years=years, areas=areas, stable=stable, yearly=yearly, reach=reach, complete_reach=complete
    )


def _reach(years) -> tuple[list, frozenset]:
    """The 3W cells (public programs per kecamatan they list) and where they account for every reached family."""
    from publik import selectors

    programs = {p.pk: p for p in selectors.public_programs()}
    listed = defaultdict(set)
    for program_id, kode in ProgramLocation.objects.filter(program_id__in=list(programs)).values_list(
        "program_id", "desa__kecamatan__kode"
    ):
        listed[program_id].add(kode)
    kode_of = dict(Kecamatan.objects.values_list("pk", "kode"))
    tahun_of = dict(Program.objects.public().values_list("pk", "tahun"))
    # Every counted program's reach per kecamatan, in one pass over the ledger (the public programs are among
    # them): where a counted program that is not public, or not listed there, reached families, the public
    # cells of that kecamatan and year do not account for all of them.
    counts = summary.reached_by_program_kecamatan(list(tahun_of))
    accounted = defaultdict(lambda: True)
    for program_id, kecamatan_id in counts:
        kode = kode_of[kecamatan_id]
        if program_id not in programs or kode not in listed[program_id]:
            accounted[(kode, tahun_of[program_id])] = False
    cells = [
        sc.Reach(program_id, kode, programs[program_id].tahun, counts.get((program_id, kecamatan_id), 0))
        for program_id in sorted(programs)
        for kecamatan_id, kode in sorted(kode_of.items(), key=lambda pair: pair[1])
        if kode in listed[program_id]
    ]
    complete = frozenset(
        (cell.kecamatan, cell.tahun) for cell in cells if accounted[(cell.kecamatan, cell.tahun)]
    )
    return cells, complete


def kecamatan_table(*, tahun: int) -> dict:
    return _cached(("kecamatan", tahun), lambda: _kecamatan_table(tahun=tahun, pub=publication()))


def desa_table(*, kecamatan: Kecamatan, tahun: int) -> dict:
    return _cached(("desa", kecamatan.pk, tahun), lambda: _desa_table(kecamatan=kecamatan, tahun=tahun))


def _kecamatan_table(*, tahun: int, pub: sc.Publication) -> dict:
    rows = figures.kecamatan_figures(tahun=tahun)
    total = figures.regency_figures(tahun=tahun)
    return {
        "data_per": figures.data_as_of(),
        "results": [pub.row(sc.KECAMATAN, row, tahun) for row in rows],
        "total": pub.row(sc.KABUPATEN, total, tahun),
    }


def _desa_table(*, kecamatan: Kecamatan, tahun: int) -> dict:
    pub = publication()
    parent = _kecamatan_table(tahun=tahun, pub=pub)
    rows = figures.desa_figures(kecamatan=kecamatan, tahun=tahun)
    return {
        "data_per": parent["data_per"],
        "results": [pub.row(sc.DESA, row, tahun) for row in rows],
        "total": next(row for row in parent["results"] if row["kode"] == kecamatan.kode),
    }


def reach_shown(pub: sc.Publication, program_id: int, kecamatan_kode: str, tahun: int, value: int):
    """A 3W row's households reached, as published."""
    key = (sc.REACH, (program_id, kecamatan_kode), "reached", tahun)
    status = pub.status.get(key, sc.HIDDEN) if pub.values.get(key) == value else sc.HIDDEN
    return sc.present(value, status)


def data_as_of() -> datetime.datetime:
    return figures.data_as_of()
