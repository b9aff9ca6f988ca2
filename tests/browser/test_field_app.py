"""The field officer's journey on a 360 px phone: sign in, sync, go offline, record twenty deliveries with
two photos, reload the app offline (it still works and still holds the records), come back online, sync,
and the program's delivery page shows them as recorded in the field."""

import random

import pytest
from PIL import Image

from lapangan import services
from lapangan.models import FieldEvent, FieldPhoto
from programs.models import Beneficiary
from programs.services import delivery
from tests.browser.conftest import ARTIFACTS, _record_csp_violation
from tests.browser.steps import log_in
from tests.browser.test_role_pages import serious_violations
from tests.lapangan.conftest import field_officer
from tests.programs.delivery_helpers import record_pks, running_program

PHONE = {"width": 360, "height": 740}


def large_photo(path):
    """A camera-sized photo (noise compresses badly: several megabytes as a PNG)."""
    rng = random.Random(7)
    image = Image.frombytes("RGB", (1600, 1200), bytes(rng.getrandbits(8) for _ in range(1600 * 1200 * 3)))
    image.save(path, "PNG")
    return path


@pytest.fixture
def phone(browser, request):
    context = browser.new_context(viewport=PHONE, locale="id-ID", is_mobile=True, has_touch=True)
    context.set_default_timeout(20_000)
    page = context.new_page()
    violations = []
    page.on("console", lambda message: _record_csp_violation(message, violations, page.url))
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-failure.png"), full_page=True)
    context.close()
    assert violations == [], "Content-Security-Policy violations:\n" + "\n".join(violations)


def officer_on_program(company, owner, dinsos, *, households, title):
    """A running program of ``company`` with its PKS, and a field officer assigned who accepted its terms."""
    program = running_program(company=company, dinsos=dinsos, households=households, title=title)
    record_pks(company=company, dinsos=dinsos)
    officer = field_officer(company, "petugas")
    services.officer_assign(program=program, officer=officer, actor=owner)
    delivery.data_use_accept(program=program, actor=officer)
    return program, officer


def sync_back_online(page):
    """The signal comes back and the officer taps sync. The app may already be syncing by itself (going
    online starts a sync), and the tap then starts none or another: wait until every record is sent and
    no sync runs, before the test reads the database."""
    page.context.set_offline(False)
    page.get_by_test_id("sync").click()
    page.get_by_text("Semua catatan sudah terkirim.").wait_for()
    page.locator("#sync-button:not([disabled])").wait_for()


