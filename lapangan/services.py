"""Field officers, and the events their phones send: received once, applied in time order, never dropped.

Every event is kept as it arrived the first time (sending it again changes nothing). Per household, the
ledger shows the latest accepted event by the time it was recorded, applied through the delivery service a
desk entry uses, so the dashboards and the household ledger see it the same way. The order in which events
arrive does not matter: whatever the order, the household ends in the state of its latest accepted event.
"""

import datetime
import io
import uuid
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from accounts.models import User
from lapangan.models import FieldAssignment, FieldCheck, FieldEvent, FieldPhoto, FieldSync, FieldVisit
from programs.models import Beneficiary, Program
from programs.services.delivery import (
    REPORTED_STATES,
    DeliveryRow,
    beneficiaries_report_delivery,
    delivery_rows_check,
)
from programs.services.program import ProgramError

# A phone whose clock differs from the server's by more than this is flagged, and its times corrected.
CLOCK_TOLERANCE = datetime.timedelta(minutes=15)
PHOTO_MAX_BYTES = 400 * 1024
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_EVENTS_PER_BATCH = 200

E = FieldEvent.Outcome
B = Beneficiary.State


class FieldError(ProgramError):
    """A field request that cannot be carried out."""


# --- officers and assignments -----------------------------------------------------------------------------


def _check_owner(program: Program, actor: User) -> None:
    if not (actor.is_company_owner and actor.company_id == program.company_id):
        raise FieldError(_("Only the company's owner can assign field officers."))


@transaction.atomic
def officer_assign(*, program: Program, officer: User, actor: User) -> FieldAssignment:
    """Assign a field officer of the company to a running program (idempotent)."""
    _check_owner(program, actor)
    if program.status != Program.Status.RUNNING:
        raise FieldError(_("Field officers can be assigned only while the program is running."))
    if not (officer.is_company_member and officer.company_id == program.company_id):
        raise FieldError(_("This account is not a member of your company."))
    if officer.company_role != User.CompanyRole.FIELD:
        raise FieldError(_("Only field officers can be assigned; add the account as a field officer first."))
    assignment = FieldAssignment.objects.active().filter(program=program, officer=officer).first()
    if assignment is None:
        assignment = FieldAssignment.objects.create(program=program, officer=officer, assigned_by=actor)
    return assignment


@transaction.atomic
def officer_unassign(*, program: Program, officer: User, actor: User) -> int:
    """End the officer's assignment: their phone removes the program's data at the next sync."""
    _check_owner(program, actor)
    return (
        FieldAssignment.objects.active()
        .filter(program=program, officer=officer)
        .update(ended_at=timezone.now(), ended_by=actor)
    )


def assigned_programs(officer: User):
    """The running programs the officer records for now."""
    if not officer.is_field_officer:
        return Program.objects.none()
    return Program.objects.filter(
        company_id=officer.company_id,
        status=Program.Status.RUNNING,
        field_assignments__officer=officer,
        field_assignments__ended_at__isnull=True,
    ).distinct()


def sync_record(officer: User, *, download: bool = False) -> None:
    now = timezone.now()
    defaults = {"last_sync_at": now}
    if download:
        defaults["last_download_at"] = now
    FieldSync.objects.update_or_create(officer=officer, defaults=defaults)


# --- events ----------------------------------------------------------------------------------------------


@dataclass
class EventResult:
    id: str
    status: str
    reason: str = ""
    current: bool = False

    def as_dict(self) -> dict:
        return {"id": self.id, "status": self.status, "reason": self.reason, "current": self.current}


def _when(raw: dict, *, offset: datetime.timedelta, now: datetime.datetime):
    """(time on the phone, the time it happened, clock flag) of what the phone sent, or ``None``.

    A phone whose clock is far off is flagged and its time corrected by the offset; nothing happens in the
    future."""
    phone_time = parse_datetime(str(raw.get("time") or ""))
    if phone_time is None:
        return None
    if timezone.is_naive(phone_time):
        phone_time = timezone.make_aware(phone_time, datetime.UTC)
    flagged = abs(offset) > CLOCK_TOLERANCE
    occurred_at = phone_time + offset if flagged else phone_time
    return phone_time, min(occurred_at, now), flagged or phone_time > now + CLOCK_TOLERANCE - offset


