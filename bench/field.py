"""Benchmark of the field app: queued records and photos synced over a slow rural link, and opening offline.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tslp_bench_field python bench/field.py \
        [--events 500] [--photos 100] [--households 600] [--kbit 64] [--latency 300] [--port 8401]

Fills the matching benchmark's synthetic registry (``--households``) into a database of its own, makes one
running program with its households confirmed, a field officer assigned to it, and serves the portal with
gunicorn (DEBUG off). Chromium (Debian's, through Playwright) signs in as the officer, opens ``/lapangan/``,
syncs, goes offline, and finds ``--events`` records and ``--photos`` photos queued on the phone (written
straight into the app's IndexedDB, as a week of work would leave them). The link is then emulated at
``--kbit`` kbit/s each way with ``--latency`` ms (Chromium's network emulation) and the officer presses
Sync if the app has not started syncing by itself when the network came back. Prints the seconds (from the
network's return) until every record is on the server, until every photo is, and the time the app takes to
open with no network at all.
"""

import argparse
import base64
import io
import json
import os
import random
import sys
import time
import uuid
from pathlib import Path

from http_bench import serve
from matching import approved_program, django_setup, fill

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-lapangan-2026"
TARGET_EVENTS_SECONDS = 60
TARGET_OPEN_SECONDS = 2

PUT = """async ([events, photos]) => {
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open("tslp-lapangan", 1);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const blobs = photos.map((p) => {
    const bytes = Uint8Array.from(atob(p.data), (c) => c.charCodeAt(0));
    return { id: p.id, blob: new Blob([bytes], { type: "image/jpeg" }), sent: false };
  });
  await new Promise((resolve, reject) => {
    const t = db.transaction(["events", "photos"], "readwrite");
    events.forEach((e) => t.objectStore("events").put(e));
    blobs.forEach((p) => t.objectStore("photos").put(p));
    t.oncomplete = resolve;
    t.onerror = () => reject(t.error);
  });
  db.close();
}"""


def photo_bytes(seed: int) -> bytes:
    """A 1280 x 960 JPEG at quality 80 with the texture of a photo (gradients and grain)."""
    from PIL import Image, ImageFilter

    rng = random.Random(seed)
    small = Image.frombytes("RGB", (64, 48), bytes(rng.getrandbits(8) for _ in range(64 * 48 * 3)))
    image = small.resize((1280, 960), Image.BICUBIC).filter(ImageFilter.GaussianBlur(2))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def prepare(households: int) -> dict:
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from companies.models import Company
    from lapangan import services as field
    from lapangan.models import FieldEvent
    from poverty_data.models import Desa, Household
    from programs.models import DataSharingAgreement
    from programs.services import delivery, matching

    call_command("migrate", verbosity=0)
    if Household.objects.count() != households:
        fill(households, 0)
    call_command("collectstatic", "--noinput", verbosity=0, stdout=io.StringIO())
    dinsos = User.objects.filter(role="dinsos").first()
    company = Company.objects.get(nib="9999999999999")
    with transaction.atomic():
        FieldEvent.objects.all().delete()
        from programs.models import Program

        Program.objects.filter(title="BENCH lapangan").delete()
    desa = list(Desa.objects.filter(kecamatan__kode="62.11.05"))
    program = approved_program(company=company, dinsos=dinsos, desa=desa, target=400, title="BENCH lapangan")
    matching.beneficiaries_propose(program=program, actor=dinsos)
    matching.beneficiaries_confirm(program=program, actor=dinsos)
    program.refresh_from_db()
    DataSharingAgreement.objects.get_or_create(
        company=company,
        number="PKS/BENCH",
        defaults={"signed_on": timezone.localdate() - timezone.timedelta(days=1)},
    )
    officer = User.objects.filter(username="bench-petugas").first()
    if officer is None:
        officer = User.objects.create_user(
            username="bench-petugas",
            password=PASSWORD,
            role=User.Role.PERUSAHAAN,
            company=company,
            company_role=User.CompanyRole.FIELD,
            first_name="Petugas Bench",
        )
    owner = User.objects.filter(company=company, company_role=User.CompanyRole.OWNER).first()
    if owner is None:
        owner = User.objects.create_user(
            username="bench-pemilik", role=User.Role.PERUSAHAAN, company=company, company_role="owner"
        )
    field.officer_assign(program=program, officer=officer, actor=owner)
    delivery.data_use_accept(program=program, actor=officer)
    beneficiaries = list(program.beneficiaries.filter(state="confirmed").values_list("pk", flat=True))
    print(f"program: {len(beneficiaries)} confirmed households in {len(desa)} desa")
    return {"program": program.pk, "beneficiaries": beneficiaries}


