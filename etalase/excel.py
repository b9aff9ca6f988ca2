"""The etalase as an Excel list for Musrenbang and Forum meetings."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from programs.excel.program import RUPIAH, header_write
from tslp_portal.excel import cell_set, workbook_bytes

COLUMNS = [
    (_("Title"), 40),
    (_("Kecamatan"), 20),
    (_("Desa/kelurahan"), 24),
    (_("Bidang"), 26),
    (_("Bentuk"), 26),
    (_("Status"), 12),
    (_("Priority"), 10),
    (_("Source"), 22),
    (_("Families it would serve"), 14),
    (_("Estimated budget (Rp)"), 18),
    (_("Funded (Rp)"), 18),
]


def need_list_workbook(needs) -> bytes:
    """One row per need (``needs`` annotated with ``funded``), with totals."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = gettext("Etalase")
    sheet.cell(row=1, column=1, value=gettext("Etalase of desa needs")).font = Font(bold=True, size=14)
    header_write(sheet, 3, [str(label) for label, _width in COLUMNS])
    row = 4
    budget = funded = 0
    for need in needs.iterator(chunk_size=2000):
        values = [
            need.title,
            need.kecamatan.nama,
            need.desa.nama if need.desa_id else gettext("whole kecamatan"),
            need.get_bidang_display(),
            need.get_bentuk_display(),
            need.get_status_display(),
            need.get_priority_display(),
            " ".join(filter(None, [str(need.get_source_display()), need.source_ref])),
            need.families,
            need.budget,
            need.funded,
        ]
        for column, value in enumerate(values, start=1):
            cell_set(sheet, row, column, value)
        sheet.cell(row=row, column=10).number_format = RUPIAH
        sheet.cell(row=row, column=11).number_format = RUPIAH
        budget += need.budget
        funded += need.funded
        row += 1
    sheet.cell(row=row, column=1, value=gettext("Total")).font = Font(bold=True)
    for column, value in ((10, budget), (11, funded)):
        cell = sheet.cell(row=row, column=column, value=value)
        cell.font = Font(bold=True)
        cell.number_format = RUPIAH
    for column, (_label, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A4"
    return workbook_bytes(workbook)
