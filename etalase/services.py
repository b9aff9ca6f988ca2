"""What writes the etalase. Rules:

- A camat proposes and edits the needs of their own kecamatan (a proposal waits for Dinsos); Dinsos adds
  needs that are open at once, approves or rejects proposals, edits any need still in play and marks an
  adopted need done.
- A verified company adopts an open need, or an adopted one whose budget is not yet covered: a draft program
  pre-filled from the need and linked to it. Programs withdrawn, rejected or cancelled fund nothing.
- Every change writes a ``NeedEvent``; edits record each changed field (old and new), so that the companies
  that adopted a need see what changed after their adoption.
- A company keeps its ring-1 desa (the desa around its operations); Dinsos confirms each, and only confirmed
  ones feed the etalase's ring-1 filter.
- A need with adoptions is never deleted (the database protects it); it is rejected before adoption or
  marked done after.
"""

import datetime
from collections.abc import Iterable
from typing import NamedTuple

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from companies.services import company_recipients
from etalase.models import MAX_PHOTOS, Adoption, Need, NeedEvent, NeedPhoto, RingDesa
from programs.models import Program
from programs.services import program_save
from tslp_portal.mail import mail_after_commit
from tslp_portal.uploads import filename_shorten

S = Need.Status
A = NeedEvent.Action
CAMAT, DINSOS = "camat", "dinsos"
# Fields whose changes the history lists (and the adopting companies are shown).
TRACKED_FIELDS = (
    "desa",
    "bidang",
    "bentuk",
    "title",
    "description",
    "budget",
    "families",
    "source",
    "source_ref",
    "priority",
)


class NeedError(Exception):
    """A step that is not allowed now; the message is for the user."""


class Transition(NamedTuple):
    allowed_from: frozenset[str]
    to_status: str
    note_required: bool


# Dinsos' decisions on a need.
TRANSITIONS: dict[str, Transition] = {
    A.APPROVE: Transition(frozenset({S.PROPOSED}), S.OPEN, False),
    A.REJECT: Transition(frozenset({S.PROPOSED, S.OPEN}), S.REJECTED, True),
    A.COMPLETE: Transition(frozenset({S.ADOPTED}), S.DONE, False),
}


def may_keep(user: User, need: Need) -> bool:
    """May ``user`` edit ``need`` (and add photos)? Dinsos any, a camat those of their kecamatan."""
    if user.is_dinsos:
        return True
    return user.is_camat and user.kecamatan_id == need.kecamatan_id


def need_actions(need: Need, user: User) -> frozenset[str]:
    """What ``user`` may do with ``need`` now; pages show exactly these buttons."""
    actions = set()
    if need.is_editable and may_keep(user, need):
        actions.add("edit")
        if need.photos.count() < MAX_PHOTOS:
            actions.add("photo")
    if user.is_dinsos:
        actions |= {action for action, t in TRANSITIONS.items() if need.status in t.allowed_from}
    if user.is_company_member and need.status in Need.ADOPTABLE_STATUSES:
        actions.add(A.ADOPT)
    return frozenset(actions)


def need_event_record(
    *,
    need: Need,
    actor: User | None,
    action: str,
    note: str = "",
    from_status: str | None = None,
    changes: list | None = None,
) -> NeedEvent:
    return NeedEvent.objects.create(
        need=need,
        actor=actor,
        action=action,
        from_status=need.status if from_status is None else from_status,
        to_status=need.status,
        note=note,
        changes=changes or [],
    )


def _display(need: Need, field: str) -> str:
    value = getattr(need, field)
    if field == "desa":
        return need.desa.nama if need.desa_id else _("whole kecamatan")
    if field == "budget":
        return "Rp " + f"{value:,}".replace(",", ".")  # Indonesian whatever the editor's language
    display = getattr(need, f"get_{field}_display", None)
    return str(display() if display else value)


def _check_place(need: Need) -> None:
    if need.desa_id and need.desa.kecamatan_id != need.kecamatan_id:
        raise NeedError(_("This desa is not in the kecamatan of the need."))


@transaction.atomic
def need_create(*, need: Need, actor: User, uploads: Iterable = (), action: str | None = None) -> Need:
    """A camat's proposal (waits for Dinsos) or a need Dinsos adds (open at once)."""
    if not (actor.is_dinsos or (actor.is_camat and actor.kecamatan_id == need.kecamatan_id)):
        raise NeedError(_("You may only propose needs of your own kecamatan."))
    _check_place(need)
    need.status = S.OPEN if actor.is_dinsos else S.PROPOSED
    need.created_by = actor
    need.save()
    default = A.ADD if actor.is_dinsos else A.PROPOSE
    need_event_record(need=need, actor=actor, action=action or default, from_status="")
    for upload in uploads:
        need_photo_add(need=need, actor=actor, upload=upload)
    return need


