"""Field events: received once, applied in time order through the delivery service, conflicts flagged."""

import datetime
import random
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from lapangan import services
from lapangan.models import FieldAssignment, FieldEvent, FieldPhoto, FieldSync
from programs.models import Beneficiary, Program, ProgramEvent
from programs.services import delivery
from tests.lapangan.conftest import field_officer
from tests.programs.delivery_helpers import listed

B = Beneficiary.State
NOW = timezone.now()


def event(beneficiary, outcome="delivered", *, minutes_ago=60, reason="", **extra):
    return {
        "id": str(uuid.uuid4()),
        "beneficiary": beneficiary.pk,
        "outcome": outcome,
        "reason": reason,
        "time": (NOW - datetime.timedelta(minutes=minutes_ago)).isoformat(),
        **extra,
    }


def states(program):
    return {b.pk: (b.state, b.not_delivered_reason) for b in listed(program)}


# --- assignments ---------------------------------------------------------------------------------------------


def test_owner_assigns_a_field_officer_once(program, owner, company):
    user = field_officer(company, "lapangan1")
    first = services.officer_assign(program=program, officer=user, actor=owner)
    again = services.officer_assign(program=program, officer=user, actor=owner)
    assert first == again and first.assigned_by == owner
    assert list(services.assigned_programs(user)) == [program]


def test_only_the_owner_assigns(program, editor, company):
    user = field_officer(company, "lapangan1")
    with pytest.raises(services.FieldError, match="pemilik"):
        services.officer_assign(program=program, officer=user, actor=editor)
    assert not FieldAssignment.objects.exists()


def test_an_editor_is_not_a_field_officer(program, owner, editor):
    with pytest.raises(services.FieldError, match="petugas lapangan"):
        services.officer_assign(program=program, officer=editor, actor=owner)


def test_another_company_member_cannot_be_assigned(program, owner, other_company):
    stranger = field_officer(other_company, "asing")
    with pytest.raises(services.FieldError, match="bukan anggota"):
        services.officer_assign(program=program, officer=stranger, actor=owner)


def test_only_running_programs_take_officers(program, owner, company):
    Program.objects.filter(pk=program.pk).update(status=Program.Status.COMPLETED)
    program.refresh_from_db()
    with pytest.raises(services.FieldError, match="berjalan"):
        services.officer_assign(program=program, officer=field_officer(company, "x"), actor=owner)


def test_unassigned_officer_sees_no_program(program, owner, officer):
    assert services.officer_unassign(program=program, officer=officer, actor=owner) == 1
    assert not services.assigned_programs(officer).exists()
    # Assigned again later: a new assignment, the old one kept as history.
    services.officer_assign(program=program, officer=officer, actor=owner)
    assert FieldAssignment.objects.filter(officer=officer).count() == 2


# --- events ----------------------------------------------------------------------------------------------


def test_a_field_event_goes_through_the_delivery_service(program, officer):
    first = listed(program)[0]
    sent = event(first, recipient="Siti (istri)")
    [result] = services.events_receive(officer=officer, events=[sent], phone_now=NOW)
    assert result == {"id": sent["id"], "status": "accepted", "reason": "", "current": True}
    first.refresh_from_db()
    assert first.state == B.DELIVERED and first.reported_in_field and first.reported_by == officer
    assert first.delivered_on == timezone.localdate(NOW - datetime.timedelta(minutes=60))
    assert first.delivered_value == program.value_per_household
    assert (
        ProgramEvent.objects.filter(program=program, action=ProgramEvent.Action.REPORT, actor=officer).count()
        == 1
    )
    stored = FieldEvent.objects.get()
    assert stored.recipient_name == "Siti (istri)" and stored.officer == officer
    assert FieldSync.objects.get(officer=officer).last_sync_at


def test_sending_an_event_twice_changes_nothing(program, officer):
    first = listed(program)[0]
    sent = event(first)
    services.events_receive(officer=officer, events=[sent], phone_now=NOW)
    before = ProgramEvent.objects.count()
    results = services.events_receive(officer=officer, events=[sent, sent], phone_now=NOW)
    assert [r["status"] for r in results] == ["accepted", "accepted"]
    assert FieldEvent.objects.count() == 1 and ProgramEvent.objects.count() == before