def _where(raw: dict) -> tuple:
    """The location the phone sent, or (None, None) when it is missing or not a place on Earth."""
    if raw.get("lat") is None or raw.get("lon") is None:
        return None, None
    try:
        latitude, longitude = round(float(raw["lat"]), 6), round(float(raw["lon"]), 6)
    except (TypeError, ValueError):
        return None, None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None, None
    return latitude, longitude


def _ids(raw: dict) -> tuple[uuid.UUID, int] | None:
    try:
        return uuid.UUID(str(raw.get("id"))), int(raw.get("beneficiary"))
    except (TypeError, ValueError):
        return None


def _parse(raw: dict, *, offset: datetime.timedelta, now: datetime.datetime) -> FieldEvent | str:
    """A :class:`FieldEvent` (not saved) from what the phone sent, or the message saying what is wrong."""
    ids = _ids(raw)
    if ids is None:
        return _("The record has no valid id or household.")
    outcome = raw.get("outcome")
    if outcome not in E.values:
        return _("Unknown status.")
    when = _when(raw, offset=offset, now=now)
    if when is None:
        return _("The record has no valid time.")
    corrects = None
    if raw.get("corrects"):
        try:
            corrects = uuid.UUID(str(raw["corrects"]))
        except ValueError:
            return _("The record has no valid id or household.")
    latitude, longitude = _where(raw)
    return FieldEvent(
        id=ids[0],
        beneficiary_id=ids[1],
        outcome=outcome,
        reason=str(raw.get("reason") or "")[:10] if outcome == E.NOT_DELIVERED else "",
        recipient_name=str(raw.get("recipient") or "").strip()[:120],
        corrects=corrects,
        latitude=latitude,
        longitude=longitude,
        phone_time=when[0],
        clock_offset=int(offset.total_seconds()),
        occurred_at=when[1],
        clock_flag=when[2],
    )


def _judge(event: FieldEvent, beneficiary: Beneficiary, assigned: bool) -> None:
    """Set the event's status: held when the officer is no longer assigned, rejected with the reason when
    the server refuses it, accepted otherwise."""
    program = beneficiary.program
    event.status = FieldEvent.Status.ACCEPTED
    if not assigned:
        event.status = FieldEvent.Status.HELD
        event.rejection = _("You are no longer assigned to this program: the record is kept but not applied.")
    elif program.status != Program.Status.RUNNING:
        event.status = FieldEvent.Status.REJECTED
        event.rejection = _("The program is no longer running (%(status)s).") % {
            "status": program.get_status_display()
        }
    elif beneficiary.state not in REPORTED_STATES:
        event.status = FieldEvent.Status.REJECTED
        event.rejection = _(
            "This household is no longer on the program's list (removed by Dinsos, for example under the "
            "double-assistance rule)."
        )
    elif event.outcome == E.NOT_DELIVERED and event.reason not in Beneficiary.NotDeliveredReason.values:
        event.status = FieldEvent.Status.REJECTED
        event.rejection = _("Say why it was not delivered: moved, deceased, refused or not found.")


def _row(event: FieldEvent, program: Program) -> DeliveryRow:
    delivered = event.outcome == E.DELIVERED
    return DeliveryRow(
        beneficiary_id=event.beneficiary_id,
        state=event.outcome,
        reason=event.reason,
        delivered_on=timezone.localdate(event.occurred_at) if delivered else None,
        value=program.value_per_household if delivered else None,
    )