def shot(page, request, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{name}.png"), full_page=True)


@pytest.mark.django_db(transaction=True)
def test_officer_records_twenty_deliveries_offline_and_syncs(
    live_server, phone, request, wilayah, company, owner, dinsos, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "private_media"
    base = live_server.url
    program, officer = officer_on_program(
        company, owner, dinsos, households=22, title="Paket sekolah Bahu Palawa"
    )
    page = phone

    # Sign in and open the app with signal: it syncs by itself the first time.
    log_in(page, base, officer.username)
    page.goto(base + "/lapangan/")
    page.get_by_test_id("household").first.wait_for()
    assert page.get_by_test_id("household").count() == 22
    assert "22 keluarga di HP ini" in page.get_by_test_id("sync-status").inner_text()
    # The service worker takes the page and keeps the app's files.
    page.wait_for_function("navigator.serviceWorker.ready.then(r => !!r.active)")
    page.reload()
    page.wait_for_function("!!navigator.serviceWorker.controller")
    page.wait_for_function(
        "caches.match('/static/lapangan/app.js').then(r => !!r).then(a => a && caches.match('/lapangan/').then(r => !!r))"
    )
    shot(page, request, "0-synced")

    # In the desa, without signal.
    page.context.set_offline(True)
    photo = large_photo(tmp_path / "kamera.png")
    for n in range(20):
        page.locator("button.state-confirmed").first.click()
        if n == 5:
            page.locator("label[for='outcome-not']").click()
            page.get_by_role("button", name="Simpan").click()
            assert page.locator("#reason-error").is_visible()  # the reason is required, next to the field
            page.get_by_label("Alasan tidak tersalurkan").select_option("not_found")
        else:
            page.locator("label[for='outcome-delivered']").click()
            if n == 0:
                assert serious_violations(page) == []  # the delivery form, as axe-core sees it
            if n in (2, 9):
                page.get_by_label("Foto (boleh dikosongkan)").set_input_files(str(photo))
                page.get_by_text("Foto siap").wait_for()
                if n == 2:
                    shot(page, request, "1-record-offline")
            if n == 3:
                page.get_by_label("Diterima oleh (jika bukan kepala keluarga)").fill("Siti (istri)")
        page.get_by_role("button", name="Simpan").click()
        page.get_by_test_id("households").wait_for()
    assert "20 catatan belum terkirim" in page.get_by_test_id("sync-status").inner_text()
    assert "Luring" in page.get_by_test_id("net-status").inner_text()
    shot(page, request, "2-offline-list")

    # The app reloads with no network at all and still holds the records.
    page.reload()
    page.wait_for_selector("body[data-ready='1']")
    assert "20 catatan belum terkirim" in page.get_by_test_id("sync-status").inner_text()
    assert page.locator("button.state-confirmed").count() == 2
    page.get_by_test_id("search").fill("zzzz-tidak-ada")
    assert page.get_by_text("Tidak ada keluarga yang cocok.").is_visible()
    page.get_by_test_id("search").fill("")
    shot(page, request, "3-offline-reloaded")
    assert not FieldEvent.objects.exists()

    # Back in signal: sync sends records, then photos, then downloads the households again.
    sync_back_online(page)
    assert FieldEvent.objects.count() == 20
    assert (
        Beneficiary.objects.filter(program=program, state="delivered", reported_in_field=True).count() == 19
    )
    assert Beneficiary.objects.get(program=program, state="not_delivered").not_delivered_reason == "not_found"
    photos = list(FieldPhoto.objects.all())
    assert len(photos) == 2 and all(p.size <= 200 * 1024 for p in photos)
    assert FieldEvent.objects.get(recipient_name="Siti (istri)")
    shot(page, request, "4-synced-back")

    # The program's delivery page shows them as recorded in the field, with the officer's name.
    delivery.data_use_accept(program=program, actor=owner)
    log_in(page, base, owner.username)
    page.goto(base + f"/program/{program.pk}/penerima/")
    assert page.get_by_test_id("field-recorded").count() == 20
    assert "dicatat di lapangan oleh Petugas" in page.get_by_test_id("field-recorded").first.inner_text()
    shot(page, request, "5-delivery-page-owner")

    # The owner's assignment page and Dinsos' field records page, at a phone's width and a desk's.
    page.goto(base + "/lapangan/petugas/")
    assert "Petugas" in page.get_by_test_id("officer-list").inner_text()
    shot(page, request, "6-officers-390")
    page.set_viewport_size({"width": 1366, "height": 900})
    shot(page, request, "7-officers-1366")
    log_in(page, base, dinsos.username)
    page.goto(base + f"/lapangan/program/{program.pk}/")
    assert page.get_by_test_id("count-field").inner_text() == "20"
    assert page.get_by_test_id("photos").locator("img").count() == 2
    shot(page, request, "8-dinsos-field-records-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, request, "9-dinsos-field-records-390")


@pytest.mark.django_db(transaction=True)
def test_a_photo_the_server_refuses_is_named_with_its_reason_on_the_phone(
    live_server, phone, request, wilayah, company, owner, dinsos, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "private_media"
    base = live_server.url
    _program, officer = officer_on_program(company, owner, dinsos, households=3, title="Paket sembako")
    page = phone
    log_in(page, base, officer.username)
    page.goto(base + "/lapangan/")
    page.get_by_test_id("household").first.wait_for()

    # Offline, a delivery with a photo; then the stored photo is spoiled (as a broken camera file would be):
    # the phone's own checks passed, the server's content check refuses it.
    page.context.set_offline(True)
    name = page.get_by_test_id("household").first.inner_text().splitlines()[0]
    page.locator("button.state-confirmed").first.click()
    page.locator("label[for='outcome-delivered']").click()
    page.get_by_label("Foto (boleh dikosongkan)").set_input_files(str(large_photo(tmp_path / "kamera.png")))
    page.get_by_text("Foto siap").wait_for()
    page.get_by_role("button", name="Simpan").click()
    page.get_by_test_id("households").wait_for()
    page.evaluate(
        """async () => {
          const db = await new Promise((ok, no) => {
            const r = indexedDB.open("tslp-lapangan", 1); r.onsuccess = () => ok(r.result); r.onerror = no;
          });
          await new Promise((ok, no) => {
            const t = db.transaction(["photos"], "readwrite");
            const store = t.objectStore("photos");
            store.getAll().onsuccess = (e) => e.target.result.forEach((p) => {
              p.blob = new Blob(["bukan foto"], { type: "image/jpeg" }); store.put(p);
            });
            t.oncomplete = ok; t.onerror = no;
          });
          db.close();
        }"""
    )

    sync_back_online(page)

    refused = page.get_by_test_id("rejected")
    assert refused.is_visible()
    assert "— Foto ditolak: Berkas ini bukan foto (JPEG, PNG, atau WebP)." in refused.inner_text()
    assert name.split(" ")[0] in refused.inner_text()
    assert FieldEvent.objects.count() == 1 and not FieldPhoto.objects.exists()  # the record stands
    shot(page, request, "photo-refused")

    # A later sync with no photo to send does not hide that this one was refused.
    page.get_by_test_id("sync").click()
    page.locator("#sync-button:not([disabled])").wait_for()
    assert "— Foto ditolak: Berkas ini bukan foto" in page.get_by_test_id("rejected").inner_text()


@pytest.mark.django_db(transaction=True)
def test_dinsos_verifies_the_sample_offline_in_the_same_app(
    live_server, phone, request, wilayah, company, owner, dinsos, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "private_media"
    base = live_server.url
    program, officer = officer_on_program(company, owner, dinsos, households=4, title="Bantuan beras Pangkoh")
    from django.utils import timezone

    from tests.lapangan.test_views import new_event
    from tests.programs.delivery_helpers import listed

    services.events_receive(
        officer=officer, events=[new_event(b) for b in listed(program)], phone_now=timezone.now()
    )
    page = phone

    # At the office, with signal: the day's sample goes to the verifier's field app.
    log_in(page, base, dinsos.username)
    page.goto(base + f"/lapangan/program/{program.pk}/")
    page.get_by_test_id("visit-plan").click()
    page.get_by_text("4 rumah tangga siap untuk aplikasi lapangan Anda").wait_for()
    page.goto(base + "/lapangan/")
    page.get_by_test_id("household").first.wait_for()
    assert page.get_by_test_id("household").count() == 4
    assert "0 sudah diperiksa, 4 tersisa" in page.get_by_test_id("desa-summary").inner_text()
    page.wait_for_function("navigator.serviceWorker.ready.then(r => !!r.active)")
    page.reload()
    page.wait_for_function("!!navigator.serviceWorker.controller")
    page.wait_for_function("caches.match('/static/lapangan/app.js').then(r => !!r)")

    # At the door, without signal.
    page.context.set_offline(True)
    page.get_by_test_id("household").first.click()
    assert "Dicatat tersalurkan pada" in page.get_by_test_id("record-current").inner_text()
    assert not page.locator("label[for='outcome-delivered']").is_visible()
    page.get_by_role("button", name="Simpan").click()
    assert page.get_by_text("Pilih temuan Anda.").is_visible()  # next to the choice it concerns
    page.locator("label[for='verdict-not-received']").click()
    assert not page.get_by_text("Pilih temuan Anda.").is_visible()
    assert serious_violations(page) == []  # the verification form, as axe-core sees it
    page.get_by_label("Catatan (tidak wajib)").fill("Beras belum sampai, kata istri")
    shot(page, request, "verify-1-record-offline")
    page.get_by_role("button", name="Simpan").click()
    page.get_by_test_id("households").wait_for()
    for _ in range(2):
        page.locator("button.state-unchecked").first.click()
        page.locator("label[for='verdict-received']").click()
        page.get_by_role("button", name="Simpan").click()
        page.get_by_test_id("households").wait_for()
    assert "3 catatan belum terkirim" in page.get_by_test_id("sync-status").inner_text()
    page.reload()
    page.wait_for_selector("body[data-ready='1']")
    assert "3 sudah diperiksa, 1 tersisa" in page.get_by_test_id("desa-summary").inner_text()
    shot(page, request, "verify-2-offline-list")

    # Back in signal: the findings reach the program's page; the delivery ledger is unchanged.
    sync_back_online(page)
    assert "3 sudah diperiksa, 1 tersisa" in page.get_by_test_id("desa-summary").inner_text()
    assert Beneficiary.objects.filter(program=program, state="delivered").count() == 4
    page.goto(base + f"/lapangan/program/{program.pk}/")
    tally = page.get_by_test_id("visit-tally").inner_text()
    assert "Tidak diterima: 1" in tally and "Diterima, sesuai catatan: 2" in tally
    assert page.get_by_text("Beras belum sampai, kata istri").is_visible()
    shot(page, request, "verify-3-program-page-390")


@pytest.mark.django_db(transaction=True)
def test_a_late_record_under_a_newer_desk_entry_is_named_on_the_phone(
    live_server, phone, request, wilayah, company, owner, dinsos, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "private_media"
    base = live_server.url
    program, officer = officer_on_program(company, owner, dinsos, households=2, title="Paket sembako")
    page = phone
    log_in(page, base, officer.username)
    page.goto(base + "/lapangan/")
    page.get_by_test_id("household").first.wait_for()

    # Offline in the desa: "delivered". Meanwhile the office records the same household at the desk.
    page.context.set_offline(True)
    name = page.get_by_test_id("household").first.inner_text().splitlines()[0]
    page.get_by_test_id("household").first.click()
    page.locator("label[for='outcome-delivered']").click()
    page.get_by_role("button", name="Simpan").click()
    page.get_by_test_id("households").wait_for()
    household = Beneficiary.objects.get(program=program, household__nama_kepala=name)
    delivery.data_use_accept(program=program, actor=owner)
    delivery.beneficiaries_report_delivery(
        program=program,
        actor=owner,
        rows=[delivery.DeliveryRow(household.pk, Beneficiary.State.NOT_DELIVERED, reason="moved")],
    )

    sync_back_online(page)
    # The list shows the desk's word, and the record says why it was not applied, also after a reload.
    for _ in range(2):
        item = page.get_by_test_id("household").filter(has_text=name)
        assert "Tidak tersalurkan" in item.inner_text()
        assert "Isian di meja yang lebih baru tetap berlaku" in page.get_by_test_id("rejected").inner_text()
        page.reload()
        page.wait_for_selector("body[data-ready='1']")
    household.refresh_from_db()
    assert household.state == Beneficiary.State.NOT_DELIVERED and not household.reported_in_field
