"""The etalase on a phone and at a desk: the camat proposes a need in a meeting, Dinsos approves it, a company
adopts it, its program is approved, and the camat's brief shows the need adopted."""

import shutil
from pathlib import Path

import pytest

from etalase.models import Need
from programs.models import Program, ProgramAttachment
from programs.services import program_approve, program_submit
from tests.browser.conftest import ARTIFACTS
from tests.browser.steps import log_in
from tests.documents import image_bytes

SHOTS = Path("/work/wt/shots/etalase")


@pytest.mark.parametrize("width", [390, 1366])
@pytest.mark.django_db(transaction=True)
def test_camat_proposes_dinsos_approves_company_adopts_and_the_brief_shows_it(
    live_server, page, camat, dinsos, owner, settings, tmp_path, width
):
    settings.MEDIA_ROOT = tmp_path / "private_media"
    page.set_viewport_size({"width": width, "height": 900})
    base = live_server.url

    def shot(name):
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"etalase-{width}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        if SHOTS.parent.is_dir():
            SHOTS.mkdir(exist_ok=True)
            shutil.copy(path, SHOTS / path.name)

    def no_sideways_scroll():
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    # The camat, in the Musrenbang meeting, on a phone.
    log_in(page, base, camat.username)
    page.goto(base + "/etalase/")
    page.get_by_role("link", name="Usulkan kebutuhan").click()
    page.get_by_label("Desa/kelurahan").select_option(label="Pulang Pisau")
    page.get_by_role("combobox", name="Bidang").select_option(label="Infrastruktur")
    page.get_by_role("combobox", name="Bentuk").select_option(label="Bina lingkungan dan sosial")
    page.get_by_label("Judul").fill("Titian ulin ke SD Negeri 2")
    page.get_by_label("Uraian").fill(
        "Titian kayu ulin 40 m dari RT 05 ke sekolah; dipakai 60 anak setiap hari."
    )
    page.get_by_label("Perkiraan anggaran (Rp)").fill("175.000.000")
    page.get_by_label("Keluarga yang akan dilayani").fill("62")
    page.get_by_label("Sumber").select_option(label="Musrenbang desa")
    page.get_by_label("Foto").set_input_files(
        files=[{"name": "titian.png", "mimeType": "image/png", "buffer": image_bytes("PNG", (320, 240))}]
    )
    no_sideways_scroll()
    shot("1-camat-proposes")
    page.get_by_role("button", name="Usulkan").click()
    page.wait_for_load_state()
    need = Need.objects.get()
    assert need.status == Need.Status.PROPOSED
    assert need.photos.count() == 1
    no_sideways_scroll()
    shot("2-proposed")

    # Dinsos approves it.
    log_in(page, base, dinsos.username)
    page.goto(base + need.get_absolute_url())
    page.get_by_role("link", name="Setujui").click()
    page.get_by_role("button", name="Ya, setujui").click()
    page.wait_for_load_state()
    shot("3-dinsos-approved")
    need.refresh_from_db()
    assert need.status == Need.Status.OPEN

    # A company finds it in the etalase and adopts it.
    log_in(page, base, owner.username)
    page.goto(base + "/etalase/")
    page.get_by_role("link", name="Titian ulin ke SD Negeri 2").click()
    page.get_by_role("link", name="Adopsi kebutuhan ini").click()
    shot("4-company-adopts")
    page.get_by_role("button", name="Ya, buat draf program").click()
    page.wait_for_load_state()
    program = Program.objects.get()
    assert program.need_adoption.need == need
    assert page.get_by_label("Judul").input_value() == "Titian ulin ke SD Negeri 2"
    shot("5-draft-program")

    # The program goes through review (the program journey tests the pages of that).
    for kind in (ProgramAttachment.Kind.PROPOSAL, ProgramAttachment.Kind.RAB):
        ProgramAttachment.objects.create(
            program=program,
            kind=kind,
            file=f"programs/{program.pk}/{kind}.pdf",
            original_name=f"{kind}.pdf",
            content_type="application/pdf",
            size=1,
        )
    program_submit(program=program, actor=owner)
    program_approve(program=program, actor=dinsos)

    # The camat sees it adopted in the etalase and the brief.
    log_in(page, base, camat.username)
    page.goto(base + need.get_absolute_url())
    assert "Diadopsi" in page.inner_text("main")
    assert "Disetujui" in page.get_by_test_id("adoptions").inner_text()
    no_sideways_scroll()
    shot("6-camat-sees-adopted")
    page.goto(base + f"/dasbor/kecamatan/{camat.kecamatan.kode}/ringkasan/")
    counts = page.get_by_test_id("brief-need-counts").inner_text()
    assert "Pulang Pisau" in counts
    shot("7-camat-brief")
    # And the kecamatan dashboard counts it adopted in its desa (columns: desa, proposed, open, adopted, done).
    page.goto(base + f"/dasbor/kecamatan/{camat.kecamatan.kode}/")
    row = page.locator("#tabel-etalase_desa tbody tr").filter(
        has=page.get_by_role("link", name=need.desa.nama, exact=True)
    )
    assert row.locator("td").all_inner_texts() == ["0", "0", "1", "0"]
    no_sideways_scroll()
    shot("8-camat-dashboard")
