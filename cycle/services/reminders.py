"""Reminders of the plan and realisation deadlines, one step at a time, never twice.

Each budget year has two deadlines and a schedule of steps: N days before a deadline, then N days after it
while the plan or report is still missing. On a day, a company is due the latest step whose date has come
(at most ``GRACE_DAYS`` ago, so that a worker that was stopped resumes without sending old steps), unless it
received that step already (the ``Reminder`` row, unique per company, year, deadline and step), has
submitted what the deadline asks, is exempted or was never invited. Moving a deadline moves the dates of the
steps not yet sent; a step already sent is not sent again.
"""

import datetime
import urllib.parse
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from companies.services import company_recipients
from cycle.models import CycleYear, ObligatedCompany, RegisterEvent, Reminder, parse_days
from cycle.selectors.compliance import compliance_by_company
from tslp_portal.mail import mail_after_commit

GRACE_DAYS = 7


@dataclass(frozen=True)
class DueReminder:
    entry: ObligatedCompany
    tahun: int
    kind: str
    offset: int
    deadline: datetime.date

    @property
    def overdue(self) -> bool:
        return self.offset > 0


def _steps(cycle: CycleYear) -> list[int]:
    return sorted([-day for day in parse_days(cycle.days_before)] + parse_days(cycle.days_after))


def _current_step(deadline: datetime.date, steps: list[int], today: datetime.date) -> int | None:
    passed = [offset for offset in steps if deadline + datetime.timedelta(days=offset) <= today]
    if not passed:
        return None
    latest = passed[-1]
    if (today - (deadline + datetime.timedelta(days=latest))).days >= GRACE_DAYS:
        return None
    return latest


def reminders_due(*, today: datetime.date | None = None) -> list[DueReminder]:
    """The reminders that go out on ``today`` (nothing is written)."""
    today = today or timezone.localdate()
    due: list[DueReminder] = []
    for cycle in CycleYear.objects.all():
        steps = _steps(cycle)
        wanted = {}
        for kind, deadline in (
            (Reminder.Kind.PLAN, cycle.plan_deadline),
            (Reminder.Kind.REALISATION, cycle.realisation_deadline),
        ):
            step = _current_step(deadline, steps, today)
            if step is not None:
                wanted[kind] = (step, deadline)
        if not wanted:
            continue
        entries = ObligatedCompany.objects.remindable()
        compliance = compliance_by_company(tahun=cycle.tahun, today=today, entries=entries)
        sent = set(
            Reminder.objects.filter(tahun=cycle.tahun, kind__in=list(wanted)).values_list(
                "entry_id", "kind", "offset"
            )
        )
        for entry in entries.select_related("company").order_by("name", "pk"):
            status = compliance[entry.pk]
            for kind, (step, deadline) in wanted.items():
                done = status.has_plan if kind == Reminder.Kind.PLAN else status.has_report
                if done or (entry.pk, kind, step) in sent:
                    continue
                due.append(DueReminder(entry, cycle.tahun, kind, step, deadline))
    return due


def whatsapp_number(phone: str) -> str:
    """``0812-3456-7890`` → ``6281234567890`` (wa.me wants the international number, digits only)."""
    digits = "".join(ch for ch in phone or "" if "0" <= ch <= "9")
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    return digits if len(digits) >= 9 else ""


def whatsapp_link(phone: str, text: str) -> str:
    number = whatsapp_number(phone)
    return f"https://wa.me/{number}?text={urllib.parse.quote(text)}" if number else ""


def _context(item: DueReminder) -> dict:
    return {
        "entry": item.entry,
        "tahun": item.tahun,
        "kind": item.kind,
        "deadline": item.deadline,
        "days": abs(item.offset),
        "overdue": item.overdue,
        "portal_url": settings.TSLP_SITE_URL
        + (reverse("programs:create") if item.kind == Reminder.Kind.PLAN else reverse("programs:list")),
    }


def reminder_text(item: DueReminder) -> str:
    """The ready Indonesian WhatsApp text of a reminder."""
    with translation.override(settings.LANGUAGE_CODE):
        return " ".join(render_to_string("cycle/email/reminder_whatsapp.txt", _context(item)).split())


def _remind(item: DueReminder, *, actor=None, note: str = "") -> None:
    """Timeline entry with the WhatsApp text, and the mail after commit."""
    # The timeline keeps text, written in the portal's language whatever the actor's page language.
    with translation.override(settings.LANGUAGE_CODE):
        label = f"{Reminder.Kind(item.kind).label} {item.tahun} ({item.offset:+d})"
        label = f"{label}. {note}" if note else label
    RegisterEvent.objects.create(
        entry=item.entry,
        kind=RegisterEvent.Kind.REMINDED,
        actor=actor,
        note=label,
        whatsapp_text=reminder_text(item),
    )
    recipients = [item.entry.email]
    if item.entry.company_id:
        recipients += company_recipients(item.entry.company)
    mail_after_commit(
        body_template="cycle/email/reminder.txt",
        subject=gettext_lazy("Reminder: TSLP %(what)s %(tahun)s, deadline %(deadline)s"),
        subject_params={
            "what": Reminder.Kind(item.kind).label,
            "tahun": item.tahun,
            "deadline": item.deadline.strftime("%d-%m-%Y"),
        },
        recipients=recipients,
        context=_context(item),
    )


def reminder_send(*, item: DueReminder, today: datetime.date | None = None) -> bool:
    """Send one scheduled reminder step and record it; False when it was sent already."""
    try:
        with transaction.atomic():
            Reminder.objects.create(
                entry=item.entry,
                tahun=item.tahun,
                kind=item.kind,
                offset=item.offset,
                deadline=item.deadline,
                sent_on=today or timezone.localdate(),
            )
            _remind(item)
    except IntegrityError:
        return False  # another worker sent this step first
    return True


def reminders_send(*, today: datetime.date | None = None) -> int:
    """Send every reminder due on ``today``; returns how many went out. Safe to run again."""
    return sum(reminder_send(item=item, today=today) for item in reminders_due(today=today))


def reminders_missing_send(*, tahun: int, actor, today: datetime.date | None = None) -> int:
    """Remind now, outside the schedule, every remindable company whose plan or report of ``tahun`` is
    missing (the coverage page's one action); each reminder is in the company's timeline."""
    from cycle.selectors.compliance import MISSING

    today = today or timezone.localdate()
    cycle = CycleYear.objects.filter(tahun=tahun).first()
    if cycle is None:
        return 0
    entries = ObligatedCompany.objects.remindable()
    compliance = compliance_by_company(tahun=tahun, today=today, entries=entries)
    sent = 0
    for entry in entries.select_related("company").order_by("pk"):
        status = compliance[entry.pk]
        if status.plan == MISSING:
            kind, deadline = Reminder.Kind.PLAN, cycle.plan_deadline
        elif status.report == MISSING:
            kind, deadline = Reminder.Kind.REALISATION, cycle.realisation_deadline
        else:
            continue
        item = DueReminder(entry, tahun, kind, (today - deadline).days, deadline)
        with transaction.atomic():
            _remind(item, actor=actor, note=gettext_lazy("Sent by Dinsos from the coverage page"))
        sent += 1
    return sent