def test_a_correction_is_a_new_event_and_wins_by_time(program, officer):
    first = listed(program)[0]
    mistake = event(first, minutes_ago=30)
    correction = event(first, "confirmed", minutes_ago=20, corrects=mistake["id"])
    # The correction arrives first; the mistake, older, arrives later and does not undo it.
    services.events_receive(officer=officer, events=[correction], phone_now=NOW)
    services.events_receive(officer=officer, events=[mistake], phone_now=NOW)
    first.refresh_from_db()
    assert first.state == B.CONFIRMED and first.reported_at is None
    assert FieldEvent.objects.count() == 2
    assert FieldEvent.objects.get(pk=correction["id"]).is_current
    assert str(FieldEvent.objects.get(pk=correction["id"]).corrects) == mistake["id"]


def test_not_delivered_needs_a_reason(program, officer):
    first = listed(program)[0]
    [result] = services.events_receive(officer=officer, events=[event(first, "not_delivered")], phone_now=NOW)
    assert result["status"] == "rejected" and "pindah" in result["reason"]
    first.refresh_from_db()
    assert first.state == B.CONFIRMED


def test_a_household_removed_from_the_program_is_rejected_with_the_reason(program, officer):
    first = listed(program)[0]
    # Removed by Dinsos while the officer was offline (its claims on the bidang go with it).
    Beneficiary.objects.filter(pk=first.pk).update(state=B.REMOVED, removed_reason="Pindah")
    [result] = services.events_receive(officer=officer, events=[event(first)], phone_now=NOW)
    assert result["status"] == "rejected"
    assert "tidak lagi" in result["reason"]
    first.refresh_from_db()
    assert first.state == B.REMOVED


def test_an_officer_removed_while_offline_is_received_flagged_not_applied(program, officer, owner):
    first = listed(program)[0]
    services.officer_unassign(program=program, officer=officer, actor=owner)
    [result] = services.events_receive(officer=officer, events=[event(first)], phone_now=NOW)
    assert result["status"] == "held" and "tidak lagi ditugaskan" in result["reason"]
    assert FieldEvent.objects.get().status == FieldEvent.Status.HELD
    first.refresh_from_db()
    assert first.state == B.CONFIRMED


def test_another_company_household_is_not_stored(program, officer, other_owner, dinsos, other_company):
    from tests.programs.delivery_helpers import running_program

    theirs = running_program(company=other_company, dinsos=dinsos, households=1)
    [result] = services.events_receive(officer=officer, events=[event(listed(theirs)[0])], phone_now=NOW)
    assert result["status"] == "invalid"
    assert not FieldEvent.objects.exists()


def test_malformed_events_are_answered_not_stored(program, officer):
    first = listed(program)[0]
    results = services.events_receive(
        officer=officer,
        events=[{"id": "x"}, {**event(first), "time": "kemarin"}, {**event(first), "outcome": "lost"}],
        phone_now=NOW,
    )
    assert [r["status"] for r in results] == ["invalid"] * 3
    assert not FieldEvent.objects.exists()


def test_too_many_events_at_once_are_refused(officer):
    with pytest.raises(services.FieldError, match="200"):
        services.events_receive(officer=officer, events=[{}] * 201, phone_now=NOW)


def test_a_phone_clock_a_year_off_is_flagged_and_its_times_corrected(program, officer):
    first = listed(program)[0]
    year = datetime.timedelta(days=365)
    now = timezone.now()
    sent = event(first, minutes_ago=60)
    sent["time"] = (now - datetime.timedelta(minutes=60) - year).isoformat()
    services.events_receive(officer=officer, events=[sent], phone_now=now - year)
    stored = FieldEvent.objects.get()
    assert stored.clock_flag
    assert abs(stored.clock_offset - year.total_seconds()) < 5
    assert abs((stored.occurred_at - (now - datetime.timedelta(minutes=60))).total_seconds()) < 5
    assert stored.phone_time < now - datetime.timedelta(days=300)
    first.refresh_from_db()
    assert first.delivered_on == timezone.localdate(stored.occurred_at)


