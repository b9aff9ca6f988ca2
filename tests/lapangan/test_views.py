"""The field app's pages and sync API: who reaches what, masked data, access log, CSRF, photos."""

import datetime
import io
import json
import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image

from lapangan import services
from lapangan.models import FieldAssignment, FieldCheck, FieldEvent, FieldPhoto, FieldVisit
from programs.models import Beneficiary
from programs.services import delivery
from tests.lapangan.conftest import field_officer
from tests.programs.delivery_helpers import listed, running_program
from tslp_portal.models import AccessLog

B = Beneficiary.State


def jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (80, 60), (10, 120, 60)).save(buffer, "JPEG")
    return buffer.getvalue()


def post_events(client, events, phone_now=None):
    who = client.get(reverse("lapangan:api_who")).json()
    return client.post(
        reverse("lapangan:api_events"),
        data=json.dumps({"phone_now": (phone_now or timezone.now()).isoformat(), "events": events}),
        content_type="application/json",
        headers={"X-CSRFToken": who["csrf"]},
    )


def new_event(beneficiary, outcome="delivered", **extra):
    return {
        "id": str(uuid.uuid4()),
        "beneficiary": beneficiary.pk,
        "outcome": outcome,
        "time": (timezone.now() - datetime.timedelta(minutes=5)).isoformat(),
        **extra,
    }


