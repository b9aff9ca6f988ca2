"""Compliance of the obligated companies with a budget year's cycle, computed for all of them at once.

For a company and a year ``tahun`` (deadlines from ``CycleYear``):

- plan: the first submission of a program of ``tahun`` that stands (submitted, under revision, approved,
  running, completed): *on time* by the plan deadline, *late* after it, *missing* once the deadline passed
  without one, *due* before it.
- realisation: the first final realisation report (submitted or verified, not returned) of a program of
  ``tahun``: *verified* when Dinsos verified one, else *on time* / *late* / *missing* / *due* like the plan.
- planned rupiah: budgets of the standing programs of ``tahun``; realised rupiah: amounts of their
  standing reports; verified rupiah: of the verified reports only.
- beneficiaries: distinct households confirmed or delivered on the company's counted programs of ``tahun``;
  poorest: of them in desil 1-2.
- days overdue: days since a passed deadline whose plan or report is still missing (the larger one).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Min, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cycle.models import CycleYear, ObligatedCompany
from programs.models import Beneficiary, Program, RealisationReport

PLAN_STATUSES = frozenset(
    {
        Program.Status.SUBMITTED,
        Program.Status.REVISION_REQUESTED,
        Program.Status.APPROVED,
        Program.Status.RUNNING,
        Program.Status.COMPLETED,
    }
)
STANDING_REPORTS = (RealisationReport.State.SUBMITTED, RealisationReport.State.VERIFIED)
POOREST_DESIL = 2

ON_TIME, LATE, MISSING, DUE, VERIFIED = "on_time", "late", "missing", "due", "verified"
# The words a state is shown with (Indonesian through the catalogue).
STATE_LABELS = {
    ON_TIME: _("on time"),
    LATE: _("late"),
    MISSING: _("missing"),
    DUE: _("not yet due"),
    VERIFIED: _("verified"),
}


@dataclass
class Compliance:
    entry_id: int
    company_id: int | None
    plan: str = DUE
    plan_at: datetime.datetime | None = None
    report: str = DUE
    report_at: datetime.datetime | None = None
    report_timing: str = DUE  # on time / late / missing / due, also for a verified report
    planned: int = 0
    realised: int = 0
    verified: int = 0
    programs: int = 0
    beneficiaries: int = 0
    poorest: int = 0
    days_overdue: int = 0

    @property
    def has_plan(self) -> bool:
        return self.plan in (ON_TIME, LATE)

    @property
    def has_report(self) -> bool:
        return self.report in (ON_TIME, LATE, VERIFIED)

    @property
    def poorest_share(self) -> float | None:
        return self.poorest / self.beneficiaries if self.beneficiaries else None

    @property
    def plan_label(self):
        return STATE_LABELS[self.plan]

    @property
    def report_label(self):
        return STATE_LABELS[self.report]


def _cutoff(deadline: datetime.date | None) -> datetime.datetime | None:
    """The first moment after the deadline day, in the portal's time zone."""
    if deadline is None:
        return None
    return timezone.make_aware(
        datetime.datetime.combine(deadline + datetime.timedelta(days=1), datetime.time())
    )


def _judge(
    at: datetime.datetime | None,
    deadline: datetime.date | None,
    cutoff: datetime.datetime | None,
    today: datetime.date,
) -> str:
    if at is not None:
        return ON_TIME if cutoff is None or at < cutoff else LATE
    if deadline is not None and today > deadline:
        return MISSING
    return DUE


