"""Delivery in a browser: Dinsos matches and confirms; the company accepts the terms, downloads the list,
reports delivery and the final report; Dinsos verifies; the household ledger shows the delivery."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from programs.models import Beneficiary, Program, RealisationReport
from tests.browser.steps import log_in
from tests.documents import image_bytes, pdf_bytes
from tests.programs.delivery_helpers import approved_program, record_pks
from tslp_portal.models import AccessLog

PDF = pdf_bytes()
PNG = image_bytes("PNG")


@pytest.mark.django_db(transaction=True)
def test_company_delivers_reports_and_dinsos_completes_the_program(
    live_server, page, screenshot, wilayah, company, owner, dinsos, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "private_media"
    base = live_server.url
    program = approved_program(company=company, households=7, target=6, title="Paket sekolah Bahu Palawa")
    record_pks(company=company, dinsos=dinsos)

    # Dinsos proposes households, removes one with a reason, and confirms the list.
    log_in(page, base, dinsos.username)
    page.goto(base + program.get_absolute_url())
    page.get_by_role("link", name="Penerima manfaat").click()
    page.get_by_role("button", name="Usulkan", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_test_id("listed-count").inner_text() == "6"
    page.get_by_role("link", name="Hapus").first.click()
    page.get_by_label("Alasan").fill("Sudah pindah ke Palangka Raya.")
    page.get_by_role("button", name="Ya, hapus").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("listed-count").inner_text() == "5"
    page.get_by_role(
        "button", name="Usulkan", exact=True
    ).click()  # propose again: the seventh takes the place
    page.wait_for_load_state()
    assert page.get_by_test_id("listed-count").inner_text() == "6"
    screenshot("0-dinsos-matching")
    page.get_by_role("link", name="Tetapkan daftar dan mulai program").click()
    page.get_by_role("button", name="Ya, tetapkan").click()
    page.wait_for_load_state()
    program.refresh_from_db()
    assert program.status == Program.Status.RUNNING
    removed = Beneficiary.objects.get(program=program, state=Beneficiary.State.REMOVED)
    assert removed.removed_reason == "Sudah pindah ke Palangka Raya."

    # The company opens its list: the data-use terms come first.
    log_in(page, base, owner.username)
    page.goto(base + program.get_absolute_url())
    page.get_by_test_id("open-beneficiaries").click()
    assert page.get_by_test_id("terms").is_visible()
    screenshot("1-terms")
    page.locator("#id_accept").check()
    page.get_by_test_id("accept-terms").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("beneficiary-table").locator("tbody tr").count() == 6

    # It downloads the list for the field team: masked, with a title row.
    with page.expect_download() as download_info:
        page.get_by_test_id("download-xlsx").click()
    sheet = load_workbook(io.BytesIO(download_info.value.path().read_bytes())).active
    assert program.title in sheet["A1"].value
    assert "******" in str(sheet.cell(row=6, column=4).value)

    # The search box narrows the rows; the fill helper marks every shown row delivered; one save.
    first = (
        Beneficiary.objects.filter(program=program, state=Beneficiary.State.CONFIRMED)
        .select_related("household")
        .first()
        .household
    )
    page.get_by_test_id("row-filter").fill(first.nama_kepala)
    assert page.locator("tbody tr:visible").count() >= 1
    page.get_by_test_id("row-filter").fill("")
    page.locator("#bulk-date").fill(datetime.date.today().strftime("%d/%m/%Y"))
    page.locator("#bulk-value").fill("1.250.000")
    page.get_by_test_id("bulk-fill").click()
    screenshot("2-delivery-filled")
    page.get_by_test_id("save-delivery").click()
    page.wait_for_load_state()
    assert Beneficiary.objects.filter(program=program, state=Beneficiary.State.DELIVERED).count() == 6
    screenshot("3-delivery-saved")

    # It files the final realisation report with a handover document and a photo.
    page.goto(base + program.get_absolute_url())
    page.get_by_test_id("report-realisation").click()
    page.locator("#id_period").fill("Maret–Oktober")
    page.locator("#id_amount_spent").fill("7.500.000")
    page.locator("#id_description").fill("Enam paket sekolah diserahkan kepada keluarga penerima.")
    page.locator("#id_documents").set_input_files(
        files=[
            {"name": "berita-acara.pdf", "mimeType": "application/pdf", "buffer": PDF},
            {"name": "foto.png", "mimeType": "image/png", "buffer": PNG},
        ]
    )
    page.locator("#id_is_final").check()
    screenshot("4-final-report")
    page.get_by_test_id("submit-report").click()
    page.wait_for_load_state()
    report = RealisationReport.objects.get(program=program)
    assert report.is_final and report.amount_spent == 7_500_000 and report.documents.count() == 2

    # Dinsos verifies it; the program is completed.
    log_in(page, base, dinsos.username)
    page.goto(base + program.get_absolute_url())
    page.get_by_test_id("verify-report").click()
    page.locator("input[name=decision][value=verify]").check()
    screenshot("5-dinsos-verifies")
    page.get_by_test_id("record-decision").click()
    page.wait_for_load_state()
    program.refresh_from_db()
    assert program.status == Program.Status.COMPLETED
    screenshot("6-completed")

    # The company's access to the list has ended; every view and the download were logged.
    log_in(page, base, owner.username)
    page.goto(base + program.get_absolute_url())
    assert page.get_by_test_id("access-ended").is_visible()
    assert AccessLog.objects.filter(user=owner, action="export").count() == 1
    assert AccessLog.objects.filter(user=owner, action="view").count() >= 2

    # The household ledger shows the delivery, with the company and the value.
    delivered = Beneficiary.objects.filter(program=program, state=Beneficiary.State.DELIVERED).first()
    log_in(page, base, dinsos.username)
    page.goto(base + f"/program/keluarga/{delivered.household_id}/")
    ledger = page.get_by_test_id("ledger").inner_text()
    assert program.title in ledger and "Tersalurkan" in ledger and company.name in ledger
    screenshot("7-household-ledger")
