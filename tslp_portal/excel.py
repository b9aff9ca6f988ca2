"""The one way the portal writes Excel: every text cell is made inert, every download is one response.

A spreadsheet opened by Dinsos must never run what a company or a registry file typed into it. Text that
starts with ``=``, ``+``, ``-``, ``@`` or a control character (what Excel, LibreOffice and CSV importers read
as the start of a formula, OWASP "CSV injection") is stored as a text cell with Excel's quote prefix: it
shows exactly as typed, and Excel keeps it as text when the cell is edited. Characters XML cannot carry
(``\\x00`` to ``\\x08`` and others) are dropped, so a stray control character never breaks an export.

- :func:`cell_set` writes one cell of an ordinary worksheet;
- :func:`row_cells` builds a row for a write-only worksheet (large exports);
- :func:`csv_text` is the same guard for a CSV cell (a quote before text Excel would run);
- :func:`workbook_bytes` / :func:`xlsx_response` neutralise every cell once more before saving, so an
  exporter that wrote ``sheet.cell(value=...)`` directly is covered too.
"""

from decimal import Decimal
from io import BytesIO

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@")


def _risky(text: str) -> bool:
    return bool(text) and (text.startswith(FORMULA_STARTS) or ord(text[0]) < 32 or text[0] == "\x7f")


def csv_text(value) -> str:
    """``value`` as a CSV cell that a spreadsheet shows as typed: None is empty, numbers stay numbers, and text
    that would start a formula (or starts with a control character) gets Excel's quote prefix."""
    if value is None:
        return ""
    text = str(value)
    if isinstance(value, int | float | Decimal):
        return text
    return "'" + text if _risky(text) else text


def text_clean(value):
    """Drop characters an .xlsx cannot hold; other values pass unchanged."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def cell_neutralise(cell) -> None:
    """Make a text cell inert: a string that would start a formula is stored as quoted text."""
    value = cell.value
    if isinstance(value, str) and (cell.data_type == "f" or _risky(value)):
        cell.data_type = "s"
        cell.quotePrefix = True


def cell_set(sheet, row: int, column: int, value):
    """Write ``value`` at (row, column) of an ordinary worksheet, inert; return the cell."""
    cell = sheet.cell(row=row, column=column)
    cell.value = text_clean(value)
    cell_neutralise(cell)
    return cell


def row_cells(sheet, values) -> list:
    """One row for ``sheet.append`` on a write-only worksheet, every text cell inert."""
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=text_clean(value))
        cell_neutralise(cell)
        cells.append(cell)
    return cells


def workbook_neutralise(workbook: Workbook) -> None:
    """Neutralise every text cell of an ordinary (not write-only) workbook."""
    if getattr(workbook, "write_only", False):
        return  # its rows were built with row_cells() and are already on disk
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                cell_neutralise(cell)


def workbook_bytes(workbook: Workbook) -> bytes:
    workbook_neutralise(workbook)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(workbook: Workbook | bytes, filename: str) -> HttpResponse:
    """An .xlsx download; ``workbook`` is an openpyxl workbook (neutralised here) or its saved bytes."""
    content = workbook if isinstance(workbook, bytes) else workbook_bytes(workbook)
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response