@pytest.fixture
def officer_client(officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    return client


def test_the_app_opens_for_a_signed_in_officer(officer_client):
    response = officer_client.get(reverse("lapangan:app"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sinkronkan" in html and 'rel="manifest"' in html and "not-officer" not in html
    assert "<script>" not in html  # the policy forbids inline scripts: texts travel as JSON data


def test_the_app_tells_other_roles_it_is_for_officers(client, owner):
    client.force_login(owner)
    assert 'data-testid="not-officer"' in client.get(reverse("lapangan:app")).content.decode()


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("lapangan:app"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_worker_and_manifest_are_served_from_the_app_scope(client):
    worker = client.get(reverse("lapangan:sw"))
    assert worker.status_code == 200 and worker["Content-Type"].startswith("text/javascript")
    manifest = client.get(reverse("lapangan:manifest"))
    assert json.loads(b"".join(manifest.streaming_content))["start_url"] == "/lapangan/"


@pytest.mark.parametrize("persona", ["owner", "editor", "camat", "pimpinan"])
def test_only_field_officers_and_dinsos_use_the_api(client, personas, persona):
    client.force_login(personas[persona])
    for name in ("api_who", "api_data"):
        assert client.get(reverse(f"lapangan:{name}")).status_code == 403


def test_the_api_asks_anonymous_to_sign_in(client):
    assert client.get(reverse("lapangan:api_data")).status_code == 401
    assert client.post(reverse("lapangan:api_events"), {}).status_code in (401, 403)


def test_download_holds_only_assigned_programs_masked_and_is_logged(
    officer_client, officer, program, company, dinsos
):
    other = running_program(company=company, dinsos=dinsos, households=2)
    response = officer_client.get(reverse("lapangan:api_data"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    data = response.json()
    assert [p["id"] for p in data["programs"]] == [program.pk]
    households = data["programs"][0]["households"]
    assert {h["id"] for h in households} == {b.pk for b in listed(program)}
    first = listed(program)[0]
    shown = next(h for h in households if h["id"] == first.pk)
    assert shown["nik"] == first.household.nik_kepala[:6] + "******" + first.household.nik_kepala[-4:]
    assert first.household.nik_kepala not in response.content.decode()
    assert other.pk not in [p["id"] for p in data["programs"]]
    log = AccessLog.objects.get(user=officer)
    assert log.row_count == 6 and log.action == "export"


def test_terms_not_accepted_downloads_no_household(client, company, program, owner, pks):
    newcomer = field_officer(company, "baru")
    services.officer_assign(program=program, officer=newcomer, actor=owner)
    client.force_login(newcomer)
    [entry] = client.get(reverse("lapangan:api_data")).json()["programs"]
    assert entry["households"] == [] and "ketentuan" in entry["blocked"]
    assert entry["terms_url"] == reverse("programs:terms", args=[program.pk])


def test_an_ended_assignment_empties_the_phone(officer_client, officer, program, owner):
    services.officer_unassign(program=program, officer=officer, actor=owner)
    assert officer_client.get(reverse("lapangan:api_data")).json()["programs"] == []


def test_upload_needs_the_csrf_token(officer_client, program):
    response = officer_client.post(
        reverse("lapangan:api_events"),
        data=json.dumps({"events": [new_event(listed(program)[0])]}),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not FieldEvent.objects.exists()


def test_upload_applies_and_answers_per_event(officer_client, program):
    first, second = listed(program)[:2]
    events = [new_event(first), new_event(second, "not_delivered")]
    response = post_events(officer_client, events)
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["accepted", "rejected"]
    first.refresh_from_db()
    assert first.state == B.DELIVERED and first.reported_in_field
    # Sent again (the answer was lost on the way): nothing changes.
    again = post_events(officer_client, events).json()["results"]
    assert again == results and FieldEvent.objects.count() == 2


def test_upload_that_cannot_be_read_is_refused(officer_client):
    who = officer_client.get(reverse("lapangan:api_who")).json()
    response = officer_client.post(
        reverse("lapangan:api_events"),
        data="{nope",
        content_type="application/json",
        headers={"X-CSRFToken": who["csrf"]},
    )
    assert response.status_code == 400 and "tidak dapat dibaca" in response.json()["error"]


def test_photo_upload_is_checked_on_the_server(officer_client, program):
    sent = new_event(listed(program)[0])
    post_events(officer_client, [sent])
    csrf = officer_client.get(reverse("lapangan:api_who")).json()["csrf"]
    url = reverse("lapangan:api_photo", args=[sent["id"]])
    fake = io.BytesIO(b"MZ" + b"\0" * 500)
    fake.name = "foto.jpg"
    refused = officer_client.post(url, {"photo": fake}, headers={"X-CSRFToken": csrf})
    assert refused.status_code == 400 and "bukan foto" in refused.json()["error"]
    photo = io.BytesIO(jpeg())
    photo.name = "foto.jpg"
    accepted = officer_client.post(url, {"photo": photo}, headers={"X-CSRFToken": csrf})
    assert accepted.status_code == 200 and FieldPhoto.objects.count() == 1


def test_owner_assigns_and_ends_assignments_on_a_page(client, owner, program, company):
    user = field_officer(company, "lapangan9")
    client.force_login(owner)
    page = client.get(reverse("lapangan:officers"))
    assert page.status_code == 200 and "Lapangan9" in page.content.decode()
    client.post(reverse("lapangan:officers"), {"program": program.pk, "officer": user.pk})
    assert FieldAssignment.objects.active().filter(officer=user, program=program).exists()
    client.post(
        reverse("lapangan:officers"), {"program": program.pk, "officer": user.pk, "action": "unassign"}
    )
    assert not FieldAssignment.objects.active().filter(officer=user).exists()


@pytest.mark.parametrize("persona", ["editor", "dinsos", "camat", "pimpinan"])
def test_only_owners_reach_the_officers_page(client, personas, persona):
    client.force_login(personas[persona])
    assert client.get(reverse("lapangan:officers")).status_code == 403


def test_owner_cannot_assign_another_company_program(client, owner, other_company, dinsos, company):
    theirs = running_program(company=other_company, dinsos=dinsos, households=1)
    user = field_officer(company, "lapangan9")
    client.force_login(owner)
    assert (
        client.post(reverse("lapangan:officers"), {"program": theirs.pk, "officer": user.pk}).status_code
        == 404
    )


def test_dinsos_sees_field_against_desk_conflicts_photos_and_sample(
    client, dinsos, officer, second_officer, program
):
    first, second = listed(program)[:2]
    sent = new_event(first)
    services.events_receive(officer=officer, events=[sent, new_event(second)], phone_now=timezone.now())
    services.events_receive(
        officer=second_officer,
        events=[new_event(first, "not_delivered", reason="refused")],
        phone_now=timezone.now(),
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    services.event_photo_store(
        officer=officer, event_id=sent["id"], upload=SimpleUploadedFile("a.jpg", jpeg())
    )
    client.force_login(dinsos)
    response = client.get(reverse("lapangan:program", args=[program.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="count-field">2<' in html and 'data-testid="count-conflicts">2<' in html
    assert first.household.nama_kepala in html and 'data-testid="sample"' in html
    assert AccessLog.objects.filter(user=dinsos).exists()
    photo = client.get(reverse("lapangan:photo", args=[program.pk, sent["id"]]))
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    client.post(reverse("lapangan:program", args=[program.pk]), {"event": sent["id"]})
    assert not FieldEvent.objects.filter(conflict=True, resolved_at__isnull=True).exists()


def test_dinsos_downloads_the_days_sample_as_excel_the_same_as_the_page(client, dinsos, officer, program):
    delivered = listed(program)[:3]
    services.events_receive(
        officer=officer, events=[new_event(b) for b in delivered], phone_now=timezone.now()
    )
    client.force_login(dinsos)
    page = client.get(reverse("lapangan:program", args=[program.pk])).content.decode()

    response = client.get(reverse("lapangan:program", args=[program.pk]), {"unduh": "sampel"})

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="sampel-verifikasi-program-')
    assert "no-store" in response["Cache-Control"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "No.",
        "Kepala keluarga",
        "Alamat",
        "Desa",
        "Tanggal tersalurkan",
        "Dicatat oleh",
        "Diperiksa",
    )
    names = [row[1] for row in rows[1:]]
    assert sorted(names) == sorted(b.household.nama_kepala for b in delivered)
    assert all(name in page for name in names)  # the same households as the page shows today
    assert all(isinstance(row[4], datetime.datetime) for row in rows[1:])
    log = AccessLog.objects.filter(user=dinsos, action="export").get()
    assert (log.row_count, log.what) == (3, "Sampel verifikasi lapangan")


@pytest.mark.parametrize(
    ("persona", "status"), [("owner", 403), ("other_company", 404), ("camat", 403), ("pimpinan", 403)]
)
def test_only_dinsos_reaches_the_field_records_page(client, personas, program, persona, status):
    client.force_login(personas[persona])
    assert client.get(reverse("lapangan:program", args=[program.pk])).status_code == status


def test_the_delivery_page_says_recorded_in_the_field_and_by_whom(client, owner, officer, program, dinsos):
    services.events_receive(officer=officer, events=[new_event(listed(program)[0])], phone_now=timezone.now())
    client.force_login(dinsos)
    html = client.get(reverse("programs:beneficiaries", args=[program.pk])).content.decode()
    assert "dicatat di lapangan oleh Petugas" in html
    assert 'data-testid="field-officers"' in html and "sinkron terakhir" in html


# --- Dinsos verification visits in the same app -----------------------------------------------------------------


@pytest.fixture
def delivered_in_field(officer, program):
    households = listed(program)[:4]
    services.events_receive(
        officer=officer, events=[new_event(b) for b in households], phone_now=timezone.now()
    )
    return households


@pytest.fixture
def dinsos_client(dinsos):
    client = Client(enforce_csrf_checks=True)
    client.force_login(dinsos)
    return client


def plan_visit(client, program):
    page = reverse("lapangan:program", args=[program.pk])
    token = client.get(page).cookies["csrftoken"].value
    return client.post(page, {"action": "visit", "csrfmiddlewaretoken": token}, follow=True)


def test_dinsos_takes_the_days_sample_to_the_field_app_and_syncs_it_masked(
    dinsos_client, dinsos, program, delivered_in_field
):
    response = plan_visit(dinsos_client, program)
    assert "4 rumah tangga siap untuk aplikasi lapangan Anda" in response.content.decode()
    visit = FieldVisit.objects.get()
    assert visit.verifier == dinsos and set(visit.beneficiaries.all()) == set(delivered_in_field)
    # Planning again while the visit is open is refused with the reason; the button is gone.
    again = plan_visit(dinsos_client, program).content.decode()
    assert "masih memiliki kunjungan terbuka" in again and 'data-testid="visit-plan"' not in again
    assert FieldVisit.objects.count() == 1

    who = dinsos_client.get(reverse("lapangan:api_who")).json()
    assert who["role"] == "verifier"
    data = dinsos_client.get(reverse("lapangan:api_data")).json()
    [entry] = data["programs"]
    assert entry["mode"] == "verify" and entry["id"] == program.pk
    ids = {h["id"] for h in entry["households"]}
    assert ids == {b.pk for b in delivered_in_field}
    household = entry["households"][0]
    full = Beneficiary.objects.get(pk=household["id"]).household
    # Masked on the phone even for Dinsos: the phone goes where it can be lost.
    assert household["nik"] != full.nik_kepala and household["nik"].endswith(full.nik_kepala[-4:])
    # The day the delivery happened where it happened (the event's time, in the regency's time zone): a test
    # run just after midnight must not expect today for a delivery recorded five minutes before it.
    event = FieldEvent.objects.get(beneficiary_id=household["id"])
    assert household["check"] == ""
    assert household["delivered_on"] == timezone.localdate(event.occurred_at).isoformat()
    assert AccessLog.objects.filter(
        user=dinsos, what="Aplikasi lapangan: rumah tangga yang diverifikasi"
    ).exists()


def test_checks_from_the_phone_are_kept_once_and_shown_on_the_program_page(
    dinsos_client, dinsos, program, delivered_in_field
):
    plan_visit(dinsos_client, program)
    first, second, third = delivered_in_field[:3]
    found = new_event(first, "not_received", note="Keluarga belum menerima beras")
    events = [found, new_event(second, "received"), new_event(third, "not_met")]
    response = post_events(dinsos_client, [*events, found])
    assert [r["status"] for r in response.json()["results"]] == ["accepted"] * 4
    assert FieldCheck.objects.count() == 3
    # A later check of the same household is its finding; the earlier one is kept.
    post_events(dinsos_client, [new_event(third, "received", time=timezone.now().isoformat())])
    assert FieldCheck.objects.count() == 4
    data = dinsos_client.get(reverse("lapangan:api_data")).json()
    checks = {h["id"]: h["check"] for h in data["programs"][0]["households"]}
    assert checks[first.pk] == "not_received" and checks[third.pk] == "received"
    # The ledger is untouched: a check is evidence about the delivery, not a delivery record.
    first.refresh_from_db()
    assert first.state == B.DELIVERED
    html = dinsos_client.get(reverse("lapangan:program", args=[program.pk])).content.decode()
    assert "Keluarga belum menerima beras" in html
    tally = re.search(r'data-testid="visit-tally">(.*?)</ul>', html, re.S).group(1)
    assert re.findall(r'<li class="list-inline-item">([^<]*)</li>', tally) == [
        "Diterima, sesuai catatan: 2",
        "Tidak diterima: 1",
        "Tidak dapat ditemui: 0",
        "Belum diperiksa: 1",
    ]


def test_a_check_outside_the_verifiers_visits_is_refused(
    dinsos_client, program, delivered_in_field, listed_other=None
):
    plan_visit(dinsos_client, program)
    outsider = listed(program)[5]
    [result] = post_events(dinsos_client, [new_event(outsider, "received")]).json()["results"]
    assert (
        result["status"] == "invalid"
        and result["reason"] == "Rumah tangga ini tidak termasuk dalam kunjungan Anda."
    )
    [result] = post_events(dinsos_client, [new_event(delivered_in_field[0], "delivered")]).json()["results"]
    assert result["status"] == "invalid" and result["reason"] == "Status tidak dikenal."
    assert not FieldCheck.objects.exists()


def test_a_closed_visit_leaves_the_phone_but_takes_checks_made_before(
    dinsos_client, program, delivered_in_field
):
    plan_visit(dinsos_client, program)
    visit = FieldVisit.objects.get()
    page = reverse("lapangan:program", args=[program.pk])
    token = dinsos_client.get(page).cookies["csrftoken"].value
    dinsos_client.post(page, {"action": "close", "visit": visit.pk, "csrfmiddlewaretoken": token})
    visit.refresh_from_db()
    assert visit.closed_at is not None
    assert dinsos_client.get(reverse("lapangan:api_data")).json()["programs"] == []
    [result] = post_events(dinsos_client, [new_event(delivered_in_field[0], "received")]).json()["results"]
    assert result["status"] == "accepted" and FieldCheck.objects.get().visit == visit
    # A new sample can be taken now.
    plan_visit(dinsos_client, program)
    assert FieldVisit.objects.open().count() == 1


def test_only_dinsos_plans_visits_and_a_verifier_sends_no_photo(
    dinsos_client, owner, program, delivered_in_field
):
    with pytest.raises(services.FieldError, match="Hanya Dinsos yang memverifikasi penyaluran di lapangan"):
        services.visit_plan(program=program, beneficiaries=delivered_in_field, actor=owner)
    who = dinsos_client.get(reverse("lapangan:api_who")).json()
    response = dinsos_client.post(
        reverse("lapangan:api_photo", args=[uuid.uuid4()]),
        {"photo": io.BytesIO(jpeg())},
        headers={"X-CSRFToken": who["csrf"]},
    )
    assert response.status_code == 400 and response.json()["error"] == "Foto hanya untuk catatan penyaluran."


def test_nothing_delivered_in_the_field_means_nothing_to_verify(dinsos_client, dinsos, program):
    with pytest.raises(services.FieldError, match="Tidak ada yang dapat diverifikasi"):
        services.visit_plan(program=program, beneficiaries=[], actor=dinsos)
    html = dinsos_client.get(reverse("lapangan:program", args=[program.pk])).content.decode()
    assert 'data-testid="visit-plan"' not in html and 'data-testid="no-visits"' in html


def test_the_phone_learns_that_a_later_desk_entry_stands(officer_client, officer, owner, program, pks):
    first = listed(program)[0]
    delivery.data_use_accept(program=program, actor=owner)
    delivery.beneficiaries_report_delivery(
        program=program,
        actor=owner,
        rows=[delivery.DeliveryRow(first.pk, B.NOT_DELIVERED, reason="moved")],
    )
    late = new_event(first, time=(timezone.now() - datetime.timedelta(hours=3)).isoformat())
    [result] = post_events(officer_client, [late]).json()["results"]
    assert result["status"] == "accepted" and not result["current"]

    data = officer_client.get(reverse("lapangan:api_data")).json()

    # The household shows the desk's word; the record is listed with why it was not applied.
    [household] = [h for h in data["programs"][0]["households"] if h["id"] == first.pk]
    assert (household["state"], household["reason"]) == ("not_delivered", "moved")
    assert data["events"] == [
        {
            "id": late["id"],
            "status": "accepted",
            "reason": "Isian di meja yang lebih baru tetap berlaku; catatan ini disimpan tetapi tidak diterapkan.",
            "current": False,
        }
    ]


def test_the_program_page_reads_its_visits_in_a_fixed_number_of_queries(
    client, dinsos, program, delivered_in_field
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(dinsos)
    page = reverse("lapangan:program", args=[program.pk])

    def queries_with(visits: int) -> int:
        while FieldVisit.objects.count() < visits:
            FieldVisit.objects.open().update(closed_at=timezone.now())
            services.visit_plan(program=program, beneficiaries=delivered_in_field, actor=dinsos)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(page).status_code == 200
        return len(captured)

    assert queries_with(1) == queries_with(4)
