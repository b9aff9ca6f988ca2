"""Build small registry files for tests: .xlsx with openpyxl, .csv with the csv module."""

import csv
from pathlib import Path

from openpyxl import Workbook

DTSEN_HEADER = [
    "id_keluarga",
    "no_kk",
    "nik",
    "nama_kepala_keluarga",
    "alamat",
    "rt",
    "rw",
    "provinsi",
    "kabupaten",
    "kecamatan",
    "kelurahan",
    "id_wilayah",
    "desil_nasional",
]
DTKS_HEADER = [
    "ID DTKS",
    "PROVINSI",
    "KABUPATEN/KOTA",
    "KECAMATAN",
    "DESA/KELURAHAN",
    "ALAMAT",
    "NOMOR KK",
    "NOMOR NIK",
    "NAMA",
    "TANGGAL LAHIR",
    "HUBUNGAN KELUARGA",
    "PKH",
    "BPNT",
]
# Desa Buntoi in Kahayan Hilir.
DESA_KODE = "6211052001"


def kk(serial: int) -> str:
    return f"621105010190{serial:04d}"


def nik(serial: int) -> str:
    return f"621105410190{serial:04d}"


def dtsen_row(serial: int, *, desil=3, desa=DESA_KODE, name=None, desa_name="") -> list:
    return [
        f"K{serial}",
        kk(serial),
        nik(serial),
        name or f"Kepala {serial}",
        f"Jl. Mawar No. {serial}",
        "001",
        "002",
        "KALIMANTAN TENGAH",
        "PULANG PISAU",
        "Kahayan Hilir",
        desa_name,
        desa,
        desil,
    ]


def write_xlsx(path: Path, rows: list[list], *, title_rows: int = 0) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    for index in range(title_rows):
        sheet.append([f"DATA KELUARGA KABUPATEN PULANG PISAU ({index + 1})"])
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def write_csv(path: Path, rows: list[list], *, delimiter: str = ",", encoding: str = "utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        for row in rows:
            writer.writerow(row)
    return path


def dtsen_file(path: Path, serials, **kwargs) -> Path:
    rows = [DTSEN_HEADER] + [dtsen_row(serial, **kwargs) for serial in serials]
    if str(path).endswith(".csv"):
        return write_csv(path, rows)
    return write_xlsx(path, rows)


WORKBOOK_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
RELS_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)


def inline_row(number: int, values: list) -> str:
    cells = "".join(
        f'<c r="{chr(65 + index)}{number}" t="inlineStr"><is><t>{value}</t></is></c>'
        for index, value in enumerate(values)
    )
    return f'<row r="{number}">{cells}</row>'


def write_raw_xlsx(path: Path, sheet_parts, *, shared_strings: str | None = None) -> Path:
    """A workbook written by hand: ``sheet_parts`` is an iterable of XML strings streamed into the sheet."""
    import zipfile

    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", WORKBOOK_XML)
        archive.writestr("xl/_rels/workbook.xml.rels", RELS_XML)
        if shared_strings is not None:
            archive.writestr("xl/sharedStrings.xml", shared_strings)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for part in sheet_parts:
                sheet.write(part.encode())
    return path


class Number(str):
    """A cell value that ``write_calc_xlsx`` writes as a numeric cell, exactly as given (``6.21105E+15``)."""


def write_calc_xlsx(path: Path, rows: list[list]) -> Path:
    """A workbook as LibreOffice Calc saves one: text in shared strings, numbers as ``t="n"`` cells.

    A ``Number`` is written as Calc writes a number (``<c r="B2" s="0" t="n"><v>6.21105150580001E+15</v>``);
    anything else as a text cell, the way a column formatted as Text keeps it.
    """
    from xml.sax.saxutils import escape

    strings: list[str] = []
    index: dict[str, int] = {}
    sheet_rows = []
    for number, row in enumerate(rows, start=1):
        cells = []
        for column, value in enumerate(row):
            ref = f"{chr(65 + column)}{number}"
            if isinstance(value, Number):
                cells.append(f'<c r="{ref}" s="0" t="n"><v>{value}</v></c>')
            else:
                text = str(value)
                if text not in index:
                    index[text] = len(strings)
                    strings.append(text)
                cells.append(f'<c r="{ref}" s="0" t="s"><v>{index[text]}</v></c>')
        sheet_rows.append(
            f'<row r="{number}" customFormat="false" ht="12.8" hidden="false">{"".join(cells)}</row>'
        )
    shared = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(strings)}" uniqueCount="{len(strings)}">'
        + "".join(f'<si><t xml:space="preserve">{escape(text)}</t></si>' for text in strings)
        + "</sst>"
    )
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>',
        *sheet_rows,
        "</sheetData></worksheet>",
    )
    return write_raw_xlsx(path, sheet, shared_strings=shared)


ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"


def write_ods(path: Path, rows: list[list]) -> Path:
    """An OpenDocument spreadsheet as LibreOffice Calc saves one: ``mimetype`` first and stored, then XML."""
    import zipfile
    from xml.sax.saxutils import escape

    table_rows = "".join(
        "<table:table-row>"
        + "".join(
            f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'
            for value in row
        )
        + "</table:table-row>"
        for row in rows
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">'
        f'<office:body><office:spreadsheet><table:table table:name="Sheet1">{table_rows}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.3">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{ODS_MIMETYPE}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", ODS_MIMETYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return path


def import_file(path: Path, *, source: str, period: str, user=None, progress=None, **options):
    """``households_import`` of ``path`` with the given ``ImportOptions`` fields."""
    from poverty_data.services import ImportOptions, households_import

    return households_import(
        path, ImportOptions(source=source, period=period, **options), user=user, progress=progress
    )
