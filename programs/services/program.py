"""Everything that changes a program's status: one transition table, one function that applies it.

``TRANSITIONS`` is complete: the review workflow, confirming beneficiaries (APPROVED → RUNNING) and
verifying the final realisation report (RUNNING → COMPLETED) all go through :func:`program_transition`, and
:func:`program_actions` reads the same table to tell pages which buttons to show.
"""

from collections.abc import Iterable
from typing import NamedTuple

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from companies.services import company_recipients, dinsos_recipients
from programs.models import Program, ProgramAttachment, ProgramEvent, ProgramLocation
from programs.signals import ledger_changed_send
from tslp_portal.mail import mail_after_commit
from tslp_portal.uploads import filename_shorten

S = Program.Status
A = ProgramEvent.Action
COMPANY, DINSOS = "company", "dinsos"


class ProgramError(Exception):
    """A workflow step that is not allowed now; the message is for the user."""


class Transition(NamedTuple):
    allowed_from: frozenset[str]
    to_status: str
    who: str  # COMPANY (a member of the program's company) or DINSOS
    note_required: bool
    mail: str = ""  # template under programs/email/ sent after commit: "submitted" to Dinsos, "decision" to the company


TRANSITIONS: dict[str, Transition] = {
    A.SUBMIT: Transition(frozenset({S.DRAFT}), S.SUBMITTED, COMPANY, False, "submitted"),
    A.RESUBMIT: Transition(frozenset({S.REVISION_REQUESTED}), S.SUBMITTED, COMPANY, False, "submitted"),
    A.WITHDRAW: Transition(
        frozenset({S.DRAFT, S.SUBMITTED, S.REVISION_REQUESTED}), S.WITHDRAWN, COMPANY, False
    ),
    A.REQUEST_REVISION: Transition(frozenset({S.SUBMITTED}), S.REVISION_REQUESTED, DINSOS, True, "decision"),
    A.APPROVE: Transition(frozenset({S.SUBMITTED}), S.APPROVED, DINSOS, False, "decision"),
    A.REJECT: Transition(frozenset({S.SUBMITTED}), S.REJECTED, DINSOS, True, "decision"),
    A.CANCEL: Transition(frozenset({S.APPROVED, S.RUNNING}), S.CANCELLED, DINSOS, True, "decision"),
    # Through beneficiaries_confirm: the confirmed list starts the program.
    A.CONFIRM: Transition(frozenset({S.APPROVED}), S.RUNNING, DINSOS, False),
    # Through realisation_verify of a final report.
    A.COMPLETE: Transition(frozenset({S.RUNNING}), S.COMPLETED, DINSOS, False, "decision"),
}
# Dinsos reviews a program from these: a submission without them is refused.
SUBMISSION_DOCUMENTS = (ProgramAttachment.Kind.PROPOSAL, ProgramAttachment.Kind.RAB)
# Dinsos' decisions stamp ``decided_at``; starting the program is not a decision on it.
DECISIONS = frozenset({A.REQUEST_REVISION, A.APPROVE, A.REJECT, A.CANCEL, A.COMPLETE})


def may_act(user: User, program: Program, who: str) -> bool:
    if who == DINSOS:
        return user.is_dinsos
    return program.has_member(user)


def program_mail_queue(
    *, program: Program, event: ProgramEvent, recipients: Iterable[str], template: str, url_name: str
) -> None:
    """Mail about ``event`` once the transaction commits, in Indonesian."""
    program_id, event_id = program.pk, event.pk

    def context():
        # Read at send time: the mail tells what was committed.
        return {
            "program": Program.objects.select_related("company").get(pk=program_id),
            "event": ProgramEvent.objects.select_related("actor").get(pk=event_id),
            "url": settings.TSLP_SITE_URL + reverse(url_name, args=[program_id]),
        }

    mail_after_commit(
        recipients=recipients,
        subject_template=f"programs/email/{template}_subject.txt",
        body_template=f"programs/email/{template}_body.txt",
        context_builder=context,
    )