def queued(scene: dict, events: int, photos: int) -> tuple[list, list]:
    rng = random.Random(500)
    start = time.time() - 6 * 24 * 3600
    records = []
    for n in range(events):
        outcome = rng.choice(["delivered"] * 5 + ["not_delivered"])
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(start + n * 600))
        records.append(
            {
                "id": str(uuid.uuid4()),
                "beneficiary": rng.choice(scene["beneficiaries"]),
                "program": scene["program"],
                "outcome": outcome,
                "reason": "not_found" if outcome == "not_delivered" else "",
                "recipient": "",
                "time": stamp,
                "corrects": None,
                "lat": None,
                "lon": None,
                "sent": False,
                "status": "",
                "reason_text": "",
                "has_photo": False,
            }
        )
    with_photo = [r for r in records if r["outcome"] == "delivered"][:photos]
    images = []
    for n, record in enumerate(with_photo):
        record["has_photo"] = True
        images.append({"id": record["id"], "data": base64.b64encode(photo_bytes(n)).decode()})
    return records, images


def main():
    # Playwright's sync API runs an event loop in this thread; the ORM reads the server's progress here.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--photos", type=int, default=100)
    parser.add_argument("--households", type=int, default=600)
    parser.add_argument("--kbit", type=int, default=64)
    parser.add_argument("--latency", type=int, default=300)
    parser.add_argument("--port", type=int, default=8401)
    args = parser.parse_args()
    django_setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL to a database of its own.")
    from lapangan.models import FieldEvent, FieldPhoto

    scene = prepare(args.households)
    records, images = queued(scene, args.events, args.photos)
    sizes = sorted(len(base64.b64decode(i["data"])) for i in images)
    if sizes:
        print(
            f"photos: {len(sizes)}, {sum(sizes) / 1024:.0f} KB in all, median {sizes[len(sizes) // 2] / 1024:.0f} KB"
        )
    server = serve(args.port)
    base = f"http://127.0.0.1:{args.port}"
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
            context.set_default_timeout(600_000)
            page = context.new_page()
            page.goto(base + "/akun/login/")
            page.get_by_label("Nama pengguna").fill("bench-petugas")
            page.get_by_label("Sandi").fill(PASSWORD)
            page.get_by_role("button", name="Masuk").click()
            page.wait_for_load_state()
            page.goto(base + "/lapangan/")
            page.get_by_test_id("household").first.wait_for()
            page.evaluate("navigator.serviceWorker.ready")
            page.reload()
            page.wait_for_selector("body[data-ready='1']")
            page.wait_for_timeout(1000)  # the worker keeps the app's files

            context.set_offline(True)
            opened = []
            for _ in range(3):
                started = time.perf_counter()
                page.reload()
                page.wait_for_selector("body[data-ready='1']")
                page.get_by_test_id("household").first.wait_for()
                opened.append(time.perf_counter() - started)
            page.evaluate(PUT, [records, images])
            page.reload()
            page.wait_for_selector("body[data-ready='1']")
            # The network comes back: the app starts syncing by itself (its "online" handler); the officer
            # presses Sync only if it did not. (Clicking regardless waited for the button, disabled during the
            # app's own sync, and so timed the whole sync as "records on the server".)
            cdp = context.new_cdp_session(page)
            throughput = args.kbit * 1000 / 8
            link = {"latency": args.latency, "downloadThroughput": throughput, "uploadThroughput": throughput}
            started = time.perf_counter()
            context.set_offline(False)
            cdp.send("Network.emulateNetworkConditions", {"offline": False, **link})
            page.wait_for_timeout(1000)
            if not page.evaluate("document.getElementById('sync-button').disabled"):
                page.get_by_test_id("sync").click()
            events_at = photos_at = None
            while photos_at is None:
                time.sleep(0.2)
                now = time.perf_counter() - started
                if events_at is None and FieldEvent.objects.count() >= len(records):
                    events_at = now
                if events_at is not None and FieldPhoto.objects.count() >= len(images):
                    photos_at = now
                if now > 3600:
                    break
            page.locator("#sync-button:not([disabled])").wait_for()
            finished = time.perf_counter() - started
            browser.close()
    finally:
        server.terminate()
        server.wait()
    result = {
        "events": len(records),
        "photos": len(images),
        "link": f"{args.kbit} kbit/s, {args.latency} ms",
        "records_on_server_s": round(events_at, 1) if events_at else None,
        "photos_on_server_s": round(photos_at, 1) if photos_at else None,
        "sync_finished_s": round(finished, 1),
        "open_offline_s": [round(o, 2) for o in opened],
    }
    print(json.dumps(result, indent=2))
    print(
        f"records: {result['records_on_server_s']} s (target {TARGET_EVENTS_SECONDS} s); "
        f"open offline: max {max(opened):.2f} s (target {TARGET_OPEN_SECONDS} s)"
    )


if __name__ == "__main__":
    main()
