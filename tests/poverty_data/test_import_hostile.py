"""Hostile and broken files are refused quickly, in bounded memory, and write nothing."""

import tracemalloc
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from poverty_data.models import Household, ImportBatch
from tests.poverty_data.files import (
    DTSEN_HEADER,
    dtsen_row,
    import_file,
    inline_row,
    write_csv,
    write_ods,
    write_raw_xlsx,
    write_xlsx,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def refused(path, **kwargs):
    result = import_file(path, source="dtsen", period="2026-01", **kwargs)
    assert result.batch.state == ImportBatch.State.REFUSED, result.errors
    assert not Household.objects.exists()
    return result.refused


SHEET_START = '<?xml version="1.0" encoding="UTF-8"?><worksheet><sheetData>'
SHEET_END = "</sheetData></worksheet>"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200),
        ("laporan.xlsx", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"),
        ("data.csv", b"\x7fELF\x02\x01\x01\x00" + bytes(range(256))),
        ("feed.csv", b'<?xml version="1.0"?><feed><title>Login</title></feed>'),
    ],
)
def test_a_file_that_is_not_a_spreadsheet_is_refused(wilayah, tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)

    assert "not" in refused(path)


def test_an_empty_file_is_refused(wilayah, tmp_path):
    path = tmp_path / "kosong.xlsx"
    path.write_bytes(b"")

    assert "empty" in refused(path)


def test_a_zip_that_is_not_a_workbook_is_refused(wilayah, tmp_path):
    path = tmp_path / "arsip.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")

    assert "not an Excel workbook" in refused(path)


def test_an_encrypted_workbook_is_refused_with_a_hint(wilayah, tmp_path):
    # Excel saves a password-protected workbook as an OLE2 compound file holding an EncryptionInfo stream.
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    path = tmp_path / "rahasia.xlsx"
    path.write_bytes(header + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 4096 + b"EncryptedPackage")

    assert "password" in refused(path)


def test_an_old_xls_file_is_refused_with_a_hint(wilayah, tmp_path):
    path = tmp_path / "lama.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4096 + "Workbook".encode("utf-16-le"))

    assert ".xlsx" in refused(path)


def test_an_ods_file_is_refused_with_a_hint_whatever_its_name(wilayah, tmp_path):
    rows = [DTSEN_HEADER, dtsen_row(1)]

    for name in ("keluarga.ods", "keluarga.xlsx"):
        reason = refused(write_ods(tmp_path / name, rows))
        assert reason.startswith("This is a LibreOffice/OpenOffice spreadsheet (.ods).")
        assert "choose File > Save As with the file type “Excel 2007-365 (.xlsx)”" in reason


def test_the_command_refuses_an_ods_file_with_the_hint(wilayah, tmp_path):
    path = write_ods(tmp_path / "keluarga.ods", [DTSEN_HEADER, dtsen_row(1)])

    with pytest.raises(
        CommandError, match=r"File refused: This is a LibreOffice/OpenOffice spreadsheet \(\.ods\)"
    ):
        call_command("import_households", str(path), "--source", "dtsen", "--period", "2026-01")


def test_a_zip_with_encrypted_members_is_refused(wilayah, tmp_path):
    path = write_xlsx(tmp_path / "f.xlsx", [DTSEN_HEADER, dtsen_row(1)])
    data = bytearray(path.read_bytes())
    # Set the "encrypted" flag bit on every local and central directory header.
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            data[start + offset] |= 0x1
            start += 4
    path.write_bytes(bytes(data))

    assert "password" in refused(path)


BOMB_DTD = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
        for i in range(1, 10)
    )
    + "]>"
)


def test_an_xml_entity_bomb_in_the_shared_strings_is_refused(wilayah, tmp_path):
    shared = BOMB_DTD + "<sst><si><t>&lol9;</t></si></sst>"
    sheet = [SHEET_START, inline_row(1, ["no_kk", "nik", "nama_kepala_keluarga"]), SHEET_END]
    path = write_raw_xlsx(tmp_path / "bomb.xlsx", sheet, shared_strings=shared)

    assert "entity" in refused(path)


def test_an_xml_entity_bomb_in_the_sheet_is_refused(wilayah, tmp_path):
    sheet = [
        BOMB_DTD,
        "<worksheet><sheetData>",
        '<row r="1"><c r="A1" t="str"><v>&lol9;</v></c></row>',
        SHEET_END,
    ]
    path = write_raw_xlsx(tmp_path / "bomb.xlsx", sheet)

    assert "entity" in refused(path)


def test_a_zip_bomb_is_refused_before_unpacking(wilayah, tmp_path):
    path = tmp_path / "bomb.xlsx"
    chunk = b" " * (1024 * 1024)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for _ in range(100):  # 100 MB of spaces: ~100 KB compressed
                sheet.write(chunk)
    assert path.stat().st_size < 1024 * 1024

    tracemalloc.start()
    try:
        message = refused(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert "zip bomb" in message
    assert peak < 20 * 1024 * 1024


def empty_styled_rows(first: int, count: int):
    for start in range(first, first + count, 10_000):
        yield "".join(
            f'<row r="{n}" spans="1:13" s="3" customFormat="1" ht="15"/>'
            for n in range(start, start + 10_000)
        )


def test_a_million_empty_styled_rows_after_the_data_are_not_read(wilayah, tmp_path):
    header = inline_row(1, DTSEN_HEADER)
    data = [inline_row(n, dtsen_row(n - 1)) for n in (2, 3)]
    late = inline_row(1_000_010, dtsen_row(9))
    path = write_raw_xlsx(
        tmp_path / "styled.xlsx",
        [SHEET_START, header, *data, *empty_styled_rows(4, 1_000_000), late, SHEET_END],
    )

    tracemalloc.start()
    try:
        result = import_file(path, source="dtsen", period="2026-01")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert result.applied
    assert (result.rows_read, result.created) == (2, 2)
    assert peak < 60 * 1024 * 1024


def test_a_million_empty_styled_rows_and_no_header_are_refused(wilayah, tmp_path):
    path = write_raw_xlsx(
        tmp_path / "styled.xlsx", [SHEET_START, *empty_styled_rows(1, 1_000_000), SHEET_END]
    )

    assert "No header row" in refused(path)


def test_a_header_without_data_is_refused(wilayah, tmp_path):
    path = write_xlsx(tmp_path / "f.xlsx", [DTSEN_HEADER], title_rows=2)

    assert "no data rows" in refused(path)


def test_a_csv_header_without_data_is_refused(wilayah, tmp_path):
    path = write_csv(tmp_path / "f.csv", [DTSEN_HEADER, [], []])

    assert "no data rows" in refused(path)


def test_a_csv_with_an_enormous_field_is_refused(wilayah, tmp_path):
    path = tmp_path / "f.csv"
    path.write_text(",".join(DTSEN_HEADER) + "\n" + '"' + "x" * (200 * 1024) + '",1\n')

    assert "cannot be read" in refused(path)


def test_a_file_where_every_row_is_invalid_is_refused(wilayah, tmp_path):
    path = write_xlsx(tmp_path / "f.xlsx", [DTSEN_HEADER, dtsen_row(1, desil="x"), dtsen_row(2, desil="y")])

    assert "No row" in refused(path)
