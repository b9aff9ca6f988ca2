"""What the dashboards show beside the figures: programs, bidang, companies, trend, fairness, needs, gaps.

Every function takes an area as a filter on Desa (``Q(kecamatan_id=…)``, ``Q(pk=…)`` or the regency) and
aggregates in the database; programs are few (hundreds a year), so their per-desa shares are summed in Python.
"""

import datetime
from collections import Counter, defaultdict

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dashboards.selectors import summary
from dashboards.selectors.shares import program_shares
from poverty_data.models import Desa
from programs.models import Beneficiary, Bidang, Program, ProgramLocation, RealisationReport

S = Program.Status
R = RealisationReport.State

# The household needs the brief and the pages name: field on Household → label.
NEEDS = {
    "needs_house": _("uninhabitable house"),
    "needs_water": _("no clean water"),
    "needs_toilet": _("no toilet"),
    "has_school_age": _("school-age children"),
    "has_toddler": _("toddlers"),
    "has_elderly": _("elderly members"),
    "has_disabled": _("members with a disability"),
}


def regency_area() -> Q:
    return Q(kecamatan__kabupaten_kode=settings.TSLP_KABUPATEN_KODE)


def program_years() -> list[int]:
    """Every budget year with programs, and the current one, newest first."""
    years = set(Program.objects.exclude(status=S.DRAFT).values_list("tahun", flat=True).distinct())
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


def _overdue_q(today: datetime.date) -> Q:
    standing = RealisationReport.objects.filter(program=OuterRef("pk"), state__in=[R.SUBMITTED, R.VERIFIED])
    return Q(status=S.RUNNING, end_date__lt=today) & ~Q(Exists(standing))


def area_programs(area: Q, *, tahun: int | None) -> list[dict]:
    """Programs (from submission on) of ``tahun`` (every year when None) listing a desa of the area: company,
    bidang, status, budget, verified realisation, their shares in the area (the sum of the shares of the
    area's desa, :mod:`dashboards.selectors.shares`) and whether a report is overdue."""
    today = timezone.localdate()
    in_area = ProgramLocation.objects.filter(program=OuterRef("pk"), desa__in=Desa.objects.filter(area))
    verified = (
        RealisationReport.objects.filter(program=OuterRef("pk"), state=R.VERIFIED)
        .order_by()
        .values("program")
    )
    reports = RealisationReport.objects.filter(program=OuterRef("pk"))
    programs = Program.objects.exclude(status=S.DRAFT).filter(Exists(in_area))
    if tahun is not None:
        programs = programs.filter(tahun=tahun)
    shares = program_shares(programs.filter(status__in=Program.COUNTED_STATUSES), area=area)
    programs = programs.annotate(
        realised=Coalesce(Subquery(verified.annotate(s=Sum("amount_spent")).values("s")), Value(0)),
        reported=Exists(reports),
        overdue=Q(_overdue_q(today)),
    ).select_related("company")
    rows = []
    for p in programs.order_by("-tahun", "company__name", "title"):
        counted = p.status in Program.COUNTED_STATUSES
        in_this_area = shares.get(p.pk, {}).values()
        rows.append(
            {
                "pk": p.pk,
                "title": p.title,
                "tahun": p.tahun,
                "company": p.company.name,
                "company_id": p.company_id,
                "bidang": p.bidang,
                "bidang_label": p.get_bidang_display(),
                "status": p.status,
                "status_label": p.get_status_display(),
                "budget": p.budget,
                "realised": p.realised,
                "reported": p.reported,
                "end_date": p.end_date,
                "overdue": p.overdue,
                "counted": counted,
                "share_budget": sum(planned for planned, _realised in in_this_area),
                "share_realised": sum(realised for _planned, realised in in_this_area),
            }
        )
    return rows


def by_status(programs: list[dict]) -> list[dict]:
    counts = Counter(p["status"] for p in programs)
    return [
        {"status": status, "label": label, "program": counts[status]}
        for status, label in S.choices
        if counts[status] and status != S.DRAFT
    ]


