"""The coverage of the register for a budget year: who has a plan and a report, per sector and kecamatan."""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from cycle.models import ObligatedCompany
from cycle.selectors.compliance import MISSING, Compliance, compliance_by_company


@dataclass
class Group:
    name: str
    obligated: int = 0
    with_plan: int = 0
    with_report: int = 0
    missing: int = 0

    @property
    def plan_share(self) -> float | None:
        return self.with_plan / self.obligated if self.obligated else None

    @property
    def report_share(self) -> float | None:
        return self.with_report / self.obligated if self.obligated else None


@dataclass
class Coverage:
    tahun: int
    total: Group
    by_sector: list[Group] = field(default_factory=list)
    by_kecamatan: list[Group] = field(default_factory=list)
    rows: list[tuple[ObligatedCompany, Compliance]] = field(default_factory=list)

    @property
    def missing(self) -> list[tuple[ObligatedCompany, Compliance]]:
        """Those whose plan or report is missing, longest overdue first."""
        missing = [(e, c) for e, c in self.rows if c.plan == MISSING or c.report == MISSING]
        return sorted(missing, key=lambda pair: -pair[1].days_overdue)


def sector_name(sector: str) -> str:
    """The group a sector is counted in: its words as given, or the KBLI's two-digit division."""
    sector = (sector or "").strip()
    if sector[:5].isdigit():
        return _("KBLI %(code)s") % {"code": sector[:2]}
    return sector.capitalize() or _("Not stated")


def coverage(*, tahun: int, today: datetime.date | None = None) -> Coverage:
    """Every obligated entry with its compliance and the shares per sector and kecamatan."""
    entries = ObligatedCompany.objects.obligated()
    compliance = compliance_by_company(tahun=tahun, today=today, entries=entries, reach=False)
    total = Group(_("Whole regency"))
    sectors: dict[str, Group] = {}
    kecamatan: dict[str, Group] = {}
    rows = []
    # Only what the page and the workbook show: a kecamatan's boundary is a large JSON document.
    fields = ("pk", "nib", "name", "sector", "status", "email", "phone", "kecamatan_id", "kecamatan__nama")
    for entry in entries.select_related("kecamatan").only(*fields).order_by("name", "pk"):
        item = compliance[entry.pk]
        rows.append((entry, item))
        sector = sector_name(entry.sector)
        place = entry.kecamatan.nama if entry.kecamatan_id else _("Not stated")
        for group in (
            total,
            sectors.setdefault(sector, Group(sector)),
            kecamatan.setdefault(place, Group(place)),
        ):
            group.obligated += 1
            group.with_plan += item.has_plan
            group.with_report += item.has_report
    return Coverage(
        tahun=tahun,
        total=total,
        by_sector=sorted(sectors.values(), key=lambda g: (-g.obligated, g.name)),
        by_kecamatan=sorted(kecamatan.values(), key=lambda g: g.name),
        rows=rows,
    )


def coverage_total(*, tahun: int, today: datetime.date | None = None) -> Group:
    """The regency's figures only (for the dashboard): obligated companies, with a plan, with a report."""
    total = Group(_("Whole regency"))
    for item in compliance_by_company(tahun=tahun, today=today, reach=False).values():
        total.obligated += 1
        total.with_plan += item.has_plan
        total.with_report += item.has_report
        total.missing += item.plan == MISSING or item.report == MISSING
    return total


def coverage_summary(*, tahun: int, shown: int, today: datetime.date | None = None) -> dict:
    """What the coverage page shows, as plain values (cheap to keep in the cache): the groups and the
    ``shown`` longest overdue of the companies missing a plan or report, with how many miss one."""
    result = coverage(tahun=tahun, today=today)
    missing = result.missing
    return {
        "total": result.total,
        "by_sector": result.by_sector,
        "by_kecamatan": result.by_kecamatan,
        "missing_count": len(missing),
        "missing": [
            {
                "pk": entry.pk,
                "name": entry.name,
                "kecamatan": entry.kecamatan.nama if entry.kecamatan_id else "",
                "status": entry.get_status_display(),
                "plan": str(item.plan_label),
                "report": str(item.report_label),
                "days_overdue": item.days_overdue,
            }
            for entry, item in missing[:shown]
        ],
    }