@transaction.atomic
def need_update(*, need: Need, actor: User, uploads: Iterable = ()) -> list[dict]:
    """Save the edits of ``need`` (an unsaved instance from a form); returns the changes recorded."""
    current = Need.objects.select_for_update(of=("self",)).select_related("desa").get(pk=need.pk)
    if not may_keep(actor, current):
        raise NeedError(_("You may not edit this need."))
    if not current.is_editable:
        raise NeedError(
            _("This need can no longer be edited: it is %(status)s.")
            % {"status": current.get_status_display()}
        )
    if need.kecamatan_id != current.kecamatan_id:
        raise NeedError(_("A need stays in its kecamatan."))
    _check_place(need)
    changes = [
        {"field": f, "old": _display(current, f), "new": _display(need, f)}
        for f in TRACKED_FIELDS
        if getattr(current, f"{f}_id" if f == "desa" else f) != getattr(need, f"{f}_id" if f == "desa" else f)
    ]
    need.status = current.status
    need.save()
    if changes:
        event = need_event_record(need=need, actor=actor, action=A.EDIT, changes=changes)
        need_changed_mail_queue(need=need, event=event)
    for upload in uploads:
        need_photo_add(need=need, actor=actor, upload=upload)
    return changes


def need_changed_mail_queue(*, need: Need, event: NeedEvent) -> None:
    """Tell each company whose standing program adopted ``need`` what an edit changed, once it commits, in
    Indonesian (a company learns it also on the need's page and its program's page)."""
    programs: dict[int, list[int]] = {}
    companies = {}
    for adoption in need.adoptions.counting().select_related("program__company"):
        company = adoption.program.company
        companies[company.pk] = company
        programs.setdefault(company.pk, []).append(adoption.program_id)
    for company_id, program_ids in programs.items():

        def context(company_id=company_id, program_ids=program_ids):
            # Read at send time: the mail tells what was committed.
            site = settings.TSLP_SITE_URL
            return {
                "company": companies[company_id],
                "need": Need.objects.select_related("desa", "kecamatan").get(pk=need.pk),
                "event": NeedEvent.objects.select_related("actor").get(pk=event.pk),
                "need_url": site + reverse("etalase:detail", args=[need.pk]),
                "programs": [
                    (program.title, site + reverse("programs:detail", args=[program.pk]))
                    for program in Program.objects.filter(pk__in=program_ids).order_by("pk")
                ],
            }

        mail_after_commit(
            recipients=company_recipients(companies[company_id]),
            subject=gettext_lazy("A need your company adopted was changed: “%(title)s”"),
            subject_params={"title": need.title},
            body_template="etalase/email/need_changed_body.txt",
            context_builder=context,
        )


def need_photo_add(*, need: Need, actor: User, upload) -> NeedPhoto:
    """Add one photo (already checked by its content in the form)."""
    if need.photos.count() >= MAX_PHOTOS:
        raise NeedError(_("A need has at most %(max)s photos.") % {"max": MAX_PHOTOS})
    photo = NeedPhoto.objects.create(
        need=need, file=upload, original_name=filename_shorten(upload.name), uploaded_by=actor
    )
    need_event_record(need=need, actor=actor, action=A.PHOTO, note=photo.original_name)
    return photo


def need_transition(
    *, need: Need, actor: User, action: str, note: str = "", expected_status: str | None = None
) -> Need:
    """Apply one of Dinsos' decisions: approve, reject (reason required), mark done."""
    transition = TRANSITIONS[action]
    with transaction.atomic():
        locked = Need.objects.select_for_update().get(pk=need.pk)
        if not actor.is_dinsos:
            raise NeedError(_("Only Dinsos decides on needs."))
        if expected_status is not None and locked.status != expected_status:
            raise NeedError(
                _(
                    "The need changed meanwhile: it is now %(status)s. Reload the page and check it before you act."
                )
                % {"status": locked.get_status_display()}
            )
        if locked.status not in transition.allowed_from:
            raise NeedError(
                _("This cannot be done while the need is %(status)s.")
                % {"status": locked.get_status_display()}
            )
        note = note.strip()
        if transition.note_required and not note:
            raise NeedError(_("Write the reason, for the camat who proposed it."))
        from_status = locked.status
        locked.status = transition.to_status
        fields = ["status", "updated_at"]
        if action == A.REJECT:
            locked.reject_reason = note
            fields.append("reject_reason")
        locked.save(update_fields=fields)
        need_event_record(need=locked, actor=actor, action=action, note=note, from_status=from_status)
    need.refresh_from_db()
    return need


