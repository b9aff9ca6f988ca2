"""The workbook reader's shortcuts read what the slow path reads: where a row starts, whether a part of the
sheet may hold a formula."""

import pytest

from poverty_data.importing.readers import FORMULA_SCAN_LIMIT, _may_hold_formula, open_table
from tests.poverty_data.files import write_raw_xlsx

SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8"?><worksheet><cols><col min="1" max="2"/></cols><sheetData>'
)
SHEET_END = "</sheetData></worksheet>"


@pytest.mark.parametrize(
    ("region", "holds"),
    [
        ('<row r="2"><c r="A2"><f>B2*2</f><v>4</v></c></row>', True),
        ('<row r="2"><c r="A2"><f t="shared" ref="A2:A9" si="0"/><v>4</v></c></row>', True),
        ('<row r="2"><c r="A2" t="inlineStr"><is><t>Arif Fauzi</t></is></c></row>', False),
        ("f" * FORMULA_SCAN_LIMIT + '<c r="A2"><f>B2*2</f><v>4</v></c>', True),
        ("f" * FORMULA_SCAN_LIMIT + '<c r="A2"><v>4</v></c>', False),
        ("<f>", True),
        ("f", False),
    ],
)
def test_the_formula_check_finds_a_formula_element_however_many_fs_come_first(region, holds):
    assert _may_hold_formula(region) is holds


def test_rows_are_numbered_and_read_whatever_empty_rows_and_cells_without_references_come_between(tmp_path):
    rows = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>No. KK</t></is></c><c r="B1" t="inlineStr"><is><t>Nama'
        "</t></is></c></row>"
        '<row r="2" spans="1:2"/>'
        '<row r="3"></row>'
        '<row r="4" customHeight="1"><c r="A4" t="inlineStr"><is><t>6211050101050002</t></is></c>'
        '<c r="B4" t="inlineStr"><is><t>Arif</t></is></c></row>'
        '<row r="5" spans="1:2"/><row r="6"><c><v>7</v></c><c><v>8</v></c></row>'
        '<row r="7"><c r="A7"><f>A6+1</f><v>8</v></c><c r="B7" t="inlineStr"><is><t>fff</t></is></c></row>'
    )
    path = write_raw_xlsx(tmp_path / "rows.xlsx", [SHEET_START, rows, SHEET_END])
    table = open_table(path)
    try:
        read = list(table.rows)
    finally:
        table.close()
    assert read == [
        (1, ["No. KK", "Nama"]),
        (2, []),
        (3, []),
        (4, ["6211050101050002", "Arif"]),
        (5, []),
        (6, ["7", "8"]),
        (7, ["8", "fff"]),
    ]


def test_a_rich_text_cell_beside_an_empty_cell_keeps_every_value_in_its_column(tmp_path):
    # Two runs of rich text in one cell and an empty cell in the same row: as many values as cells, but not
    # one per cell. The row is read cell by cell.
    row = (
        '<row r="1"><c r="A1" t="inlineStr"><is><r><t>Budi </t></r><r><rPr><b/></rPr><t>Santoso</t></r></is>'
        '</c><c r="B1" s="1"/><c r="C1" t="n"><v>5</v></c></row>'
    )
    path = write_raw_xlsx(tmp_path / "rich.xlsx", [SHEET_START, row, SHEET_END])
    table = open_table(path)
    try:
        assert list(table.rows) == [(1, ["Budi Santoso", "", "5"])]
    finally:
        table.close()
