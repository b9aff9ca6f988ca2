"""Realisation reports: the company reports what it spent and delivered; Dinsos verifies or returns it.

Verifying a final report completes the program (RUNNING → COMPLETED), which also ends the company's access
to the beneficiary list.
"""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from companies.services import company_recipients, dinsos_recipients
from programs.models import Program, ProgramEvent, RealisationDocument, RealisationReport
from programs.selectors.realisation import programs_overdue
from programs.services.program import (
    ProgramError,
    program_event_record,
    program_mail_queue,
    program_transition,
)
from programs.signals import ledger_changed_send
from tslp_portal.uploads import filename_shorten

R = RealisationReport.State


@transaction.atomic
def realisation_submit(
    *,
    program: Program,
    actor: User,
    period: str,
    amount_spent: int,
    description: str,
    is_final: bool,
    documents: Iterable = (),
) -> RealisationReport:
    """File a realisation report with its documents and photos (company, program running)."""
    program = Program.objects.select_for_update().select_related("company").get(pk=program.pk)
    if not program.has_member(actor):
        raise ProgramError(_("You may not do this with this program."))
    if program.status != Program.Status.RUNNING:
        raise ProgramError(
            _("Realisation can only be reported while the program is running; it is %(status)s.")
            % {"status": program.get_status_display()}
        )
    if amount_spent is None or amount_spent < 0:
        raise ProgramError(_("The amount cannot be negative."))
    if is_final and program.reports.filter(is_final=True, state=R.SUBMITTED).exists():
        raise ProgramError(
            _("A final report is already waiting for Dinsos. Wait for its verification or its return.")
        )
    report = RealisationReport.objects.create(
        program=program,
        period=period.strip(),
        amount_spent=amount_spent,
        description=description.strip(),
        is_final=is_final,
        submitted_by=actor,
    )
    for upload in documents:
        RealisationDocument.objects.create(
            report=report, file=upload, original_name=filename_shorten(upload.name), size=upload.size
        )
    event = program_event_record(
        program=program,
        actor=actor,
        action=ProgramEvent.Action.REPORT,
        note=(_("Final realisation report: %(period)s") if is_final else _("Realisation report: %(period)s"))
        % {"period": report.period},
    )
    program_mail_queue(
        program=program,
        event=event,
        recipients=dinsos_recipients(),
        template="realisation",
        url_name="programs:detail",
    )
    return report


def _lock_submitted(report: RealisationReport, actor: User) -> tuple[RealisationReport, Program]:
    if not actor.is_dinsos:
        raise ProgramError(_("Only Dinsos verifies realisation reports."))
    program = Program.objects.select_for_update().select_related("company").get(pk=report.program_id)
    report = RealisationReport.objects.select_for_update().get(pk=report.pk)
    if report.state != R.SUBMITTED:
        raise ProgramError(
            _("This report has already been handled: it is %(state)s.")
            % {"state": report.get_state_display()}
        )
    return report, program


@transaction.atomic
def realisation_verify(*, report: RealisationReport, actor: User, note: str = "") -> RealisationReport:
    """Verify a report; a final one completes the program and mails the company (after commit)."""
    report, program = _lock_submitted(report, actor)
    if report.is_final and program.status != Program.Status.RUNNING:
        raise ProgramError(
            _("A final report completes a running program; this one is %(status)s.")
            % {"status": program.get_status_display()}
        )
    report.state = R.VERIFIED
    report.verified_by = actor
    report.verified_at = timezone.now()
    report.dinsos_note = note.strip()
    # Realisation is rupiah: who is reached stays (completing moves between two statuses that both count).
    report.save(update_fields=["state", "verified_by", "verified_at", "dinsos_note"])
    ledger_changed_send(program_id=program.pk, reach=False)
    if report.is_final:
        program_transition(
            program=program,
            actor=actor,
            action=ProgramEvent.Action.COMPLETE,
            note=report.dinsos_note or _("Final realisation report verified."),
        )
    return report


@transaction.atomic
def realisation_return(*, report: RealisationReport, actor: User, note: str) -> RealisationReport:
    """Send a report back to the company for correction; the note says what to correct."""
    report, program = _lock_submitted(report, actor)
    note = note.strip()
    if not note:
        raise ProgramError(_("Write a note that explains the decision to the company."))
    report.state = R.RETURNED
    report.verified_by = actor
    report.verified_at = timezone.now()
    report.dinsos_note = note
    report.save(update_fields=["state", "verified_by", "verified_at", "dinsos_note"])
    event = program_event_record(
        program=program,
        actor=actor,
        action=ProgramEvent.Action.REPORT,
        note=_("Realisation report %(period)s returned for correction: %(note)s")
        % {"period": report.period, "note": note},
    )
    program_mail_queue(
        program=program,
        event=event,
        recipients=company_recipients(program.company),
        template="decision",
        url_name="programs:detail",
    )
    return report


@transaction.atomic
def program_remind(*, program: Program, actor: User) -> ProgramEvent:
    """Remind the company that the realisation report of an ended program is overdue (Dinsos)."""
    if not actor.is_dinsos:
        raise ProgramError(_("Only Dinsos sends reminders."))
    program = Program.objects.select_for_update().select_related("company").get(pk=program.pk)
    if not programs_overdue().filter(pk=program.pk).exists():
        raise ProgramError(_("This program's realisation report is not overdue: no reminder was sent."))
    days = (timezone.localdate() - program.end_date).days
    event = program_event_record(
        program=program,
        actor=actor,
        action=ProgramEvent.Action.REMIND,
        note=_("Reminder sent: the realisation report is %(days)s days overdue.") % {"days": days},
    )
    program_mail_queue(
        program=program,
        event=event,
        recipients=company_recipients(program.company),
        template="reminder",
        url_name="programs:realisation_create",
    )
    return event


__all__ = ["program_remind", "realisation_return", "realisation_submit", "realisation_verify"]
