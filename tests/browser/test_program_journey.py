"""The whole journey of a program: registration, verification, submission, revision, approval."""

import datetime

import pytest
from django.core import mail

from programs.models import Program
from tests.browser.steps import log_in, register_company, verify_company_in_admin
from tests.documents import pdf_bytes

NEXT_YEAR = datetime.date.today().year + 1
PDF = pdf_bytes()


@pytest.mark.django_db(transaction=True)
def test_company_registers_submits_revises_and_gets_its_program_approved(
    live_server, page, screenshot, dinsos, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "private_media"
    base = live_server.url
    register_company(page, base, name="PT Karya Sawit Sebangau", nib="8120001234567", username="rina")
    screenshot("1-registered")

    log_in(page, base, dinsos.username)
    verify_company_in_admin(page, base, "PT Karya Sawit Sebangau")
    screenshot("2-dinsos-verified")

    # The company writes and submits its program, with a proposal attached.
    log_in(page, base, "rina")
    page.goto(base + "/program/")
    page.get_by_role("link", name="Tulis program pertama Anda").click()
    page.get_by_label("Tahun anggaran").fill(str(NEXT_YEAR))
    page.get_by_label("Judul").fill("Sumur bor air bersih Kahayan Hilir")
    page.get_by_role("combobox", name="Bentuk").select_option(label="Bina lingkungan dan sosial")
    page.get_by_role("combobox", name="Bidang").select_option(label="Infrastruktur")
    page.get_by_label("Uraian").fill("Pembuatan 10 sumur bor untuk keluarga tanpa air bersih.")
    page.get_by_label("Tujuan").fill("Keluarga miskin memperoleh air minum bersih.")
    page.get_by_role("button", name="Kahayan Hilir").click()
    page.get_by_label("Pulang Pisau", exact=True).check()
    page.get_by_label("Rencana anggaran (Rp)").fill("150.000.000")
    page.get_by_label("Tanggal mulai").fill(f"01/03/{NEXT_YEAR}")
    page.get_by_label("Tanggal selesai").fill(f"31/10/{NEXT_YEAR}")
    page.get_by_label("Sasaran keluarga").fill("10")
    page.get_by_label("Desil tertinggi yang diterima").fill("3")
    page.get_by_label("Tidak ada air minum bersih").check()
    page.get_by_label("Proposal", exact=True).set_input_files(
        files=[{"name": "proposal-sumur.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_label("Rencana anggaran biaya (RAB)").set_input_files(
        files=[{"name": "rab-sumur.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    screenshot("3-program-form")
    page.get_by_role("button", name="Simpan draf").click()
    page.wait_for_load_state()
    assert "Draf" in page.get_by_test_id("program-status").inner_text()
    assert page.get_by_role("link", name="proposal-sumur.pdf").is_visible()
    page.get_by_role("link", name="Ajukan ke Dinsos").click()
    page.get_by_role("button", name="Ya, ajukan").click()
    page.wait_for_load_state()
    assert "Diajukan" in page.get_by_test_id("program-status").inner_text()
    screenshot("4-submitted")
    program = Program.objects.get(title="Sumur bor air bersih Kahayan Hilir")
    assert program.budget == 150_000_000

    # Dinsos asks for a revision from the review screen.
    log_in(page, base, dinsos.username)
    page.goto(base + "/admin/programs/program/")
    page.get_by_role("link", name="Sumur bor air bersih Kahayan Hilir").click()
    page.get_by_label("Minta revisi").check()
    page.get_by_label("Catatan untuk perusahaan").fill("Lampirkan RAB per sumur.")
    screenshot("5-dinsos-review")
    page.get_by_role("button", name="Catat keputusan").click()
    page.wait_for_load_state()
    program.refresh_from_db()
    assert program.status == Program.Status.REVISION_REQUESTED

    # The company revises and resubmits.
    log_in(page, base, "rina")
    page.goto(base + f"/program/{program.pk}/")
    assert "Lampirkan RAB per sumur." in page.get_by_test_id("timeline").inner_text()
    page.get_by_role("link", name="Ubah").click()
    page.get_by_label("Rencana anggaran (Rp)").fill("165.000.000")
    page.get_by_role("button", name="Simpan draf").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Ajukan ulang ke Dinsos").click()
    page.get_by_role("button", name="Ya, ajukan").click()
    page.wait_for_load_state()
    screenshot("6-resubmitted")

    # Dinsos approves.
    log_in(page, base, dinsos.username)
    page.goto(base + f"/admin/programs/program/{program.pk}/review/")
    page.get_by_label("Setujui").check()
    page.get_by_role("button", name="Catat keputusan").click()
    page.wait_for_load_state()

    # The company sees the approval and the whole timeline.
    log_in(page, base, "rina")
    page.goto(base + f"/program/{program.pk}/")
    assert "Disetujui" in page.get_by_test_id("program-status").inner_text()
    timeline = page.get_by_test_id("timeline").inner_text()
    for step in ("Dibuat", "Diajukan", "Perlu revisi", "Diubah", "Diajukan ulang", "Disetujui"):
        assert step in timeline
    assert "Rp 165.000.000" in page.content()
    screenshot("7-approved")
    program.refresh_from_db()
    assert program.status == Program.Status.APPROVED
    assert any("Disetujui" in message.subject for message in mail.outbox)
