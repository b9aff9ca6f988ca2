"""Everything one dashboard page shows, gathered in a fixed number of queries (pinned in the tests)."""

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dashboards import tables
from dashboards.selectors import dashboard
from dashboards.selectors import etalase as etalase_selectors
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
    programs = dashboard.area_programs(area, tahun=None)
    this_year = [p for p in programs if p["tahun"] == tahun]
    bidang = dashboard.by_bidang(this_year)
    trend = dashboard.trend(area, garis=garis, programs_all_years=programs)
    boundaries = Desa.objects.filter(area).values("kode", "nama", "boundary")
    needs_desa = etalase_selectors.desa_rows(kecamatan, desa_rows)
    needs_bidang = etalase_selectors.bidang_rows(kecamatan)
    return {
        "figures": row,
        "regency": regency_figures(tahun=tahun, garis=garis),
        "rank": _rank(all_kecamatan, kecamatan.kode),
        "kecamatan_count": len(all_kecamatan),
        "desa_rows": desa_rows,
        "programs": this_year,
        "status_counts": dashboard.by_status(this_year),
        "overdue": [p for p in programs if p["overdue"]],
        "bidang": bidang,
        "trend": trend,
        "map": {"features": _features(boundaries, {r["kode"]: r for r in desa_rows}, "dashboards:desa")},
        "charts": _charts(bidang, trend),
        "tables": {
            "desa": tables.Table("desa", _("Desa"), tables.figure_columns(_("Desa")), desa_rows),
            "program": tables.Table("program", _("Programs"), tables.PROGRAM_COLUMNS, this_year),
            "bidang": tables.Table(
                "bidang", _("Per bidang"), tables.BIDANG_COLUMNS, bidang, caption=KECAMATAN_SHARE
            ),
            "tren": tables.Table("tren", _("Trend"), tables.TREND_COLUMNS, trend, caption=KECAMATAN_SHARE),
            **_etalase_tables(needs_bidang, needs_desa),
        },
        "data_per": data_as_of(),
    }


def regency_page(*, tahun: int, garis: int) -> dict:
    area = dashboard.regency_area()
    kecamatan_rows = _gap_first(kecamatan_figures(tahun=tahun, garis=garis))
    for row in kecamatan_rows:
        row["url"] = reverse("dashboards:kecamatan", args=[row["kode"]])
    programs = dashboard.area_programs(area, tahun=None)
    this_year = [p for p in programs if p["tahun"] == tahun]
    bidang = dashboard.by_bidang(this_year)
    trend = dashboard.trend(area, garis=garis, programs_all_years=programs)
    companies = dashboard.by_company(this_year)
    fairness = dashboard.fairness(garis=garis)
    boundaries = Kecamatan.objects.filter(kabupaten_kode=settings.TSLP_KABUPATEN_KODE).values(
        "kode", "nama", "boundary"
    )
    return {
        "figures": regency_figures(tahun=tahun, garis=garis),
        "kecamatan_rows": kecamatan_rows,
        "status_counts": dashboard.by_status(this_year),
        "overdue": [p for p in programs if p["overdue"]],
        "bidang": bidang,
        "trend": trend,
        "map": {
            "features": _features(boundaries, {r["kode"]: r for r in kecamatan_rows}, "dashboards:kecamatan")
        },
        "charts": _charts(bidang, trend),
        "tables": {
            "kecamatan": tables.Table(
                "kecamatan", _("Kecamatan"), tables.figure_columns(_("Kecamatan")), kecamatan_rows
            ),
            "perusahaan": tables.Table("perusahaan", _("Companies"), tables.COMPANY_COLUMNS, companies),
            "bidang": tables.Table("bidang", _("Per bidang"), tables.BIDANG_COLUMNS, bidang),
            "tren": tables.Table("tren", _("Trend"), tables.TREND_COLUMNS, trend),
            "pemerataan": tables.Table("pemerataan", _("Fairness"), tables.FAIRNESS_COLUMNS, fairness),
            **_etalase_tables(etalase_selectors.bidang_rows()),
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
    programs = dashboard.area_programs(area, tahun=tahun)
    served = {p["bidang"] for p in programs if p["counted"]}
    all_needs = dashboard.needs(area, garis=garis).get(desa.pk, {})
    unmet = dashboard.needs(area, garis=garis, tahun=tahun).get(desa.pk, {})
    need_rows = [
        {"label": label, "keluarga": all_needs.get(field, 0), "belum": unmet.get(field, 0)}
        for field, label in dashboard.NEEDS.items()
    ]
    return {
        "figures": row,
        "programs": programs,
        "bidang_served": [label for value, label in Bidang.choices if value in served],
        "bidang_not_served": [label for value, label in Bidang.choices if value not in served],
        "needs": need_rows,
        "tables": {
            "program": tables.Table(
                "program",
                _("Programs"),
                tables.DESA_PROGRAM_COLUMNS,
                programs,
                caption=_(
                    "Budget and realisation are the whole program's. A program in several desa gives this desa "
                    "a share: its budget evenly, its realisation by the households delivered in each desa "
                    "(evenly while none are reported)."
                ),
            ),
            "kebutuhan": tables.Table(
                "kebutuhan", _("Needs of poor families"), tables.NEEDS_COLUMNS, need_rows
            ),
        },
        "data_per": data_as_of(),
    }


def _etalase_tables(bidang: list[dict], desa: list[dict] | None = None) -> dict[str, tables.Table]:
    result = {}
    if desa is not None:
        result["etalase_desa"] = tables.Table(
            "etalase_desa",
            _("Etalase needs per desa"),
            tables.ETALASE_DESA_COLUMNS,
            desa,
            caption=tables.ETALASE_CAPTION,
        )
    result["etalase_bidang"] = tables.Table(
        "etalase_bidang",
        _("Etalase needs per bidang"),
        tables.ETALASE_BIDANG_COLUMNS,
        bidang,
        caption=tables.ETALASE_CAPTION,
    )
    return result


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
