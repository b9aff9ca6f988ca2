"""Reading the summary tables: the household figures per desa in two small aggregate queries."""

import datetime

from django.db.models import Max, Q, Sum
from django.utils import timezone

from dashboards.fields import HOUSEHOLD_COUNTS, NEEDS
from dashboards.models import (
    DesaDesilCount,
    DesaFirstAssistCount,
    DesaReachCount,
    FiguresState,
    ProgramDesaReach,
)
from poverty_data.models import Desa, ImportBatch


def household_figures(desa_filter: Q, *, tahun: int, garis: int) -> dict[int, dict]:
    desa_ids = Desa.objects.filter(desa_filter).values("pk")
    poor = Q(desil__gte=1, desil__lte=garis)
    figures: dict[int, dict] = {}
    rows = (
        DesaDesilCount.objects.filter(desa_id__in=desa_ids)
        .values("desa_id")
        .annotate(
            k=Sum("keluarga"),
            km=Sum("keluarga", filter=poor),
            td=Sum("keluarga", filter=Q(desil=0)),
            bp=Sum("belum_pernah", filter=poor),
        )
    )
    for row in rows:
        figures[row["desa_id"]] = {
            "keluarga": row["k"] or 0,
            "keluarga_miskin": row["km"] or 0,
            "tanpa_desil": row["td"] or 0,
            "terjangkau": 0,
            "miskin_terjangkau": 0,
            "miskin_belum_pernah": row["bp"] or 0,
        }
    reach = (
        DesaReachCount.objects.filter(tahun=tahun, desa_id__in=desa_ids)
        .values("desa_id")
        .annotate(t=Sum("terjangkau"), mt=Sum("terjangkau", filter=poor))
    )
    for row in reach:
        target = figures.setdefault(row["desa_id"], dict.fromkeys(HOUSEHOLD_COUNTS, 0))
        target["terjangkau"] = row["t"] or 0
        target["miskin_terjangkau"] = row["mt"] or 0
    # Never assisted up to ``tahun``: never assisted at all, and first assisted in a later year.
    later = (
        DesaFirstAssistCount.objects.filter(poor, tahun__gt=tahun, desa_id__in=desa_ids)
        .values("desa_id")
        .annotate(n=Sum("keluarga"))
    )
    for row in later:
        figures[row["desa_id"]]["miskin_belum_pernah"] += row["n"] or 0
    return figures


def need_counts(desa_filter: Q, *, garis: int, tahun: int | None = None) -> dict[int, dict]:
    """Per desa id: poor active families (``total``) and those with each need; with ``tahun``, only those not
    reached that year."""
    desa_ids = Desa.objects.filter(desa_filter).values("pk")
    poor = Q(desil__gte=1, desil__lte=garis)
    sums = {need: Sum(need) for need in NEEDS}
    counts = {
        row.pop("desa_id"): row
        for row in DesaDesilCount.objects.filter(poor, desa_id__in=desa_ids)
        .values("desa_id")
        .annotate(total=Sum("keluarga"), **sums)
    }
    if tahun is not None:
        reached = (
            DesaReachCount.objects.filter(poor, tahun=tahun, desa_id__in=desa_ids)
            .values("desa_id")
            .annotate(total=Sum("terjangkau"), **sums)
        )
        for row in reached:
            target = counts[row.pop("desa_id")]
            for name, value in row.items():
                target[name] -= value
    return counts


def assistance_spread(desa_filter: Q, *, garis: int) -> dict[int, dict]:
    """Per desa id: poor families assisted 0, 1 and 2+ times (programs not cancelled, any year)."""
    poor = Q(desil__gte=1, desil__lte=garis)
    rows = (
        DesaDesilCount.objects.filter(poor, desa_id__in=Desa.objects.filter(desa_filter).values("pk"))
        .values("desa_id")
        .annotate(k=Sum("keluarga"), nol=Sum("belum_pernah"), satu=Sum("sekali"))
    )
    return {
        r["desa_id"]: {"nol": r["nol"], "satu": r["satu"], "dua": r["k"] - r["nol"] - r["satu"]} for r in rows
    }


def reach_by_year(desa_filter: Q, *, garis: int) -> dict[int, dict]:
    """Per budget year: families and poor families reached in the desa of ``desa_filter``."""
    poor = Q(desil__gte=1, desil__lte=garis)
    rows = (
        DesaReachCount.objects.filter(desa_id__in=Desa.objects.filter(desa_filter).values("pk"))
        .values("tahun")
        .annotate(t=Sum("terjangkau"), mt=Sum("terjangkau", filter=poor))
        .order_by("tahun")
    )
    return {r["tahun"]: {"terjangkau": r["t"] or 0, "miskin_terjangkau": r["mt"] or 0} for r in rows}


def reached_by_program_kecamatan(program_ids) -> dict[tuple[int, int], int]:
    """Distinct active households confirmed or delivered, per (program, kecamatan where they live now)."""
    rows = (
        ProgramDesaReach.objects.filter(program_id__in=program_ids)
        .values_list("program_id", "desa__kecamatan_id")
        .annotate(n=Sum("terjangkau"))
        .order_by()
    )
    return {(program_id, kecamatan_id): n for program_id, kecamatan_id, n in rows}


def last_change() -> datetime.datetime:
    state = FiguresState.objects.filter(pk=1).values_list("changed_at", flat=True).first()
    if state is not None:
        return state
    latest = ImportBatch.objects.aggregate(m=Max("finished_at"))["m"]
    return latest or timezone.now()