def program_event_record(
    *,
    program: Program,
    actor: User | None,
    action: str,
    note: str = "",
    from_status: str | None = None,
    to_status: str | None = None,
) -> ProgramEvent:
    """Write one step of the program's history; statuses default to the program's current one."""
    return ProgramEvent.objects.create(
        program=program,
        actor=actor,
        action=action,
        from_status=program.status if from_status is None else from_status,
        to_status=program.status if to_status is None else to_status,
        note=note,
    )


def program_transition(
    *, program: Program, actor: User, action: str, note: str = "", expected_status: str | None = None
) -> Program:
    """Apply one row of ``TRANSITIONS``: check actor, status and note, change the status, record, mail."""
    transition = TRANSITIONS[action]
    with transaction.atomic():
        locked = Program.objects.select_for_update().select_related("company").get(pk=program.pk)
        if not may_act(actor, locked, transition.who):
            raise ProgramError(_("You may not do this with this program."))
        if expected_status is not None and locked.status != expected_status:
            raise ProgramError(
                _(
                    "The program changed meanwhile: it is now %(status)s. Reload the page and check it "
                    "before you act."
                )
                % {"status": locked.get_status_display()}
            )
        if locked.status not in transition.allowed_from:
            raise ProgramError(
                _("This cannot be done while the program is %(status)s.")
                % {"status": locked.get_status_display()}
            )
        note = note.strip()
        if transition.note_required and not note:
            raise ProgramError(_("Write a note that explains the decision to the company."))
        if action in {A.SUBMIT, A.RESUBMIT}:
            _check_submittable(locked)
        from_status = locked.status
        locked.status = transition.to_status
        now = timezone.now()
        fields = ["status", "updated_at"]
        if action in {A.SUBMIT, A.RESUBMIT}:
            locked.submitted_at = now
            fields.append("submitted_at")
        if action in DECISIONS:
            locked.decided_at = now
            fields.append("decided_at")
        locked.save(update_fields=fields)
        counted = Program.COUNTED_STATUSES
        if from_status in counted or locked.status in counted:
            # Starting or completing a program moves it between two statuses that both count: same households.
            reach = not (from_status in counted and locked.status in counted)
            ledger_changed_send(program_id=locked.pk, reach=reach)
        event = program_event_record(
            program=locked, actor=actor, action=action, note=note, from_status=from_status
        )
        if transition.mail == "decision":
            program_mail_queue(
                program=locked,
                event=event,
                recipients=company_recipients(locked.company),
                template="decision",
                url_name="programs:detail",
            )
        elif transition.mail == "submitted":
            program_mail_queue(
                program=locked,
                event=event,
                recipients=dinsos_recipients(),
                template="submitted",
                url_name="admin:programs_program_review",
            )
    program.refresh_from_db()
    return program


def program_actions(program: Program, user: User) -> frozenset[str]:
    """What ``user`` may do with ``program`` now: the transitions open to them, plus ``edit``, ``review``,
    ``match`` and ``report`` (delivery and realisation). Pages show exactly these buttons."""
    actions = {
        action
        for action, transition in TRANSITIONS.items()
        if program.status in transition.allowed_from and may_act(user, program, transition.who)
    }
    if A.RESUBMIT in actions:
        actions.add(A.SUBMIT)  # one "submit" button, whichever the step
    is_member = program.has_member(user)
    if is_member and program.is_editable:
        actions.add("edit")
    if actions & {A.APPROVE, A.REQUEST_REVISION, A.REJECT}:
        actions.add("review")
    if user.is_dinsos and program.has_beneficiary_list:
        actions.add("match")
    if is_member and program.status == S.RUNNING:
        actions.add("report")
    return frozenset(actions)


def _check_submittable(program: Program) -> None:
    if not program.company.can_submit_programs:
        raise ProgramError(
            _("Your company has not been verified by Dinsos yet: programs can be submitted once it is.")
        )
    if not program.locations.exists():
        raise ProgramError(_("Choose at least one desa where the program takes place."))
    missing = program_missing_documents(program)
    if missing:
        raise ProgramError(
            _("Attach the %(documents)s before you submit: Dinsos reviews the program from them.")
            % {"documents": _(" and ").join(str(label) for label in missing)}
        )