def _settle(program: Program, beneficiary_ids: set[int]) -> None:
    """Bring the ledger of these households to their latest accepted event and recompute the conflicts.

    The result depends only on the set of events held, never on the order they arrived in.
    """
    events = list(
        FieldEvent.objects.filter(beneficiary_id__in=beneficiary_ids, status=FieldEvent.Status.ACCEPTED)
        .select_related("officer")
        .order_by("beneficiary_id", "occurred_at", "id")
    )
    by_beneficiary: dict[int, list[FieldEvent]] = {}
    for event in events:
        by_beneficiary.setdefault(event.beneficiary_id, []).append(event)
    winners = {bid: evs[-1] for bid, evs in by_beneficiary.items()}
    # A desk entry made after the field's latest word stands: the field word arrived late (a phone that
    # synced days later) and does not overwrite it. It is kept, not applied, and flagged when it differs.
    desk = {
        b.pk: b
        for b in Beneficiary.objects.filter(
            pk__in=list(winners), reported_in_field=False, reported_at__isnull=False
        ).only("pk", "state", "not_delivered_reason", "reported_at")
    }
    overruled: dict[int, FieldEvent] = {}
    for bid, event in list(winners.items()):
        entry = desk.get(bid)
        if entry is not None and entry.reported_at > event.occurred_at:
            overruled[bid] = winners.pop(bid)
    # The service refuses a row that is wrong for the ledger (a date in the future, say): that event is
    # rejected with the service's words and the one before it wins.
    while True:
        rows = {bid: _row(event, program) for bid, event in winners.items() if not event.is_current}
        errors = delivery_rows_check(program=program, rows=list(rows.values())) if rows else {}
        if not errors:
            break
        for bid, messages in errors.items():
            loser = winners.pop(bid)
            FieldEvent.objects.filter(pk=loser.pk).update(
                status=FieldEvent.Status.REJECTED,
                rejection=" ".join(str(m) for m in messages),
                is_current=False,
            )
            by_beneficiary[bid] = [e for e in by_beneficiary[bid] if e.pk != loser.pk]
            if by_beneficiary[bid]:
                winners[bid] = by_beneficiary[bid][-1]
                entry = desk.get(bid)
                if entry is not None and entry.reported_at > winners[bid].occurred_at:
                    overruled[bid] = winners.pop(bid)
    if overruled:
        FieldEvent.objects.filter(beneficiary_id__in=list(overruled), is_current=True).update(
            is_current=False
        )
        FieldEvent.objects.filter(pk__in=[e.pk for e in overruled.values()]).update(
            rejection=_("A later entry at the desk stands; this record is kept but not applied.")
        )
    pending = [event for event in winners.values() if not event.is_current]
    by_officer: dict[int, list[FieldEvent]] = {}
    for event in pending:
        by_officer.setdefault(event.officer_id, []).append(event)
    for officer_events in by_officer.values():
        beneficiaries_report_delivery(
            program=program,
            actor=officer_events[0].officer,
            rows=[_row(event, program) for event in officer_events],
            in_field=True,
        )
    if pending:
        FieldEvent.objects.filter(beneficiary_id__in=beneficiary_ids, is_current=True).exclude(
            pk__in=[e.pk for e in winners.values()]
        ).update(is_current=False)
        FieldEvent.objects.filter(pk__in=[e.pk for e in pending]).update(is_current=True)
    # Conflicts: two officers whose last word on a household differs. Every event of theirs that is that
    # last word is flagged; an earlier word an officer corrected is not.
    conflicting, calm = [], []
    for bid, evs in by_beneficiary.items():
        last = {}
        for event in evs:
            last[event.officer_id] = event
        words = {(e.outcome, e.reason) for e in last.values()}
        if bid in overruled:
            entry = desk[bid]
            words.add((entry.state, entry.not_delivered_reason))
        flagged = {e.pk for e in last.values()} if len(words) > 1 else set()
        for event in evs:
            (conflicting if event.pk in flagged else calm).append(event.pk)
    FieldEvent.objects.filter(pk__in=conflicting, conflict=False).update(conflict=True)
    FieldEvent.objects.filter(pk__in=calm, conflict=True).update(conflict=False)


