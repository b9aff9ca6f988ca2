"""Excel downloads made with openpyxl, laid out for meetings: a title, headers, totals."""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

RUPIAH = '"Rp" #,##0'
HEADER_FILL = PatternFill("solid", fgColor="DCFCE7")


def _header(sheet, row: int, labels: list[str]) -> None:
    for column, label in enumerate(labels, start=1):
        cell = sheet.cell(row=row, column=column, value=label)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def annual_plan_workbook(*, company, tahun: int, plan: dict) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Programs")
    sheet["A1"] = _("Annual TSLP plan %(tahun)s — %(company)s") % {"tahun": tahun, "company": company.name}
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = _("NIB %(nib)s") % {"nib": company.nib}
    headers = [
        _("Title"),
        _("Bentuk"),
        _("Bidang"),
        _("Status"),
        _("Kecamatan"),
        _("Desa/kelurahan"),
        _("Start"),
        _("End"),
        _("Target households"),
        _("Budget (Rp)"),
    ]
    _header(sheet, 4, headers)
    row = 5
    for program in plan["programs"]:
        locations = [loc.desa for loc in program.locations.all()]
        values = [
            program.title,
            program.get_bentuk_display(),
            program.get_bidang_display(),
            program.get_status_display(),
            ", ".join(sorted({d.kecamatan.nama for d in locations})),
            ", ".join(sorted(d.nama for d in locations)),
            program.start_date,
            program.end_date,
            program.target_households,
            program.budget,
        ]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=column, value=value)
            if column in (7, 8):
                cell.number_format = "DD/MM/YYYY"
        sheet.cell(row=row, column=10).number_format = RUPIAH
        row += 1
    sheet.cell(row=row, column=1, value=_("Total")).font = Font(bold=True)
    sheet.cell(row=row, column=9, value=plan["total_households"]).font = Font(bold=True)
    total = sheet.cell(row=row, column=10, value=plan["total_budget"])
    total.font = Font(bold=True)
    total.number_format = RUPIAH
    for column, width in enumerate([40, 28, 28, 18, 20, 40, 12, 12, 14, 18], start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A5"

    for title, key in ((_("By bidang"), "by_bidang"), (_("By bentuk"), "by_bentuk")):
        summary = workbook.create_sheet(title)
        _header(summary, 1, [title, _("Programs"), _("Budget (Rp)")])
        for index, item in enumerate(plan[key], start=2):
            summary.cell(row=index, column=1, value=str(item["label"]))
            summary.cell(row=index, column=2, value=item["count"])
            summary.cell(row=index, column=3, value=item["budget"]).number_format = RUPIAH
        summary.column_dimensions["A"].width = 40
        summary.column_dimensions["C"].width = 20

    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
