"""The beneficiary list as Excel: download, fill in, upload back; hostile files refused."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from programs.excel.delivery import COLUMN, HEADER_ROW
from programs.models import Beneficiary, Program, ProgramEvent
from programs.services import delivery
from tests.programs.delivery_helpers import listed
from tslp_portal.models import AccessLog

B = Beneficiary.State
S = Program.Status
TODAY = datetime.date.today()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- delivery by uploading the Excel back ---------------------------------------------------------------


def download(client, program):
    return load_workbook(
        io.BytesIO(client.get(reverse("programs:beneficiaries_xlsx", args=[program.pk])).content)
    )


def upload(client, program, workbook=None, name="penerima.xlsx", content=None):
    if content is None:
        buffer = io.BytesIO()
        workbook.save(buffer)
        content = buffer.getvalue()
    file = SimpleUploadedFile(name, content, content_type=XLSX)
    return client.post(reverse("programs:delivery_upload", args=[program.pk]), {"file": file})


def header_columns(sheet):
    """The header row and the columns of the list as downloaded (whatever the language)."""
    return HEADER_ROW, COLUMN


def test_excel_round_trip_download_fill_upload(program, accepted, owner, login):
    client = login(owner)
    workbook = download(client, program)
    sheet = workbook.active
    header, columns = header_columns(sheet)
    status_col, date_col, value_col = columns["status"], columns["date"], columns["value"]
    last_row = sheet.max_row
    for row in range(header + 1, last_row):
        sheet.cell(row=row, column=status_col, value="Delivered")
        sheet.cell(row=row, column=date_col, value=TODAY)
        sheet.cell(row=row, column=value_col, value=1250000)
    sheet.cell(row=last_row, column=status_col, value="Refused")
    response = upload(client, program, workbook)
    html = response.content.decode()
    assert response.status_code == 302, html[html.find("<main") :][:3000]
    states = sorted(b.state for b in listed(program))
    assert states == sorted([B.DELIVERED] * 4 + [B.NOT_DELIVERED])
    assert {b.delivered_on for b in listed(program) if b.state == B.DELIVERED} == {TODAY}
    assert AccessLog.objects.filter(action="export").count() == 1


def test_upload_reports_every_bad_row_with_its_number_and_applies_none(program, accepted, owner, login):
    client = login(owner)
    workbook = download(client, program)
    sheet = workbook.active
    header, columns = header_columns(sheet)
    status_col, kk_col = columns["status"], columns["no_kk"]
    good, unknown, bad_status, bad_date, bad_value = range(header + 1, header + 6)
    sheet.cell(row=good, column=status_col, value="delivered")
    sheet.cell(row=good, column=status_col + 1, value="26/11/2025")
    sheet.cell(row=unknown, column=status_col, value="delivered")
    sheet.cell(row=unknown, column=status_col + 1, value=TODAY)
    sheet.cell(row=unknown, column=kk_col, value="999999******9999")
    sheet.cell(row=bad_status, column=status_col, value="sudah kayaknya")
    sheet.cell(row=bad_date, column=status_col, value="delivered")
    sheet.cell(row=bad_date, column=status_col + 1, value="kemarin")
    sheet.cell(row=bad_value, column=status_col, value="delivered")
    sheet.cell(row=bad_value, column=status_col + 1, value=TODAY)
    sheet.cell(row=bad_value, column=status_col + 2, value="sejuta")
    response = upload(client, program, workbook)
    assert response.status_code == 400
    html = response.content.decode()
    for row in (unknown, bad_status, bad_date, bad_value):
        assert f"{row}:" in html
    assert f" {good}:" not in html
    assert all(b.state == B.CONFIRMED for b in listed(program))


@pytest.mark.parametrize(
    "name, content",
    [
        ("penerima.xlsx", b"MZ\x90\x00 not a workbook at all"),
        ("penerima.xlsx", b"%PDF-1.4 pretending"),
        ("penerima.exe", b"MZ\x90\x00"),
        ("penerima.csv", b"a,b,c\n"),
    ],
)
def test_hostile_or_wrong_uploads_are_refused(program, accepted, owner, login, name, content):
    response = upload(login(owner), program, name=name, content=content)
    assert response.status_code == 400
    assert 'data-testid="upload-errors"' in response.content.decode()
    assert all(b.state == B.CONFIRMED for b in listed(program))


def test_a_workbook_that_is_not_the_list_is_refused(program, accepted, owner, login):
    workbook = Workbook()
    workbook.active.append(["Nama", "Alamat"])
    workbook.active.append(["Budi", "Jl. Mawar"])
    response = upload(login(owner), program, workbook)
    assert response.status_code == 400
    assert all(b.state == B.CONFIRMED for b in listed(program))


def test_upload_is_post_only(program, accepted, owner, login):
    response = login(owner).get(reverse("programs:delivery_upload", args=[program.pk]))
    assert response.status_code == 302
    assert all(b.state == B.CONFIRMED for b in listed(program))


def test_camat_cannot_upload(program, camat, login):
    workbook = Workbook()
    assert upload(login(camat), program, workbook).status_code == 403


def test_a_zip_bomb_disguised_as_the_list_is_refused_before_unpacking(program, accepted, owner, login):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for _ in range(50):  # 50 MB of spaces, a few KB compressed
                sheet.write(b" " * (1024 * 1024))
    response = upload(login(owner), program, content=buffer.getvalue())
    assert response.status_code == 400
    assert "Berkas ini bukan berkas Excel (.xlsx)" in response.content.decode()
    assert all(b.state == B.CONFIRMED for b in listed(program))


DOWNLOAD_EXPECTED = {
    "owner": 200,
    "editor": 302,
    "other_company": 404,
    "dinsos": 200,
    "camat": 200,
    "other_camat": 200,
    "pimpinan": 403,
    "anonymous": 302,
}


@pytest.mark.parametrize("persona", sorted(DOWNLOAD_EXPECTED))
def test_each_persona_downloads_only_what_it_may_and_each_download_is_logged(
    program, accepted, personas, login, persona
):
    response = login(personas[persona]).get(reverse("programs:beneficiaries_xlsx", args=[program.pk]))
    assert response.status_code == DOWNLOAD_EXPECTED[persona]
    if response.status_code == 200:
        log = AccessLog.objects.get()
        assert (log.user, log.action) == (personas[persona], "export")
        assert log.row_count == {"owner": 5, "dinsos": 5, "camat": 3, "other_camat": 2}[persona]
    else:
        assert not AccessLog.objects.exists()


def test_registry_text_that_looks_like_a_formula_is_written_as_text(program, dinsos, login):
    household = listed(program)[0].household
    household.nama_kepala = '=HYPERLINK("http://evil.example","Klik")'
    household.save(update_fields=["nama_kepala"])
    response = login(dinsos).get(reverse("programs:beneficiaries_xlsx", args=[program.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value == household.nama_kepala]
    assert cells and all(cell.data_type == "s" for cell in cells)


def test_uploading_the_list_as_downloaded_changes_nothing(program, accepted, owner, login):
    first, second, *_rest = listed(program)
    delivery.beneficiaries_report_delivery(
        program=program,
        actor=owner,
        rows=[
            delivery.DeliveryRow(first.pk, B.DELIVERED, delivered_on=TODAY, value=1_250_000),
            delivery.DeliveryRow(second.pk, B.NOT_DELIVERED, reason="not_found"),
        ],
    )
    client = login(owner)
    response = upload(client, program, download(client, program))
    assert response.status_code == 302
    assert ProgramEvent.objects.filter(program=program, action=ProgramEvent.Action.REPORT).count() == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, first.delivered_value, second.not_delivered_reason) == (
        B.DELIVERED,
        1_250_000,
        "not_found",
    )
