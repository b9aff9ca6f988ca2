"""The figures (docs/architecture.md, "Figures"), computed in one place for every page, export, brief, map and API response.

For an area (desa, kecamatan, regency), a budget year ``tahun`` and a poverty line ``garis`` (desil ≤ garis):

- ``keluarga``: active households; ``keluarga_miskin``: of them with desil ≤ garis; ``tanpa_desil``: without desil.
- ``terjangkau``: distinct active households (counted in the desa where they live now) with a confirmed or
  delivered beneficiary row on a program of ``tahun`` that is approved, running or completed;
  ``miskin_terjangkau``: of them the poor; ``cakupan`` = miskin_terjangkau / keluarga_miskin (None without poor
  families); ``kesenjangan`` = keluarga_miskin - miskin_terjangkau.
- ``miskin_belum_pernah``: poor families with no confirmed or delivered row on a program of ``tahun`` or an
  earlier year that is not cancelled (a program of a later year does not change the figure).
- ``program``: programs of ``tahun`` (approved, running, completed) listing a desa of the area;
  ``anggaran_rencana`` / ``realisasi``: their budgets / verified realisation spread over the desa each lists
  (:mod:`dashboards.selectors.shares`), in whole rupiah that add up to each program's amount exactly, so desa
  add up to their kecamatan, kecamatan to the regency, and the regency to the whole programs.

Household figures come from the summary tables of :mod:`dashboards.selectors.summary` (kept exact by the
services that change the ledger); program figures are read straight: programs are few.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q

from dashboards.fields import ADDITIVE, FIELDS  # noqa: F401 (FIELDS is read from here by publik)
from dashboards.selectors import summary
from dashboards.selectors.shares import program_shares
from poverty_data.models import Desa, Household, Kecamatan
from programs.models import Beneficiary, Program, ProgramLocation

DEFAULT_GARIS = 4


class FiguresError(ValueError):
    """A parameter outside what the figures are defined for."""


def check_garis(garis: int) -> int:
    if isinstance(garis, bool) or not isinstance(garis, int) or not 1 <= garis <= 10:
        raise FiguresError("garis must be a whole number from 1 to 10")
    return garis


def _empty() -> dict:
    return dict.fromkeys(ADDITIVE, 0)


def _finish(row: dict, programs: set[int]) -> dict:
    row["program"] = len(programs)
    poor = row["keluarga_miskin"]
    row["cakupan"] = row["miskin_terjangkau"] / poor if poor else None
    row["kesenjangan"] = poor - row["miskin_terjangkau"]
    return row


def _household_figures(desa_filter: Q, *, tahun: int, garis: int) -> dict[int, dict]:
    """Household figures per desa id, for the desa selected by ``desa_filter`` (on Desa)."""
    return summary.household_figures(desa_filter, tahun=tahun, garis=garis)


def regency_household_figures(*, tahun: int, garis: int = DEFAULT_GARIS) -> dict[int, dict]:
    """The household counts of every desa of the regency, by desa id (desa without households left out).

    Every household lives in one desa, so these add up to any larger area's counts."""
    check_garis(garis)
    return _household_figures(
        Q(kecamatan__kabupaten_kode=settings.TSLP_KABUPATEN_KODE), tahun=tahun, garis=garis
    )


def straight_household_figures(desa_filter: Q, *, tahun: int, garis: int) -> dict[int, dict]:
    """The household figures counted straight from the ledger (the definition the summary must equal)."""
    desa_ids = Desa.objects.filter(desa_filter).values("pk")
    figures: dict[int, dict] = defaultdict(_empty)
    households = Household.objects.filter(is_active=True, desa_id__in=desa_ids)
    for row in households.values("desa_id").annotate(
        keluarga=Count("pk"),
        keluarga_miskin=Count("pk", filter=Q(desil__lte=garis)),
        tanpa_desil=Count("pk", filter=Q(desil__isnull=True)),
    ):
        figures[row.pop("desa_id")].update(row)
    reached = Beneficiary.objects.filter(
        state__in=Beneficiary.RECEIVING,
        program__tahun=tahun,
        program__status__in=Program.COUNTED_STATUSES,
        household__is_active=True,
        household__desa_id__in=desa_ids,
    )
    for row in reached.values("household__desa_id").annotate(
        terjangkau=Count("household_id", distinct=True),
        miskin_terjangkau=Count("household_id", distinct=True, filter=Q(household__desil__lte=garis)),
    ):
        figures[row.pop("household__desa_id")].update(row)
    ever = Beneficiary.objects.filter(
        household_id=OuterRef("pk"), state__in=Beneficiary.RECEIVING, program__tahun__lte=tahun
    ).exclude(program__status=Program.Status.CANCELLED)
    never = households.filter(desil__lte=garis).filter(~Exists(ever))
    for row in never.values("desa_id").annotate(n=Count("pk")):
        figures[row["desa_id"]]["miskin_belum_pernah"] = row["n"]
    return figures


