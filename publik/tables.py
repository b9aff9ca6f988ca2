"""The public tables as rows of cells, and their Excel and CSV downloads (already suppressed rows in)."""

import csv
import io

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from tslp_portal import numbers
from tslp_portal.excel import csv_text, row_cells, xlsx_response

FIGURE_COLUMNS = [
    ("kode", _("Code")),
    ("nama", _("Name")),
    ("keluarga", _("Families")),
    ("keluarga_miskin", _("Poor families")),
    ("tanpa_desil", _("Without desil")),
    ("terjangkau", _("Reached")),
    ("miskin_terjangkau", _("Poor reached")),
    ("cakupan", _("Coverage (%)")),
    ("miskin_belum_pernah", _("Poor never assisted")),
    ("kesenjangan", _("Gap")),
    ("program", _("Programs")),
    ("anggaran_rencana", _("Planned (Rp)")),
    ("realisasi", _("Realised (Rp)")),
]
# Per desa only families, poor families and poor reached are published (publik.suppression).
DESA_FIGURE_COLUMNS = [
    column
    for column in FIGURE_COLUMNS
    if column[0] not in ("tanpa_desil", "terjangkau", "miskin_belum_pernah")
]
COMMITMENT_COLUMNS = [
    ("perusahaan", _("Company")),
    ("tahun", _("Year")),
    ("program", _("Programs")),
    ("anggaran", _("Planned (Rp)")),
    ("realisasi", _("Verified realisation (Rp)")),
]
BIDANG_COLUMNS = [
    ("tahun", _("Year")),
    ("bidang", _("Bidang")),
    ("program", _("Programs")),
    ("anggaran", _("Planned (Rp)")),
    ("realisasi", _("Verified realisation (Rp)")),
]


def cell(key: str, value, *, exact: bool = False):
    """A value as a download shows it: ``<5`` stays, a hidden cell is empty, coverage is a percentage with one
    decimal rounded half up (``tslp_portal.numbers``), or with ``exact`` the ratio itself (Excel formats it)."""
    if value is None:
        return ""
    if key == "cakupan" and not exact:
        return numbers.percent_value(value)
    return value


def table_rows(columns, rows, total=None, *, exact: bool = False) -> list[list]:
    out = [[cell(key, row.get(key), exact=exact) for key, _label in columns] for row in rows]
    if total is not None:
        out.append([cell(key, total.get(key), exact=exact) for key, _label in columns])
    return out


def xlsx_download(columns, rows, filename: str, title: str) -> HttpResponse:
    """``rows`` from ``table_rows(..., exact=True)``: coverage is a ratio, shown as a percentage by Excel."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(row_cells(sheet, [str(label) for _key, label in columns]))
    for values in rows:
        cells = row_cells(sheet, values)
        for written, (key, _label) in zip(cells, columns, strict=True):
            if key == "cakupan":
                written.number_format = numbers.PERCENT_FORMAT
        sheet.append(cells)
    return xlsx_response(workbook, filename)


def csv_download(columns, rows, filename: str) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([str(label) for _key, label in columns])
    for values in rows:
        writer.writerow([csv_text(v) for v in values])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
