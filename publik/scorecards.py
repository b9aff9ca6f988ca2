"""Public scorecards of the obligated companies: each one's status for a year, reported or not.

What is published, per company and year: its name, NIB, sector and kecamatan from the register; whether its
plan and its realisation report came on time, late, are missing or not yet due (and verified); the number of
its programs, their planned budget and their verified realisation in rupiah, counting programs from approval
on of companies Dinsos verified (the rule of the public page, ``selectors.public_programs``); and, on the
company's page, each such program's bidang, kecamatan and desa. No household count and no share of
households is published here: a company's reach can be small and would single out families.
"""

import datetime
from collections import defaultdict

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from companies.models import Company
from cycle.models import CycleYear, ObligatedCompany
from cycle.selectors.cache import register_cached
from cycle.selectors.compliance import STATE_LABELS, compliance_by_company
from programs.models import Program, RealisationReport

SCORECARD_COLUMNS = [
    ("nib", _("NIB")),
    ("perusahaan", _("Company")),
    ("sektor", _("Sector")),
    ("kecamatan", _("Kecamatan")),
    ("tahun", _("Year")),
    ("rencana", _("Plan")),
    ("laporan", _("Realisation report")),
    ("program", _("Programs")),
    ("anggaran", _("Planned (Rp)")),
    ("realisasi", _("Verified realisation (Rp)")),
    ("hari_terlambat", _("Days overdue")),
]
SORTS = {
    "nama": lambda row: (row["perusahaan"].lower(),),
    "status": lambda row: (row["urutan"], row["perusahaan"].lower()),
    "anggaran": lambda row: (-row["anggaran"], row["perusahaan"].lower()),
    "realisasi": lambda row: (-row["realisasi"], row["perusahaan"].lower()),
    "terlambat": lambda row: (-row["hari_terlambat"], row["perusahaan"].lower()),
}
# Worst first when sorted by status: missing, late, not yet due, on time, verified.
STATE_ORDER = {"missing": 0, "late": 1, "due": 2, "on_time": 3, "verified": 4}


def scorecard_years() -> list[int]:
    """Years with a cycle set by Dinsos or with public programs, and this one; newest first."""
    years = set(CycleYear.objects.values_list("tahun", flat=True))
    years |= set(Program.objects.public().order_by().values_list("tahun", flat=True).distinct())
    return sorted(years | {timezone.localdate().year}, reverse=True)


def _public_money(*, tahun: int | None, company_ids=None) -> dict[tuple[int, int], dict]:
    """Per (company id, year): public programs, planned budget and verified realisation (rupiah)."""
    programs = Program.objects.public().filter(company__status=Company.Status.VERIFIED)
    if tahun is not None:
        programs = programs.filter(tahun=tahun)
    if company_ids is not None:
        programs = programs.filter(company_id__in=company_ids)
    budgets = (
        programs.values("company_id", "tahun")
        .annotate(program=Count("pk"), anggaran=Sum("budget"))
        .order_by()
    )
    realised = (
        RealisationReport.objects.filter(program__in=programs, state=RealisationReport.State.VERIFIED)
        .values("program__company_id", "program__tahun")
        .annotate(realisasi=Coalesce(Sum("amount_spent"), 0))
        .order_by()
    )
    money: dict[tuple[int, int], dict] = defaultdict(lambda: {"program": 0, "anggaran": 0, "realisasi": 0})
    for row in budgets:
        money[(row["company_id"], row["tahun"])].update(program=row["program"], anggaran=row["anggaran"] or 0)
    for row in realised:
        money[(row["program__company_id"], row["program__tahun"])]["realisasi"] = row["realisasi"]
    return money


def _row(entry: dict, item, money: dict, tahun: int, labels: dict) -> dict:
    figures = money.get((entry["company_id"], tahun), {"program": 0, "anggaran": 0, "realisasi": 0})
    return {
        "nib": entry["nib"],
        "perusahaan": entry["name"],
        "sektor": entry["sector"],
        "kecamatan": entry["kecamatan__nama"] or "",
        "tahun": tahun,
        "rencana": labels[item.plan],
        "laporan": labels[item.report],
        "rencana_kode": item.plan,
        "laporan_kode": item.report,
        "urutan": min(STATE_ORDER[item.plan], STATE_ORDER[item.report]),
        "owes": item.plan == "missing" or item.report == "missing",
        **figures,
        "hari_terlambat": item.days_overdue,
    }


def _entries(entries) -> list[dict]:
    # Plain values: the kecamatan's boundary (a large JSON document) and model instances cost most of the time.
    return list(entries.values("pk", "nib", "name", "sector", "company_id", "kecamatan__nama"))


def _labels() -> dict[str, str]:
    return {state: str(label) for state, label in STATE_LABELS.items()}


def scorecard_rows(*, tahun: int, sort: str = "nama", today: datetime.date | None = None) -> list[dict]:
    """Every obligated company with its status and public figures for ``tahun``, sorted by ``sort``
    (``nama``, ``status``, ``anggaran``, ``realisasi``, ``terlambat``; ``-`` in front reverses)."""

    def build() -> list[dict]:
        entries = ObligatedCompany.objects.obligated()
        compliance = compliance_by_company(tahun=tahun, today=today, entries=entries, reach=False)
        money = _public_money(tahun=tahun)
        labels = _labels()
        ordered = _entries(entries.order_by())
        return [_row(entry, compliance[entry["pk"]], money, tahun, labels) for entry in ordered]

    def build_sorted() -> list[dict]:
        rows = build()
        rows.sort(key=SORTS.get(sort.lstrip("-"), SORTS["nama"]), reverse=sort.startswith("-"))
        return rows

    return build_sorted() if today is not None else register_cached(build_sorted, "scorecards", tahun, sort)


def scorecard_detail(
    *, entry: ObligatedCompany, years: list[int], today: datetime.date | None = None
) -> list[dict]:
    """One company year by year: its status, figures and public programs (bidang, kecamatan, desa)."""
    one = ObligatedCompany.objects.filter(pk=entry.pk)
    money = _public_money(tahun=None, company_ids=[entry.company_id]) if entry.company_id else {}
    programs = defaultdict(list)
    if entry.company_id:
        public = (
            Program.objects.public()
            .filter(company_id=entry.company_id, company__status=Company.Status.VERIFIED)
            .annotate(
                realised=Coalesce(
                    Sum("reports__amount_spent", filter=Q(reports__state=RealisationReport.State.VERIFIED)), 0
                )
            )
            .prefetch_related("desa__kecamatan")
            .order_by("tahun", "title", "pk")
        )
        for program in public:
            programs[program.tahun].append(program)
    result = []
    [values] = _entries(one)
    labels = _labels()
    for tahun in years:
        item = compliance_by_company(tahun=tahun, today=today, entries=one)[entry.pk]
        row = _row(values, item, money, tahun, labels)
        row["programs"] = [
            {
                "title": program.title,
                "bidang": program.get_bidang_display(),
                "anggaran": program.budget,
                "realisasi": program.realised,
                "status": program.get_status_display(),
                "wilayah": _areas(program),
            }
            for program in programs.get(tahun, [])
        ]
        result.append(row)
    return result


def _areas(program: Program) -> list[tuple[str, list[str]]]:
    by_kecamatan = defaultdict(list)
    for desa in program.desa.all():
        by_kecamatan[desa.kecamatan.nama].append(desa.nama)
    return [(name, sorted(desa)) for name, desa in sorted(by_kecamatan.items())]