def program_missing_documents(program: Program) -> list[str]:
    """The labels of the documents a submission needs that the program lacks (proposal, RAB)."""
    attached = set(program.attachments.values_list("kind", flat=True))
    return [kind.label for kind in SUBMISSION_DOCUMENTS if kind not in attached]


def program_submit(*, program: Program, actor: User, expected_status: str | None = None) -> Program:
    action = A.RESUBMIT if program.status == S.REVISION_REQUESTED else A.SUBMIT
    return program_transition(program=program, actor=actor, action=action, expected_status=expected_status)


def program_withdraw(*, program: Program, actor: User, note: str = "", expected_status: str | None = None):
    return program_transition(
        program=program, actor=actor, action=A.WITHDRAW, note=note, expected_status=expected_status
    )


def program_request_revision(*, program: Program, actor: User, note: str, expected_status: str | None = None):
    return program_transition(
        program=program, actor=actor, action=A.REQUEST_REVISION, note=note, expected_status=expected_status
    )


def program_approve(*, program: Program, actor: User, note: str = "", expected_status: str | None = None):
    return program_transition(
        program=program, actor=actor, action=A.APPROVE, note=note, expected_status=expected_status
    )


def program_reject(*, program: Program, actor: User, note: str, expected_status: str | None = None):
    return program_transition(
        program=program, actor=actor, action=A.REJECT, note=note, expected_status=expected_status
    )


def program_cancel(*, program: Program, actor: User, note: str, expected_status: str | None = None):
    return program_transition(
        program=program, actor=actor, action=A.CANCEL, note=note, expected_status=expected_status
    )


DINSOS_DECISIONS = {
    A.APPROVE: program_approve,
    A.REQUEST_REVISION: program_request_revision,
    A.REJECT: program_reject,
}


@transaction.atomic
def program_save(*, program: Program, actor: User, desa: Iterable, uploads: Iterable[tuple] = ()) -> Program:
    """Create or edit a program with its locations and new attachments, ``(file, kind)`` pairs (company side)."""
    creating = program.pk is None
    if not creating:
        current = Program.objects.select_for_update().get(pk=program.pk)
        if not current.is_editable:
            raise ProgramError(
                _("This program can no longer be edited: it is %(status)s.")
                % {"status": current.get_status_display()}
            )
        program.status = current.status
    if creating:
        program.created_by = actor
        program.status = S.DRAFT
    program.save()
    wanted = {d.pk for d in desa}
    existing = set(program.locations.values_list("desa_id", flat=True))
    program.locations.filter(desa_id__in=existing - wanted).delete()
    ProgramLocation.objects.bulk_create(
        ProgramLocation(program=program, desa_id=pk) for pk in wanted - existing
    )
    program_event_record(
        program=program,
        actor=actor,
        action=A.CREATE if creating else A.EDIT,
        from_status="" if creating else program.status,
    )
    for upload, kind in uploads:
        program_attach(program=program, actor=actor, upload=upload, kind=kind)
    return program


def program_attach(*, program: Program, actor: User, upload, kind: str | None = None) -> ProgramAttachment:
    attachment = ProgramAttachment.objects.create(
        program=program,
        kind=kind or ProgramAttachment.Kind.PROPOSAL,
        file=upload,
        original_name=filename_shorten(upload.name),
        content_type=getattr(upload, "content_type", "") or "application/octet-stream",
        size=upload.size,
        uploaded_by=actor,
    )
    program_event_record(
        program=program, actor=actor, action=A.ATTACH, note=attachment.original_name, from_status=""
    )
    return attachment


@transaction.atomic
def program_detach(*, attachment: ProgramAttachment, actor: User) -> None:
    program = Program.objects.select_for_update().get(pk=attachment.program_id)
    if not program.is_editable:
        raise ProgramError(_("Attachments can only be removed while the program is editable."))
    name = attachment.original_name
    stored = attachment.file.name
    storage = attachment.file.storage
    attachment.delete()
    program_event_record(program=program, actor=actor, action=A.DETACH, note=name, from_status="")
    transaction.on_commit(lambda: storage.delete(stored))