def events_receive(
    *, officer: User, events: list[dict], phone_now: datetime.datetime | None = None
) -> list[dict]:
    """Receive what the officer's phone sends; return one result per event, in the order sent.

    Statuses: ``accepted`` (``current`` when the ledger shows it), ``rejected`` or ``held`` with the reason,
    ``invalid`` (not stored: it names no household the officer may record for). An event already received
    answers with its stored status and changes nothing.
    """
    if len(events) > MAX_EVENTS_PER_BATCH:
        raise FieldError(_("Send at most %(count)s records at once.") % {"count": MAX_EVENTS_PER_BATCH})
    now = timezone.now()
    offset = (now - phone_now) if phone_now else datetime.timedelta(0)
    results: dict[int, EventResult] = {}
    parsed: dict[int, FieldEvent] = {}
    for index, raw in enumerate(events):
        event = _parse(raw if isinstance(raw, dict) else {}, offset=offset, now=now)
        if isinstance(event, str):
            results[index] = EventResult(
                str(raw.get("id", "")) if isinstance(raw, dict) else "", "invalid", event
            )
        else:
            parsed[index] = event
    with transaction.atomic():
        beneficiaries = {
            b.pk: b
            for b in Beneficiary.objects.select_related("program").filter(
                pk__in={e.beneficiary_id for e in parsed.values()}, program__company_id=officer.company_id
            )
        }
        program_ids = sorted({b.program_id for b in beneficiaries.values()})
        # One program at a time, always in the same order, so that two phones syncing at once wait for each
        # other instead of deadlocking.
        programs = {
            p.pk: p for p in Program.objects.select_for_update().filter(pk__in=program_ids).order_by("pk")
        }
        assigned = set(
            FieldAssignment.objects.active()
            .filter(officer=officer, program_id__in=program_ids)
            .values_list("program_id", flat=True)
        )
        if not officer.is_field_officer:
            assigned = set()
        known = {
            e.pk: e
            for e in FieldEvent.objects.filter(pk__in=[e.id for e in parsed.values()]).only(
                "id", "status", "rejection", "is_current"
            )
        }
        fresh: dict[uuid.UUID, FieldEvent] = {}
        for index, event in parsed.items():
            beneficiary = beneficiaries.get(event.beneficiary_id)
            if event.id in known or event.id in fresh:
                continue
            if beneficiary is None:
                results[index] = EventResult(
                    str(event.id), "invalid", _("This household is not on this program's list.")
                )
                continue
            beneficiary.program = programs[beneficiary.program_id]
            event.program_id = beneficiary.program_id
            event.officer = officer
            _judge(event, beneficiary, beneficiary.program_id in assigned)
            fresh[event.id] = event
        FieldEvent.objects.bulk_create(fresh.values())
        touched: dict[int, set[int]] = {}
        for event in fresh.values():
            if event.status == FieldEvent.Status.ACCEPTED:
                touched.setdefault(event.program_id, set()).add(event.beneficiary_id)
        for program_id in sorted(touched):
            _settle(programs[program_id], touched[program_id])
        stored = {
            e.pk: e
            for e in FieldEvent.objects.filter(pk__in=[e.id for e in parsed.values()]).only(
                "id", "status", "rejection", "is_current"
            )
        }
        sync_record(officer)
    for index, event in parsed.items():
        if index in results:
            continue
        saved = stored.get(event.id)
        if saved is None:
            results[index] = EventResult(
                str(event.id), "invalid", _("This household is not on this program's list.")
            )
        else:
            results[index] = EventResult(str(saved.pk), saved.status, saved.rejection, saved.is_current)
    return [results[index].as_dict() for index in range(len(events))]