def compliance_by_company(
    *, tahun: int, today: datetime.date | None = None, entries=None, reach: bool = True
) -> dict[int, Compliance]:
    """Per register entry id (every obligated entry, or those of ``entries``): its compliance for ``tahun``.

    Five queries whatever the number of companies (one without any entry; four without ``reach``, the
    households reached).
    """
    today = today or timezone.localdate()
    entries = ObligatedCompany.objects.obligated() if entries is None else entries
    pairs = list(entries.values_list("pk", "company_id"))
    if not pairs:
        return {}
    cycle = CycleYear.objects.filter(tahun=tahun).first()
    plan_deadline = cycle.plan_deadline if cycle else None
    report_deadline = cycle.realisation_deadline if cycle else None
    # A subquery, not a list: thousands of ids cost more to send than the rows they select.
    company_ids = entries.filter(company__isnull=False).values("company_id")
    plan_cutoff, report_cutoff = _cutoff(plan_deadline), _cutoff(report_deadline)

    plans = {
        row["company_id"]: row
        for row in Program.objects.filter(tahun=tahun, status__in=PLAN_STATUSES, company_id__in=company_ids)
        .values("company_id")
        .annotate(first=Min("submitted_at"), planned=Sum("budget"), programs=Count("pk"))
        .order_by()
    }
    reports = {
        row["program__company_id"]: row
        for row in RealisationReport.objects.filter(
            program__tahun=tahun, program__company_id__in=company_ids, state__in=STANDING_REPORTS
        )
        .values("program__company_id")
        .annotate(
            first=Min("submitted_at", filter=Q(is_final=True)),
            realised=Sum("amount_spent"),
            verified_amount=Sum("amount_spent", filter=Q(state=RealisationReport.State.VERIFIED)),
            verified_final=Count("pk", filter=Q(is_final=True, state=RealisationReport.State.VERIFIED)),
        )
        .order_by()
    }
    reached = {}
    if reach:
        reached = {
            row["program__company_id"]: row
            for row in Beneficiary.objects.filter(
                state__in=Beneficiary.RECEIVING,
                program__tahun=tahun,
                program__status__in=Program.COUNTED_STATUSES,
                program__company_id__in=company_ids,
            )
            .values("program__company_id")
            .annotate(
                total=Count("household_id", distinct=True),
                poorest=Count("household_id", distinct=True, filter=Q(household__desil__lte=POOREST_DESIL)),
            )
            .order_by()
        }
    result = {}
    for entry_id, company_id in pairs:
        item = Compliance(entry_id=entry_id, company_id=company_id)
        plan, report, reach = plans.get(company_id), reports.get(company_id), reached.get(company_id)
        item.plan_at = plan["first"] if plan else None
        item.plan = _judge(item.plan_at, plan_deadline, plan_cutoff, today)
        if plan:
            item.planned, item.programs = plan["planned"] or 0, plan["programs"]
        item.report_at = report["first"] if report else None
        item.report = item.report_timing = _judge(item.report_at, report_deadline, report_cutoff, today)
        if report:
            item.realised = report["realised"] or 0
            item.verified = report["verified_amount"] or 0
            if report["verified_final"]:
                item.report = VERIFIED
        if reach:
            item.beneficiaries, item.poorest = reach["total"], reach["poorest"]
        overdue = [0]
        if item.plan == MISSING:
            overdue.append((today - plan_deadline).days)
        if item.report == MISSING:
            overdue.append((today - report_deadline).days)
        item.days_overdue = max(overdue)
        result[entry_id] = item
    return result


def next_deadline(*, today: datetime.date | None = None) -> tuple[str, datetime.date, int] | None:
    """The nearest deadline from ``today`` on: (kind, date, budget year), or None when none is set."""
    today = today or timezone.localdate()
    upcoming = []
    for cycle in CycleYear.objects.filter(realisation_deadline__gte=today):
        if cycle.plan_deadline >= today:
            upcoming.append(("plan", cycle.plan_deadline, cycle.tahun))
        upcoming.append(("realisation", cycle.realisation_deadline, cycle.tahun))
    return min(upcoming, key=lambda item: item[1]) if upcoming else None


def current_tahun(today: datetime.date | None = None) -> int:
    """The budget year whose cycle is running: the latest one set up to this year, else this year."""
    today = today or timezone.localdate()
    tahun = (
        CycleYear.objects.filter(tahun__lte=today.year)
        .order_by("-tahun")
        .values_list("tahun", flat=True)
        .first()
    )
    return tahun or today.year


@dataclass
class CompanyStatus:
    """What a company's home page says about its obligation: this year's compliance and the next deadline."""

    tahun: int
    compliance: Compliance | None
    deadline_kind: str = ""
    deadline: datetime.date | None = None
    deadline_tahun: int | None = None
    exempt: bool = False


def company_status(*, company_id: int, today: datetime.date | None = None) -> CompanyStatus | None:
    """None when the company is not in the register of obligated companies."""
    today = today or timezone.localdate()
    entry = ObligatedCompany.objects.filter(company_id=company_id).first()
    if entry is None:
        return None
    tahun = current_tahun(today)
    if entry.status == ObligatedCompany.Status.EXEMPT:
        return CompanyStatus(tahun=tahun, compliance=None, exempt=True)
    compliance = compliance_by_company(
        tahun=tahun, today=today, entries=ObligatedCompany.objects.filter(pk=entry.pk)
    )[entry.pk]
    status = CompanyStatus(tahun=tahun, compliance=compliance)
    upcoming = next_deadline(today=today)
    if upcoming is not None:
        status.deadline_kind, status.deadline, status.deadline_tahun = upcoming
    return status
