"""Chaos for the field app: three officers on three phones, a simulated week offline, 1,500 records with
corrections, each sent one to three times in shuffled order, and the network cut mid-sync after the server
got a batch but before the phone got the answer. Nothing may be lost or doubled, every planted conflict is
flagged, and the ledger equals a straight replay of the records in time order."""

import datetime
import json
import random
import uuid

import pytest

from lapangan import services
from lapangan.models import FieldEvent
from programs.models import Beneficiary
from programs.services import delivery
from tests.browser.steps import log_in
from tests.lapangan.conftest import field_officer
from tests.programs.delivery_helpers import listed, record_pks, running_program

PER_OFFICER = 500
OUTCOMES = [
    ("delivered", ""),
    ("not_delivered", "moved"),
    ("not_delivered", "refused"),
    ("not_delivered", "not_found"),
]


def week_of_records(rng, officer_index, households, program_id, start):
    """An officer's week: records in time order, about one in eight a correction of their own last one."""
    made, last = [], {}
    for n in range(PER_OFFICER):
        household = rng.choice(households)
        # Seconds apart per officer and never equal across officers: time order is total.
        time = start + datetime.timedelta(seconds=n * 1200 + officer_index * 7 + 1)
        previous = last.get(household)
        if previous and rng.random() < 0.12:
            outcome, reason = "confirmed", ""
        else:
            outcome, reason = rng.choice(OUTCOMES)
        record = {
            "id": str(uuid.uuid4()),
            "beneficiary": household,
            "program": program_id,
            "outcome": outcome,
            "reason": reason,
            "recipient": "",
            "time": time.isoformat().replace("+00:00", "Z"),
            "corrects": previous["id"] if previous else None,
            "lat": None,
            "lon": None,
            "sent": False,
            "status": "",
            "reason_text": "",
            "has_photo": False,
        }
        last[household] = record
        made.append(record)
    return made


PUT = """async (records) => {
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open("tslp-lapangan", 1);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  await new Promise((resolve, reject) => {
    const t = db.transaction(["events"], "readwrite");
    records.forEach((r) => t.objectStore("events").put(r));
    t.oncomplete = resolve;
    t.onerror = () => reject(t.error);
  });
  db.close();
}"""


def cut_after_server(page, nth):
    """Let the ``nth`` upload of records reach the server, then drop its answer: the phone sees the cut."""
    seen = {"count": 0}

    def handle(route):
        seen["count"] += 1
        if seen["count"] == nth:
            route.fetch()  # the server receives and applies the batch
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route("**/lapangan/api/catatan/", handle)
    return lambda: page.unroute("**/lapangan/api/catatan/")


def sync(page, expect_cut=False):
    """Bring the phone into signal, sync, and take it out again (one phone online at a time: the test
    server's in-memory SQLite database takes one writer)."""
    page.context.set_offline(False)  # the app syncs by itself when the signal comes back
    if not expect_cut:
        page.get_by_test_id("sync").click()
    _wait(page, expect_cut)
    page.locator("#sync-button:not([disabled])").wait_for()
    page.context.set_offline(True)


def _wait(page, expect_cut):
    if expect_cut:
        page.get_by_text("Koneksi terputus").wait_for(timeout=60_000)
    else:
        page.get_by_text("Semua catatan sudah terkirim.").wait_for(timeout=120_000)


@pytest.mark.django_db(transaction=True)
def test_three_officers_a_week_offline_lose_nothing_and_double_nothing(
    live_server, browser, wilayah, company, owner, dinsos, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "private_media"
    rng = random.Random(42)
    base = live_server.url
    program = running_program(company=company, dinsos=dinsos, households=60, title="Sembako Sebangau Kuala")
    record_pks(company=company, dinsos=dinsos)
    households = [b.pk for b in listed(program)]
    start = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=8)
    officers, records = [], {}
    for index in range(3):
        officer = field_officer(company, f"petugas{index + 1}")
        services.officer_assign(program=program, officer=officer, actor=owner)
        delivery.data_use_accept(program=program, actor=officer)
        officers.append(officer)
        records[officer.pk] = week_of_records(rng, index, households, program.pk, start)

    # What a straight replay in time order gives, and which households the officers disagree on.
    everything = sorted((r for rs in records.values() for r in rs), key=lambda r: r["time"])
    expected = {pk: ("confirmed", "") for pk in households}
    for r in everything:
        expected[r["beneficiary"]] = (r["outcome"], r["reason"])
    last_word: dict[int, dict[int, tuple]] = {}
    for officer_pk, rs in records.items():
        for r in rs:
            last_word.setdefault(r["beneficiary"], {})[officer_pk] = (r["outcome"], r["reason"])
    planted = {pk for pk, words in last_word.items() if len(set(words.values())) > 1}
    assert planted, "the scenario must plant conflicts"

    pages = []
    for officer in officers:
        context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
        context.set_default_timeout(30_000)
        page = context.new_page()
        log_in(page, base, officer.username)
        page.goto(base + "/lapangan/")
        page.get_by_test_id("household").first.wait_for()
        # A week offline: the records wait on the phone, written in shuffled order.
        mine = list(records[officer.pk])
        rng.shuffle(mine)
        page.context.set_offline(True)
        page.evaluate(PUT, mine)
        page.reload()
        page.wait_for_selector("body[data-ready='1']")
        assert f"{PER_OFFICER} catatan belum terkirim" in page.get_by_test_id("sync-status").inner_text()
        pages.append(page)

    # Round one: each phone's sync is cut after the server took one of its batches.
    for n, page in enumerate(pages):
        stop = cut_after_server(page, nth=2 + n)
        sync(page, expect_cut=True)
        stop()
    # Round two: the phones resume, then send again (in new shuffled order) a share of what they had sent,
    # as a phone does that lost its answers; some records go a third time.
    for page in pages:
        sync(page)
    for round_share in (0.5, 0.25):
        for officer, page in zip(officers, pages, strict=True):
            again = [dict(r) for r in records[officer.pk] if rng.random() < round_share]
            rng.shuffle(again)
            page.evaluate(PUT, again)
            page.reload()
            page.wait_for_selector("body[data-ready='1']")
            sync(page)

    assert FieldEvent.objects.count() == 3 * PER_OFFICER  # nothing lost, nothing doubled
    assert not FieldEvent.objects.exclude(status=FieldEvent.Status.ACCEPTED).exists()
    ledger = {
        b.pk: (b.state, b.not_delivered_reason)
        for b in Beneficiary.objects.filter(program=program).exclude(state="removed")
    }
    assert ledger == expected
    flagged = set(FieldEvent.objects.filter(conflict=True).values_list("beneficiary_id", flat=True))
    assert flagged == planted
    for page in pages:
        assert page.get_by_test_id("households").is_visible()
        page.context.close()
    print(json.dumps({"events": FieldEvent.objects.count(), "conflicts": len(planted)}))
