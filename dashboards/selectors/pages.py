"""Everything one dashboard page shows, gathered in a fixed number of queries (pinned in the tests)."""

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dashboards import tables as t
from dashboards.selectors import dashboard as d
from dashboards.selectors.figures import data_as_of, desa_figures, kecamatan_figures, regency_figures
from poverty_data.models import Desa, Kecamatan
from programs.models import Bidang
from tslp_portal import numbers

KECAMATAN_SHARE = _(
    "Rupiah of a program that also runs in other kecamatan are this kecamatan's share: the shares of its desa "
    "here."
)


def _gap_first(rows: list[dict]) -> list[dict]:
    return sorted(rows, key=lambda r: (-r["kesenjangan"], -(r["keluarga_miskin"]), r["kode"]))


def _features(areas, rows: dict[str, dict], url_name: str) -> list[dict]:
    features = []
    for area in areas:
        if not area["boundary"]:
            continue
        row = rows.get(area["kode"], {})
        features.append(
            {
                "type": "Feature",
                "geometry": area["boundary"],
                "properties": {
                    "kode": area["kode"],
                    "nama": area["nama"],
                    "url": reverse(url_name, args=[area["kode"]]),
                    **{
                        k: row.get(k)
                        for k in ("keluarga_miskin", "miskin_terjangkau", "cakupan", "kesenjangan")
                    },
                    # The popup shows this text: the same rounding as every other surface.
                    "cakupan_teks": numbers.percent(row.get("cakupan")),
                },
            }
        )
    return features


def _rank(rows: list[dict], kode: str) -> int | None:
    ranked = sorted(rows, key=lambda r: (-(r["cakupan"] if r["cakupan"] is not None else -1), r["kode"]))
    return next((i for i, r in enumerate(ranked, 1) if r["kode"] == kode), None)


def kecamatan_page(kecamatan: Kecamatan, *, tahun: int, garis: int) -> dict:
    area = Q(kecamatan_id=kecamatan.pk)
    all_kecamatan = kecamatan_figures(tahun=tahun, garis=garis)
    row = next(r for r in all_kecamatan if r["kode"] == kecamatan.kode)
    desa_rows = _gap_first(desa_figures(kecamatan=kecamatan, tahun=tahun, garis=garis))
    for desa in desa_rows:
        desa["url"] = reverse("dashboards:desa", args=[desa["kode"]])
    programs = d.area_programs(area, tahun=None)
    this_year = [p for p in programs if p["tahun"] == tahun]
    bidang = d.by_bidang(this_year)
    trend = d.trend(area, garis=garis, programs_all_years=programs)
    boundaries = Desa.objects.filter(area).values("kode", "nama", "boundary")
    return {
        "figures": row,
        "regency": regency_figures(tahun=tahun, garis=garis),
        "rank": _rank(all_kecamatan, kecamatan.kode),
        "kecamatan_count": len(all_kecamatan),
        "desa_rows": desa_rows,
        "programs": this_year,
        "status_counts": d.by_status(this_year),
        "overdue": [p for p in programs if p["overdue"]],
        "bidang": bidang,
        "trend": trend,
        "map": {"features": _features(boundaries, {r["kode"]: r for r in desa_rows}, "dashboards:desa")},
        "charts": _charts(bidang, trend),
        "tables": {
            "desa": t.Table("desa", _("Desa"), t.figure_columns(_("Desa")), desa_rows),
            "program": t.Table("program", _("Programs"), t.PROGRAM_COLUMNS, this_year),
            "bidang": t.Table("bidang", _("Per bidang"), t.BIDANG_COLUMNS, bidang, caption=KECAMATAN_SHARE),
            "tren": t.Table("tren", _("Trend"), t.TREND_COLUMNS, trend, caption=KECAMATAN_SHARE),
        },
        "data_per": data_as_of(),
    }