def by_bidang(programs: list[dict], *, area: Q | None = None, tahun: int | None = None) -> list[dict]:
    """Counted programs, planned and realised rupiah per bidang (every bidang, most rupiah first); with an area
    and a year, also the families reached by each bidang."""
    rows = {
        value: {
            "bidang": value,
            "label": label,
            "program": 0,
            "anggaran_rencana": 0,
            "realisasi": 0,
            "companies": set(),
        }
        for value, label in Bidang.choices
    }
    for p in programs:
        if p["counted"]:
            row = rows[p["bidang"]]
            row["program"] += 1
            row["anggaran_rencana"] += p["share_budget"]
            row["realisasi"] += p["share_realised"]
            row["companies"].add(p["company"])
    if area is not None and tahun is not None:
        reached = (
            Beneficiary.objects.filter(
                state__in=Beneficiary.RECEIVING,
                program__tahun=tahun,
                program__status__in=Program.COUNTED_STATUSES,
                household__is_active=True,
                household__desa__in=Desa.objects.filter(area),
            )
            .values("program__bidang")
            .annotate(n=Count("household_id", distinct=True))
        )
        counts = {r["program__bidang"]: r["n"] for r in reached}
        for value, row in rows.items():
            row["terjangkau"] = counts.get(value, 0)
    result = sorted(rows.values(), key=lambda r: (-r["anggaran_rencana"], -r["program"], str(r["label"])))
    for row in result:
        row["company_count"] = len(row.pop("companies"))
    return result


def by_company(programs: list[dict]) -> list[dict]:
    """Per company: programs submitted, approved (from approval on), running, completed, reported, verified,
    planned and spent rupiah, overdue reports; largest plan first."""
    rows: dict[int, dict] = {}
    for p in programs:
        row = rows.setdefault(
            p["company_id"],
            {
                "company": p["company"],
                "diajukan": 0,
                "disetujui": 0,
                "berjalan": 0,
                "selesai": 0,
                "dilaporkan": 0,
                "diverifikasi": 0,
                "anggaran_rencana": 0,
                "realisasi": 0,
                "terlambat": 0,
            },
        )
        row["diajukan"] += 1
        row["disetujui"] += p["counted"]
        row["berjalan"] += p["status"] == S.RUNNING
        row["selesai"] += p["status"] == S.COMPLETED
        row["dilaporkan"] += p["reported"]
        row["diverifikasi"] += p["realised"] > 0
        row["terlambat"] += p["overdue"]
        if p["counted"]:
            row["anggaran_rencana"] += p["budget"]
            row["realisasi"] += p["realised"]
    return sorted(rows.values(), key=lambda r: (-r["anggaran_rencana"], r["company"]))


def trend(area: Q, *, garis: int, programs_all_years: list[dict]) -> list[dict]:
    """Per budget year: counted programs, planned and realised rupiah, families and poor families reached."""
    reach = summary.reach_by_year(area, garis=garis)
    years: dict[int, dict] = defaultdict(
        lambda: {"program": 0, "anggaran_rencana": 0, "realisasi": 0, "terjangkau": 0, "miskin_terjangkau": 0}
    )
    for p in programs_all_years:
        if p["counted"]:
            row = years[p["tahun"]]
            row["program"] += 1
            row["anggaran_rencana"] += p["share_budget"]
            row["realisasi"] += p["share_realised"]
    for tahun, row in reach.items():
        years[tahun].update(row)
    return [{"tahun": tahun, **years[tahun]} for tahun in sorted(years)]


def fairness(*, garis: int) -> list[dict]:
    """Per kecamatan of the regency: poor families assisted 0, 1, 2 or more times (programs not cancelled)."""
    spread = summary.assistance_spread(regency_area(), garis=garis)
    rows: dict[int, dict] = {}
    for desa_id, kecamatan_id, kode, nama in Desa.objects.filter(regency_area()).values_list(
        "pk", "kecamatan_id", "kecamatan__kode", "kecamatan__nama"
    ):
        row = rows.setdefault(kecamatan_id, {"kode": kode, "nama": nama, "nol": 0, "satu": 0, "dua": 0})
        for key, value in spread.get(desa_id, {}).items():
            row[key] += value
    return sorted(rows.values(), key=lambda r: r["kode"])


def needs(area: Q, *, garis: int, tahun: int | None = None) -> dict[int, dict]:
    """Per desa id: poor active families with each need; with ``tahun``, only those not reached that year."""
    return summary.need_counts(area, garis=garis, tahun=tahun)