def event_photo_store(*, officer: User, event_id: str, upload) -> FieldPhoto:
    """Keep the photo of one of the officer's events once; refuse what is not an image or is too large."""
    from PIL import Image, UnidentifiedImageError

    try:
        event = FieldEvent.objects.get(pk=uuid.UUID(str(event_id)), officer=officer)
    except (ValueError, FieldEvent.DoesNotExist):
        raise FieldError(_("Send the record before its photo.")) from None
    existing = FieldPhoto.objects.filter(event=event).first()
    if existing is not None:
        return existing
    if upload.size > PHOTO_MAX_BYTES:
        raise FieldError(
            _("The photo is too large (%(size)s KB); at most %(max)s KB.")
            % {"size": upload.size // 1024, "max": PHOTO_MAX_BYTES // 1024}
        )
    content = upload.read()
    try:
        image = Image.open(io.BytesIO(content))
        image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise FieldError(_("This file is not a photo (JPEG, PNG or WebP).")) from None
    if image.format not in PHOTO_FORMATS:
        raise FieldError(_("This file is not a photo (JPEG, PNG or WebP)."))
    photo = FieldPhoto(event=event, size=len(content))
    photo.file.save(f"{event.pk}.jpg", ContentFile(content), save=False)
    photo.save()
    return photo


@transaction.atomic
def conflict_resolve(*, event: FieldEvent, actor: User) -> int:
    """Dinsos marks the conflict on this event's household as settled (after a visit or a call)."""
    if not actor.is_dinsos:
        raise FieldError(_("Only Dinsos resolves conflicts."))
    return FieldEvent.objects.filter(
        beneficiary_id=event.beneficiary_id, conflict=True, resolved_at__isnull=True
    ).update(resolved_at=timezone.now(), resolved_by=actor)


# --- Dinsos verification visits ---------------------------------------------------------------------------

V = FieldCheck.Verdict


def _check_dinsos(actor: User) -> None:
    if not actor.is_dinsos:
        raise FieldError(_("Only Dinsos verifies deliveries in the field."))


@transaction.atomic
def visit_plan(*, program: Program, beneficiaries: list[Beneficiary], actor: User) -> FieldVisit:
    """Take these households (the day's sample) to the verifier's field app, until the visit is closed."""
    _check_dinsos(actor)
    if not beneficiaries:
        raise FieldError(
            _("There is nothing to verify: no household was recorded as delivered in the field.")
        )
    if FieldVisit.objects.open().filter(program=program, verifier=actor).exists():
        raise FieldError(
            _("You already have an open visit for this program on your field app; close it first.")
        )
    visit = FieldVisit.objects.create(program=program, verifier=actor)
    visit.beneficiaries.set([b for b in beneficiaries if b.program_id == program.pk])
    return visit


@transaction.atomic
def visit_close(*, visit: FieldVisit, actor: User) -> None:
    """Close the visit: its households leave the verifier's phone at the next sync; its findings stay."""
    _check_dinsos(actor)
    if visit.verifier_id != actor.pk:
        raise FieldError(_("Only the verifier who planned the visit closes it."))
    FieldVisit.objects.filter(pk=visit.pk, closed_at__isnull=True).update(closed_at=timezone.now())


def visits_open(verifier: User):
    return FieldVisit.objects.open().filter(verifier=verifier).select_related("program__company")


def visit_findings(visit: FieldVisit, checks=None) -> dict[int, FieldCheck]:
    """The latest check of each household of the visit, by the time it was recorded (from ``checks`` when
    the caller fetched them already)."""
    if checks is None:
        checks = FieldCheck.objects.filter(visit=visit)
    latest: dict[int, FieldCheck] = {}
    for check in sorted(checks, key=lambda c: (c.occurred_at, str(c.pk))):
        latest[check.beneficiary_id] = check
    return latest


def checks_receive(
    *, verifier: User, events: list[dict], phone_now: datetime.datetime | None = None
) -> list[dict]:
    """Receive the checks a verifier's phone sends; one result per check, in the order sent.

    A check names a household of one of the verifier's visits (a visit closed while the phone was offline
    still takes the checks made before). A check already received answers as before and changes nothing.
    """
    if len(events) > MAX_EVENTS_PER_BATCH:
        raise FieldError(_("Send at most %(count)s records at once.") % {"count": MAX_EVENTS_PER_BATCH})
    now = timezone.now()
    offset = (now - phone_now) if phone_now else datetime.timedelta(0)
    visits = {
        beneficiary_id: visit_id
        for visit_id, beneficiary_id in FieldVisit.beneficiaries.through.objects.filter(
            fieldvisit__verifier=verifier
        )
        .order_by("fieldvisit__created_at")
        .values_list("fieldvisit_id", "beneficiary_id")
    }
    results: list[EventResult] = []
    fresh: dict[uuid.UUID, FieldCheck] = {}
    sent_ids = [ids[0] for raw in events if isinstance(raw, dict) and (ids := _ids(raw))]
    known = set(FieldCheck.objects.filter(pk__in=sent_ids).values_list("pk", flat=True))
    for raw in events:
        raw = raw if isinstance(raw, dict) else {}
        ids = _ids(raw)
        if ids is None:
            results.append(
                EventResult(str(raw.get("id", "")), "invalid", _("The record has no valid id or household."))
            )
            continue
        if ids[0] in known or ids[0] in fresh:
            results.append(EventResult(str(ids[0]), "accepted", current=True))
            continue
        if ids[1] not in visits:
            results.append(
                EventResult(str(ids[0]), "invalid", _("This household is not in any of your visits."))
            )
            continue
        verdict = raw.get("outcome")
        if verdict not in V.values:
            results.append(EventResult(str(ids[0]), "invalid", _("Unknown status.")))
            continue
        when = _when(raw, offset=offset, now=now)
        if when is None:
            results.append(EventResult(str(ids[0]), "invalid", _("The record has no valid time.")))
            continue
        latitude, longitude = _where(raw)
        fresh[ids[0]] = FieldCheck(
            id=ids[0],
            visit_id=visits[ids[1]],
            beneficiary_id=ids[1],
            verdict=verdict,
            note=str(raw.get("note") or "").strip()[:500],
            latitude=latitude,
            longitude=longitude,
            phone_time=when[0],
            occurred_at=when[1],
            clock_flag=when[2],
        )
        results.append(EventResult(str(ids[0]), "accepted", current=True))
    with transaction.atomic():
        FieldCheck.objects.bulk_create(fresh.values(), ignore_conflicts=True)
        sync_record(verifier)
    return [result.as_dict() for result in results]
