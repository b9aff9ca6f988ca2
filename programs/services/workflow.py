"""Everything that writes programs: one function per workflow transition (DESIGN §4)."""

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from programs.models import Program, ProgramAttachment, ProgramEvent, ProgramLocation
from tslp_portal.mail import mail_after_commit

S = Program.Status
A = ProgramEvent.Action


class ProgramError(Exception):
    """A workflow step that is not allowed now; the message is for the user."""


# (action, allowed from-statuses, to-status, who may do it, note required)
TRANSITIONS = {
    A.SUBMIT: ({S.DRAFT}, S.SUBMITTED, "company", False),
    A.RESUBMIT: ({S.REVISION_REQUESTED}, S.SUBMITTED, "company", False),
    A.WITHDRAW: ({S.DRAFT, S.SUBMITTED, S.REVISION_REQUESTED}, S.WITHDRAWN, "company", False),
    A.REQUEST_REVISION: ({S.SUBMITTED}, S.REVISION_REQUESTED, "dinsos", True),
    A.APPROVE: ({S.SUBMITTED}, S.APPROVED, "dinsos", False),
    A.REJECT: ({S.SUBMITTED}, S.REJECTED, "dinsos", True),
    A.CANCEL: ({S.APPROVED, S.RUNNING}, S.CANCELLED, "dinsos", True),
}


def _may_act(user: User, program: Program, who: str) -> bool:
    if who == "dinsos":
        return user.is_dinsos
    return user.is_company_member and user.company_id == program.company_id


def _company_recipients(program: Program) -> list[str]:
    members = program.company.members.filter(is_active=True).exclude(email="").values_list("email", flat=True)
    return sorted({program.company.email, *members} - {""})


def _dinsos_recipients() -> list[str]:
    staff = User.objects.filter(is_active=True, role=User.Role.DINSOS).exclude(email="")
    return sorted({*settings.TSLP_DINSOS_EMAILS, *staff.values_list("email", flat=True)})


def _queue_mail(
    program: Program, event: ProgramEvent, recipients: Iterable[str], template: str, url_name: str
) -> None:
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


def _transition(
    *, program: Program, actor: User, action: str, note: str = "", expected_status: str | None = None
):
    allowed_from, to_status, who, note_required = TRANSITIONS[action]
    with transaction.atomic():
        locked = Program.objects.select_for_update().select_related("company").get(pk=program.pk)
        if not _may_act(actor, locked, who):
            raise ProgramError(_("You may not do this with this program."))
        if expected_status is not None and locked.status != expected_status:
            raise ProgramError(
                _(
                    "The program changed meanwhile: it is now %(status)s. Reload the page and check it "
                    "before you act."
                )
                % {"status": locked.get_status_display()}
            )
        if locked.status not in allowed_from:
            raise ProgramError(
                _("This cannot be done while the program is %(status)s.")
                % {"status": locked.get_status_display()}
            )
        note = note.strip()
        if note_required and not note:
            raise ProgramError(_("Write a note that explains the decision to the company."))
        if action in {A.SUBMIT, A.RESUBMIT}:
            _check_submittable(locked)
        from_status = locked.status
        locked.status = to_status
        now = timezone.now()
        fields = ["status", "updated_at"]
        if action in {A.SUBMIT, A.RESUBMIT}:
            locked.submitted_at = now
            fields.append("submitted_at")
        if who == "dinsos":
            locked.decided_at = now
            fields.append("decided_at")
        locked.save(update_fields=fields)
        event = ProgramEvent.objects.create(
            program=locked,
            actor=actor,
            action=action,
            from_status=from_status,
            to_status=to_status,
            note=note,
        )
        if who == "dinsos":
            _queue_mail(locked, event, _company_recipients(locked), "decision", "programs:detail")
        elif action in {A.SUBMIT, A.RESUBMIT}:
            _queue_mail(locked, event, _dinsos_recipients(), "submitted", "admin:programs_program_review")
    program.refresh_from_db()
    return program


def _check_submittable(program: Program) -> None:
    if not program.company.can_submit_programs:
        raise ProgramError(
            _("Your company has not been verified by Dinsos yet: programs can be submitted once it is.")
        )
    if not program.locations.exists():
        raise ProgramError(_("Choose at least one desa where the program takes place."))


def program_submit(*, program: Program, actor: User, expected_status: str | None = None) -> Program:
    action = A.RESUBMIT if program.status == S.REVISION_REQUESTED else A.SUBMIT
    return _transition(program=program, actor=actor, action=action, expected_status=expected_status)


def program_withdraw(*, program: Program, actor: User, note: str = "", expected_status: str | None = None):
    return _transition(
        program=program, actor=actor, action=A.WITHDRAW, note=note, expected_status=expected_status
    )


def program_request_revision(*, program: Program, actor: User, note: str, expected_status: str | None = None):
    return _transition(
        program=program, actor=actor, action=A.REQUEST_REVISION, note=note, expected_status=expected_status
    )


def program_approve(*, program: Program, actor: User, note: str = "", expected_status: str | None = None):
    return _transition(
        program=program, actor=actor, action=A.APPROVE, note=note, expected_status=expected_status
    )


def program_reject(*, program: Program, actor: User, note: str, expected_status: str | None = None):
    return _transition(
        program=program, actor=actor, action=A.REJECT, note=note, expected_status=expected_status
    )


def program_cancel(*, program: Program, actor: User, note: str, expected_status: str | None = None):
    return _transition(
        program=program, actor=actor, action=A.CANCEL, note=note, expected_status=expected_status
    )


DINSOS_DECISIONS = {
    A.APPROVE: program_approve,
    A.REQUEST_REVISION: program_request_revision,
    A.REJECT: program_reject,
}


@transaction.atomic
def program_save(
    *, program: Program, actor: User, desa: Iterable, attachment=None, attachment_kind=None
) -> Program:
    """Create or edit a program with its locations and an optional new attachment (company side)."""
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
    ProgramEvent.objects.create(
        program=program,
        actor=actor,
        action=A.CREATE if creating else A.EDIT,
        to_status=program.status,
        from_status="" if creating else program.status,
    )
    if attachment is not None:
        program_attach(program=program, actor=actor, upload=attachment, kind=attachment_kind)
    return program


def program_attach(*, program: Program, actor: User, upload, kind: str | None = None) -> ProgramAttachment:
    attachment = ProgramAttachment.objects.create(
        program=program,
        kind=kind or ProgramAttachment.Kind.PROPOSAL,
        file=upload,
        original_name=upload.name[:200],
        content_type=getattr(upload, "content_type", "") or "application/octet-stream",
        size=upload.size,
        uploaded_by=actor,
    )
    ProgramEvent.objects.create(
        program=program, actor=actor, action=A.ATTACH, note=attachment.original_name, to_status=program.status
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
    ProgramEvent.objects.create(
        program=program, actor=actor, action=A.DETACH, note=name, to_status=program.status
    )
    transaction.on_commit(lambda: storage.delete(stored))