def need_approve(*, need: Need, actor: User, expected_status: str | None = None) -> Need:
    return need_transition(need=need, actor=actor, action=A.APPROVE, expected_status=expected_status)


def need_reject(*, need: Need, actor: User, note: str, expected_status: str | None = None) -> Need:
    return need_transition(
        need=need, actor=actor, action=A.REJECT, note=note, expected_status=expected_status
    )


def need_complete(*, need: Need, actor: User, expected_status: str | None = None) -> Need:
    return need_transition(need=need, actor=actor, action=A.COMPLETE, expected_status=expected_status)


def need_funded(need: Need) -> int:
    """Rupiah of the programs that adopted ``need`` and still stand."""
    return need.adoptions.counting().aggregate(total=Sum("program__budget"))["total"] or 0


@transaction.atomic
def need_adopt(*, need: Need, actor: User, expected_status: str | None = None) -> Program:
    """A draft program of the actor's company, pre-filled from the need and linked to it."""
    locked = Need.objects.select_for_update(of=("self",)).select_related("desa", "kecamatan").get(pk=need.pk)
    if not actor.is_company_member:
        raise NeedError(_("Only companies adopt needs."))
    if not actor.company.is_verified:
        raise NeedError(_("Your company must be verified by Dinsos before it adopts a need."))
    if locked.status not in Need.ADOPTABLE_STATUSES:
        raise NeedError(
            _("This need can no longer be adopted: it is %(status)s. No program was created.")
            % {"status": locked.get_status_display()}
        )
    remaining = locked.budget - need_funded(locked)
    if remaining <= 0:
        raise NeedError(
            _("The budget of this need is already covered by other programs. No program was created.")
        )
    today = timezone.localdate()
    program = Program(
        company=actor.company,
        tahun=today.year,
        title=locked.title[:200],
        bentuk=locked.bentuk,
        bidang=locked.bidang,
        description=locked.description,
        objective=_("Answer the need “%(title)s” of %(place)s in the etalase.")
        % {"title": locked.title, "place": locked.place},
        budget=remaining,
        start_date=today,
        end_date=datetime.date(today.year, 12, 31),
        target_households=locked.families,
    )
    desa = [locked.desa] if locked.desa_id else list(locked.kecamatan.desa_set.all())
    program_save(program=program, actor=actor, desa=desa)
    Adoption.objects.create(need=locked, program=program, created_by=actor)
    from_status = locked.status
    if locked.status == S.OPEN:
        locked.status = S.ADOPTED
        locked.save(update_fields=["status", "updated_at"])
    need_event_record(
        need=locked,
        actor=actor,
        action=A.ADOPT,
        from_status=from_status,
        note=_("%(company)s: program “%(title)s”") % {"company": actor.company.name, "title": program.title},
    )
    return program


def ring_desa_add(*, company, desa, actor: User) -> RingDesa:
    """Add ``desa`` to the company's ring 1 (unconfirmed until Dinsos confirms it); adding it twice is one."""
    if actor.company_id != company.pk:
        raise NeedError(_("Only the company's own members keep its ring-1 desa."))
    ring_desa, _created = RingDesa.objects.get_or_create(company=company, desa=desa)
    return ring_desa


def ring_desa_remove(*, company, ring_desa_id: int, actor: User) -> int:
    """Remove one of the company's ring-1 desa; returns how many were removed (0 if it was not its own)."""
    if actor.company_id != company.pk:
        raise NeedError(_("Only the company's own members keep its ring-1 desa."))
    deleted, _per_model = RingDesa.objects.filter(company=company, pk=ring_desa_id).delete()
    return deleted


def ring_desa_confirm(*, ring_desas, actor: User) -> int:
    """Dinsos confirms the ring-1 desa of ``ring_desas`` (a QuerySet) not yet confirmed; returns how many."""
    if not actor.is_dinsos:
        raise NeedError(_("Only Dinsos confirms ring-1 desa."))
    return ring_desas.filter(confirmed_at__isnull=True).update(
        confirmed_at=timezone.now(), confirmed_by=actor
    )