def test_a_small_clock_difference_is_not_flagged(program, officer):
    services.events_receive(
        officer=officer, events=[event(listed(program)[0])], phone_now=NOW - datetime.timedelta(minutes=2)
    )
    assert not FieldEvent.objects.get().clock_flag


def test_a_time_ahead_of_the_phone_clock_is_flagged_and_not_in_the_future(program, officer):
    sent = event(listed(program)[0], minutes_ago=-600)
    services.events_receive(officer=officer, events=[sent], phone_now=timezone.now())
    stored = FieldEvent.objects.get()
    assert stored.clock_flag and stored.occurred_at <= timezone.now()
    assert stored.status == FieldEvent.Status.ACCEPTED


def test_two_officers_disagreeing_are_both_applied_in_time_order_and_flagged(
    program, officer, second_officer
):
    first = listed(program)[0]
    early = event(first, minutes_ago=90)
    late = event(first, "not_delivered", reason="not_found", minutes_ago=30)
    services.events_receive(officer=second_officer, events=[late], phone_now=NOW)
    services.events_receive(officer=officer, events=[early], phone_now=NOW)
    first.refresh_from_db()
    assert (first.state, first.not_delivered_reason) == (B.NOT_DELIVERED, "not_found")
    assert first.reported_by == second_officer
    assert set(FieldEvent.objects.values_list("conflict", flat=True)) == {True}
    assert FieldEvent.objects.count() == 2


def test_officers_agreeing_are_not_a_conflict(program, officer, second_officer):
    first = listed(program)[0]
    services.events_receive(officer=officer, events=[event(first, minutes_ago=50)], phone_now=NOW)
    services.events_receive(officer=second_officer, events=[event(first, minutes_ago=40)], phone_now=NOW)
    assert not FieldEvent.objects.filter(conflict=True).exists()


def test_a_corrected_record_no_longer_conflicts(program, officer, second_officer):
    first = listed(program)[0]
    wrong = event(first, "not_delivered", reason="refused", minutes_ago=50)
    services.events_receive(officer=officer, events=[wrong], phone_now=NOW)
    services.events_receive(officer=second_officer, events=[event(first, minutes_ago=45)], phone_now=NOW)
    assert FieldEvent.objects.filter(conflict=True).count() == 2
    services.events_receive(officer=officer, events=[event(first, minutes_ago=40)], phone_now=NOW)
    assert not FieldEvent.objects.filter(conflict=True).exists()


def test_dinsos_resolves_a_conflict(program, officer, second_officer, dinsos):
    first = listed(program)[0]
    services.events_receive(officer=officer, events=[event(first, minutes_ago=50)], phone_now=NOW)
    services.events_receive(
        officer=second_officer, events=[event(first, "not_delivered", reason="moved")], phone_now=NOW
    )
    assert services.conflict_resolve(event=FieldEvent.objects.first(), actor=dinsos) == 2
    with pytest.raises(services.FieldError, match="Dinsos"):
        services.conflict_resolve(event=FieldEvent.objects.first(), actor=officer)


def test_events_of_a_program_no_longer_running_are_rejected(program, officer):
    Program.objects.filter(pk=program.pk).update(status=Program.Status.COMPLETED)
    [result] = services.events_receive(officer=officer, events=[event(listed(program)[0])], phone_now=NOW)
    assert result["status"] == "rejected" and "Selesai" in result["reason"]