def _program_shares(desa_filter: Q, *, tahun: int) -> dict[int, dict]:
    """Per desa id: the counted programs listing it and their planned and realised rupiah shares."""
    in_area = Desa.objects.filter(desa_filter)
    programs = Program.objects.filter(tahun=tahun, status__in=Program.COUNTED_STATUSES).filter(
        Exists(ProgramLocation.objects.filter(program=OuterRef("pk"), desa__in=in_area))
    )
    shares: dict[int, dict] = defaultdict(lambda: {"programs": set(), "anggaran_rencana": 0, "realisasi": 0})
    for program_id, per_desa in program_shares(programs, area=desa_filter).items():
        for desa_id, (planned, realised) in per_desa.items():
            share = shares[desa_id]
            share["programs"].add(program_id)
            share["anggaran_rencana"] += planned
            share["realisasi"] += realised
    return shares


def _desa_figures(desa_filter: Q, *, tahun: int, garis: int) -> dict[int, tuple[dict, set[int]]]:
    households = _household_figures(desa_filter, tahun=tahun, garis=garis)
    shares = _program_shares(desa_filter, tahun=tahun)
    result = {}
    for desa_id in set(households) | set(shares):
        row = _empty()
        row.update(households.get(desa_id, {}))
        share = shares.get(desa_id)
        programs: set[int] = set()
        if share:
            row["anggaran_rencana"] = share["anggaran_rencana"]
            row["realisasi"] = share["realisasi"]
            programs = share["programs"]
        result[desa_id] = (row, programs)
    return result


def _rollup(parts: Iterable[tuple[dict, set[int]]]) -> tuple[dict, set[int]]:
    total, programs = _empty(), set()
    for row, part_programs in parts:
        for field in ADDITIVE:
            total[field] += row[field]
        programs |= part_programs
    return total, programs


def desa_figures(*, kecamatan, tahun: int, garis: int = DEFAULT_GARIS) -> list[dict]:
    """One row per desa of ``kecamatan`` (a Kecamatan or its id), in code order."""
    check_garis(garis)
    kecamatan_id = getattr(kecamatan, "pk", kecamatan)
    desa_filter = Q(kecamatan_id=kecamatan_id)
    figures = _desa_figures(desa_filter, tahun=tahun, garis=garis)
    rows = []
    for desa in Desa.objects.filter(desa_filter).order_by("kode").values("pk", "kode", "nama"):
        row, programs = figures.get(desa["pk"], (_empty(), set()))
        rows.append({"kode": desa["kode"], "nama": desa["nama"], **_finish(dict(row), programs)})
    return rows


def kecamatan_figures(
    *, tahun: int, garis: int = DEFAULT_GARIS, kecamatan_ids: Iterable[int] | None = None
) -> list[dict]:
    """One row per kecamatan of the regency (or of ``kecamatan_ids``), in code order."""
    check_garis(garis)
    kecamatan = Kecamatan.objects.filter(kabupaten_kode=settings.TSLP_KABUPATEN_KODE).order_by("kode")
    if kecamatan_ids is not None:
        kecamatan = kecamatan.filter(pk__in=list(kecamatan_ids))
    kecamatan = list(kecamatan.values("pk", "kode", "nama"))
    desa_filter = Q(kecamatan_id__in=[k["pk"] for k in kecamatan])
    figures = _desa_figures(desa_filter, tahun=tahun, garis=garis)
    by_kecamatan: dict[int, list] = defaultdict(list)
    for desa_id, kecamatan_id in Desa.objects.filter(desa_filter).values_list("pk", "kecamatan_id"):
        if desa_id in figures:
            by_kecamatan[kecamatan_id].append(figures[desa_id])
    rows = []
    for k in kecamatan:
        total, programs = _rollup(by_kecamatan[k["pk"]])
        rows.append({"kode": k["kode"], "nama": k["nama"], **_finish(total, programs)})
    return rows


def regency_figures(*, tahun: int, garis: int = DEFAULT_GARIS) -> dict:
    """The regency's figures: the sum of its kecamatan (distinct programs)."""
    check_garis(garis)
    kode = settings.TSLP_KABUPATEN_KODE
    figures = _desa_figures(Q(kecamatan__kabupaten_kode=kode), tahun=tahun, garis=garis)
    total, programs = _rollup(figures.values())
    return {"kode": kode, "nama": kabupaten_nama(kode), **_finish(total, programs)}


@lru_cache(maxsize=8)
def kabupaten_nama(kode: str) -> str:
    """The regency's plain name ("Pulang Pisau") from the national code list."""
    from poverty_data.services.wilayah import NATIONAL_CODES

    prefix = kode + ","
    with NATIONAL_CODES.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith(prefix):
                name = line[len(prefix) :].strip()
                for word in ("Kabupaten ", "Kota "):
                    name = name.removeprefix(word)
                return name
    return kode


def data_as_of() -> datetime.datetime:
    """When the figures' data last changed (the last ledger or registry change the portal recorded)."""
    return summary.last_change()