def regency_page(*, tahun: int, garis: int) -> dict:
    area = d.regency_area()
    kecamatan_rows = _gap_first(kecamatan_figures(tahun=tahun, garis=garis))
    for row in kecamatan_rows:
        row["url"] = reverse("dashboards:kecamatan", args=[row["kode"]])
    programs = d.area_programs(area, tahun=None)
    this_year = [p for p in programs if p["tahun"] == tahun]
    bidang = d.by_bidang(this_year)
    trend = d.trend(area, garis=garis, programs_all_years=programs)
    companies = d.by_company(this_year)
    fairness = d.fairness(garis=garis)
    boundaries = Kecamatan.objects.filter(kabupaten_kode=settings.TSLP_KABUPATEN_KODE).values(
        "kode", "nama", "boundary"
    )
    return {
        "figures": regency_figures(tahun=tahun, garis=garis),
        "kecamatan_rows": kecamatan_rows,
        "status_counts": d.by_status(this_year),
        "overdue": [p for p in programs if p["overdue"]],
        "bidang": bidang,
        "trend": trend,
        "map": {
            "features": _features(boundaries, {r["kode"]: r for r in kecamatan_rows}, "dashboards:kecamatan")
        },
        "charts": _charts(bidang, trend),
        "tables": {
            "kecamatan": t.Table(
                "kecamatan", _("Kecamatan"), t.figure_columns(_("Kecamatan")), kecamatan_rows
            ),
            "perusahaan": t.Table("perusahaan", _("Companies"), t.COMPANY_COLUMNS, companies),
            "bidang": t.Table("bidang", _("Per bidang"), t.BIDANG_COLUMNS, bidang),
            "tren": t.Table("tren", _("Trend"), t.TREND_COLUMNS, trend),
            "pemerataan": t.Table("pemerataan", _("Fairness"), t.FAIRNESS_COLUMNS, fairness),
        },
        "data_per": data_as_of(),
    }


def desa_page(desa: Desa, *, tahun: int, garis: int) -> dict:
    area = Q(pk=desa.pk)
    row = next(
        r
        for r in desa_figures(kecamatan=desa.kecamatan_id, tahun=tahun, garis=garis)
        if r["kode"] == desa.kode
    )
    programs = d.area_programs(area, tahun=tahun)
    served = {p["bidang"] for p in programs if p["counted"]}
    all_needs = d.needs(area, garis=garis).get(desa.pk, {})
    unmet = d.needs(area, garis=garis, tahun=tahun).get(desa.pk, {})
    need_rows = [
        {"label": label, "keluarga": all_needs.get(field, 0), "belum": unmet.get(field, 0)}
        for field, label in d.NEEDS.items()
    ]
    return {
        "figures": row,
        "programs": programs,
        "bidang_served": [label for value, label in Bidang.choices if value in served],
        "bidang_not_served": [label for value, label in Bidang.choices if value not in served],
        "needs": need_rows,
        "tables": {
            "program": t.Table(
                "program",
                _("Programs"),
                t.DESA_PROGRAM_COLUMNS,
                programs,
                caption=_(
                    "Budget and realisation are the whole program's. A program in several desa gives this desa "
                    "a share: its budget evenly, its realisation by the households delivered in each desa "
                    "(evenly while none are reported)."
                ),
            ),
            "kebutuhan": t.Table("kebutuhan", _("Needs of poor families"), t.NEEDS_COLUMNS, need_rows),
        },
        "data_per": data_as_of(),
    }


def _charts(bidang: list[dict], trend: list[dict]) -> dict:
    active = [b for b in bidang if b["program"]]
    return {
        "bidang": {
            "labels": [str(b["label"]) for b in active],
            "program": [b["program"] for b in active],
            "anggaran": [b["anggaran_rencana"] for b in active],
            "realisasi": [b["realisasi"] for b in active],
        },
        "trend": {
            "labels": [str(r["tahun"]) for r in trend],
            "terjangkau": [r["terjangkau"] for r in trend],
            "miskin_terjangkau": [r["miskin_terjangkau"] for r in trend],
        },
        "text": {
            "program": str(_("Programs")),
            "anggaran": str(_("Planned (Rp)")),
            "realisasi": str(_("Realised (Rp)")),
            "terjangkau": str(_("Families reached")),
            "miskin_terjangkau": str(_("Poor families reached")),
        },
    }