def test_random_replay_equals_straight_replay_in_time_order(program, officer, second_officer, owner, company):
    """Shuffled, duplicated, split into batches of any size: the ledger ends as a straight replay does."""
    rng = random.Random(20261204)
    third = field_officer(company, "petugas3")
    services.officer_assign(program=program, officer=third, actor=owner)
    officers = [officer, second_officer, third]
    households = listed(program)
    outcomes = [
        ("delivered", ""),
        ("not_delivered", "moved"),
        ("not_delivered", "refused"),
        ("confirmed", ""),
    ]
    made = []
    for n in range(120):
        outcome, reason = rng.choice(outcomes)
        who = rng.choice(officers)
        made.append((who, event(rng.choice(households), outcome, reason=reason, minutes_ago=5000 - n * 37)))
    # The expected ledger: each household in the state of its latest event in time order.
    expected = {b.pk: (B.CONFIRMED, "") for b in households}
    for _who, sent in sorted(made, key=lambda pair: (pair[1]["time"], pair[1]["id"])):
        expected[sent["beneficiary"]] = (
            sent["outcome"],
            sent["reason"] if sent["outcome"] == "not_delivered" else "",
        )
    deliveries = made + rng.sample(made, 80)
    rng.shuffle(deliveries)
    while deliveries:
        size = rng.randint(1, 25)
        batch, deliveries = deliveries[:size], deliveries[size:]
        for who in officers:
            mine = [sent for w, sent in batch if w == who]
            if mine:
                services.events_receive(officer=who, events=mine, phone_now=NOW)
    assert states(program) == expected
    assert FieldEvent.objects.count() == 120
    assert FieldEvent.objects.filter(is_current=True).count() == len({s["beneficiary"] for _w, s in made})
    # The same events replayed straight, in time order, on a fresh copy of the program agree.
    for b in households:
        latest = FieldEvent.objects.filter(beneficiary=b).order_by("occurred_at", "id").last()
        if latest:
            assert latest.is_current


# --- photos ------------------------------------------------------------------------------------------------


def jpeg(size=(64, 48)):
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_a_photo_is_kept_once(program, officer):
    sent = event(listed(program)[0])
    services.events_receive(officer=officer, events=[sent], phone_now=NOW)
    photo = services.event_photo_store(
        officer=officer, event_id=sent["id"], upload=SimpleUploadedFile("a.jpg", jpeg(), "image/jpeg")
    )
    again = services.event_photo_store(
        officer=officer, event_id=sent["id"], upload=SimpleUploadedFile("a.jpg", jpeg(), "image/jpeg")
    )
    assert photo == again and FieldPhoto.objects.count() == 1 and photo.size == len(jpeg())


def test_a_file_that_is_not_an_image_is_refused(program, officer):
    sent = event(listed(program)[0])
    services.events_receive(officer=officer, events=[sent], phone_now=NOW)
    with pytest.raises(services.FieldError, match="bukan foto"):
        services.event_photo_store(
            officer=officer,
            event_id=sent["id"],
            upload=SimpleUploadedFile("a.jpg", b"%PDF-1.4 x" * 50, "image/jpeg"),
        )
    assert not FieldPhoto.objects.exists()


def test_a_huge_photo_is_refused(program, officer):
    sent = event(listed(program)[0])
    services.events_receive(officer=officer, events=[sent], phone_now=NOW)
    with pytest.raises(services.FieldError, match="terlalu besar"):
        services.event_photo_store(
            officer=officer,
            event_id=sent["id"],
            upload=SimpleUploadedFile("a.jpg", b"\xff" * (services.PHOTO_MAX_BYTES + 1), "image/jpeg"),
        )


def test_a_photo_needs_its_event_from_the_same_officer(program, officer, second_officer):
    sent = event(listed(program)[0])
    services.events_receive(officer=officer, events=[sent], phone_now=NOW)
    with pytest.raises(services.FieldError, match="Kirim catatan"):
        services.event_photo_store(
            officer=second_officer,
            event_id=sent["id"],
            upload=SimpleUploadedFile("a.jpg", jpeg(), "image/jpeg"),
        )


def test_the_desk_service_records_who_reported(program, owner, pks):
    first = listed(program)[0]
    delivery.beneficiaries_report_delivery(
        program=program,
        actor=owner,
        rows=[delivery.DeliveryRow(first.pk, B.DELIVERED, delivered_on=datetime.date.today())],
    )
    first.refresh_from_db()
    assert first.reported_by == owner and not first.reported_in_field


