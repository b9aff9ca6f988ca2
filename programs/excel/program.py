"""Excel downloads made with openpyxl, laid out for meetings: a title, headers, totals."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from tslp_portal.excel import workbook_bytes

RUPIAH = '"Rp" #,##0'
HEADER_FILL = PatternFill("solid", fgColor="DCFCE7")


def header_write(sheet, row: int, labels: list[str]) -> None:
    for column, label in enumerate(labels, start=1):
        cell = sheet.cell(row=row, column=column, value=label)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")


PROGRAM_COLUMNS = [
    # (header, width)
    (_("Title"), 40),
    (_("Company"), 32),
    (_("Year"), 8),
    (_("Bentuk"), 28),
    (_("Bidang"), 28),
    (_("Status"), 18),
    (_("Kecamatan"), 20),
    (_("Desa/kelurahan"), 40),
    (_("Start"), 12),
    (_("End"), 12),
    (_("Target households"), 14),
    (_("Budget (Rp)"), 18),
]
BUDGET_COLUMN = len(PROGRAM_COLUMNS)
HOUSEHOLDS_COLUMN = BUDGET_COLUMN - 1


def _write_programs(sheet, programs, first_row: int) -> int:
    """Write one row per program (locations prefetched) with a total row; return the total row's number."""
    header_write(sheet, first_row - 1, [str(label) for label, _width in PROGRAM_COLUMNS])
    row = first_row
    total_budget = total_households = 0
    for program in programs:
        locations = [loc.desa for loc in program.locations.all()]
        values = [
            program.title,
            program.company.name,
            program.tahun,
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
            if column in (9, 10):
                cell.number_format = "DD/MM/YYYY"
        sheet.cell(row=row, column=BUDGET_COLUMN).number_format = RUPIAH
        total_budget += program.budget
        total_households += program.target_households
        row += 1
    sheet.cell(row=row, column=1, value=gettext("Total")).font = Font(bold=True)
    sheet.cell(row=row, column=HOUSEHOLDS_COLUMN, value=total_households).font = Font(bold=True)
    total = sheet.cell(row=row, column=BUDGET_COLUMN, value=total_budget)
    total.font = Font(bold=True)
    total.number_format = RUPIAH
    for column, (_label, width) in enumerate(PROGRAM_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = sheet.cell(row=first_row, column=1)
    return row


def program_list_workbook(*, programs, title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = gettext("Programs")
    sheet["A1"] = title
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = gettext("Downloaded %(date)s") % {"date": date_format(timezone.localdate())}
    _write_programs(sheet, programs, first_row=5)
    return workbook_bytes(workbook)


def annual_plan_workbook(*, company, tahun: int, plan: dict) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = gettext("Programs")
    sheet["A1"] = gettext("Annual TSLP plan %(tahun)s — %(company)s") % {
        "tahun": tahun,
        "company": company.name,
    }
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = gettext("NIB %(nib)s") % {"nib": company.nib}
    sheet["A3"] = gettext(
        "The totals count what the company still plans to do; drafts, withdrawn, rejected and cancelled "
        "programs are on the sheet “%(sheet)s”."
    ) % {"sheet": gettext("Not in the plan")}
    _write_programs(sheet, plan["programs"], first_row=5)
    apart = workbook.create_sheet(gettext("Not in the plan"))
    apart["A1"] = gettext("Drafts, withdrawn, rejected and cancelled programs %(tahun)s") % {"tahun": tahun}
    apart["A1"].font = Font(bold=True, size=14)
    _write_programs(apart, plan["set_apart"], first_row=4)

    for title, key in ((gettext("By bidang"), "by_bidang"), (gettext("By bentuk"), "by_bentuk")):
        summary = workbook.create_sheet(title)
        header_write(summary, 1, [title, gettext("Programs"), gettext("Budget (Rp)")])
        for index, item in enumerate(plan[key], start=2):
            summary.cell(row=index, column=1, value=str(item["label"]))
            summary.cell(row=index, column=2, value=item["count"])
            summary.cell(row=index, column=3, value=item["budget"]).number_format = RUPIAH
        summary.column_dimensions["A"].width = 40
        summary.column_dimensions["C"].width = 20
    return workbook_bytes(workbook)