def test_field_officer_role(officer, editor):
    assert officer.is_field_officer and officer.company_role == User.CompanyRole.FIELD
    assert not editor.is_field_officer


def desk_report(program, actor, beneficiary, state, *, reason="", minutes_ago=0):
    """A desk entry saved ``minutes_ago`` (the service stamps the server's time; the test moves it back)."""
    delivery.beneficiaries_report_delivery(
        program=program,
        actor=actor,
        rows=[
            delivery.DeliveryRow(
                beneficiary.pk,
                state,
                reason=reason,
                delivered_on=datetime.date.today() if state == B.DELIVERED else None,
                value=program.value_per_household if state == B.DELIVERED else None,
            )
        ],
    )
    Beneficiary.objects.filter(pk=beneficiary.pk).update(
        reported_at=timezone.now() - datetime.timedelta(minutes=minutes_ago)
    )


def test_a_field_record_older_than_a_desk_entry_does_not_overwrite_it(program, officer, owner):
    first = listed(program)[0]
    desk_report(program, owner, first, B.NOT_DELIVERED, reason="moved", minutes_ago=10)
    # The phone recorded "delivered" an hour ago and synced only now: the desk's later word stands.
    late = event(first, minutes_ago=60)
    [result] = services.events_receive(officer=officer, events=[late], phone_now=NOW)
    assert result == {
        "id": late["id"],
        "status": "accepted",
        "reason": "Isian di meja yang lebih baru tetap berlaku; catatan ini disimpan tetapi tidak diterapkan.",
        "current": False,
    }
    first.refresh_from_db()
    assert (first.state, first.not_delivered_reason, first.reported_in_field) == (
        B.NOT_DELIVERED,
        "moved",
        False,
    )
    assert first.reported_by == owner
    # The field and the desk disagree: Dinsos sees it among the conflicts.
    assert FieldEvent.objects.get(pk=late["id"]).conflict


def test_a_field_record_newer_than_the_desk_entry_applies(program, officer, owner):
    first = listed(program)[0]
    desk_report(program, owner, first, B.NOT_DELIVERED, reason="not_found", minutes_ago=120)
    newer = event(first, minutes_ago=30)
    [result] = services.events_receive(officer=officer, events=[newer], phone_now=NOW)
    assert result["current"] and result["reason"] == ""
    first.refresh_from_db()
    assert first.state == B.DELIVERED and first.reported_in_field and first.reported_by == officer
    assert not FieldEvent.objects.get(pk=newer["id"]).conflict


def test_a_late_field_record_agreeing_with_the_desk_is_no_conflict(program, officer, owner):
    first = listed(program)[0]
    desk_report(program, owner, first, B.DELIVERED, minutes_ago=5)
    services.events_receive(officer=officer, events=[event(first, minutes_ago=60)], phone_now=NOW)
    first.refresh_from_db()
    assert first.state == B.DELIVERED and not first.reported_in_field
    assert not FieldEvent.objects.filter(conflict=True).exists()


def test_a_desk_entry_between_two_field_records_keeps_time_order(program, officer, owner):
    first = listed(program)[0]
    services.events_receive(officer=officer, events=[event(first, minutes_ago=90)], phone_now=NOW)
    desk_report(program, owner, first, B.NOT_DELIVERED, reason="refused", minutes_ago=60)
    # A record made before the desk entry arrives: the desk stands, and no field record stays "current".
    services.events_receive(
        officer=officer, events=[event(first, "not_delivered", reason="moved", minutes_ago=70)], phone_now=NOW
    )
    first.refresh_from_db()
    assert (first.state, first.not_delivered_reason) == (B.NOT_DELIVERED, "refused")
    assert not FieldEvent.objects.filter(is_current=True).exists()
    # One made after it applies.
    services.events_receive(officer=officer, events=[event(first, minutes_ago=20)], phone_now=NOW)
    first.refresh_from_db()
    assert first.state == B.DELIVERED and first.reported_in_field
