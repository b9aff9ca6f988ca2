"""The register, coverage and award tables as Excel workbooks (written through ``tslp_portal.excel``)."""

from django.utils.translation import gettext as _
from openpyxl import Workbook

from tslp_portal.excel import row_cells


def _sheet(workbook: Workbook, title: str, header: list):
    sheet = workbook.create_sheet(title[:31])
    sheet.append(row_cells(sheet, header))
    return sheet


def register_workbook(entries) -> Workbook:
    workbook = Workbook(write_only=True)
    sheet = _sheet(
        workbook,
        _("Register"),
        [
            _("NIB"),
            _("Name"),
            _("Legal form"),
            _("KBLI or sector"),
            _("Address"),
            _("Kecamatan"),
            _("E-mail"),
            _("Phone"),
            _("Source"),
            _("Status"),
            _("Reason for the exemption"),
        ],
    )
    for entry in entries.iterator(chunk_size=2000):
        sheet.append(
            row_cells(
                sheet,
                [
                    entry.nib,
                    entry.name,
                    entry.legal_form,
                    entry.sector,
                    entry.address,
                    entry.kecamatan.nama if entry.kecamatan_id else "",
                    entry.email,
                    entry.phone,
                    entry.get_source_display(),
                    entry.get_status_display(),
                    entry.exempt_reason,
                ],
            )
        )
    return workbook


def _groups(sheet, groups) -> None:
    for group in groups:
        sheet.append(
            row_cells(
                sheet,
                [
                    group.name,
                    group.obligated,
                    group.with_plan,
                    group.plan_share,
                    group.with_report,
                    group.report_share,
                ],
            )
        )


def coverage_workbook(result) -> Workbook:
    workbook = Workbook(write_only=True)
    header = [
        _("Group"),
        _("Obligated companies"),
        _("With a plan"),
        _("Share with a plan"),
        _("With a report"),
        _("Share with a report"),
    ]
    for title, groups in (
        (_("Per sector"), [result.total, *result.by_sector]),
        (_("Per kecamatan"), [result.total, *result.by_kecamatan]),
    ):
        _groups(_sheet(workbook, title, header), groups)
    sheet = _sheet(
        workbook,
        _("Companies %(tahun)s") % {"tahun": result.tahun},
        [
            _("NIB"),
            _("Name"),
            _("Kecamatan"),
            _("Status"),
            _("Plan"),
            _("Realisation"),
            _("Planned (Rp)"),
            _("Realised (Rp)"),
            _("Days overdue"),
            _("E-mail"),
            _("Phone"),
        ],
    )
    for entry, item in result.rows:
        sheet.append(
            row_cells(
                sheet,
                [
                    entry.nib,
                    entry.name,
                    entry.kecamatan.nama if entry.kecamatan_id else "",
                    entry.get_status_display(),
                    str(item.plan_label),
                    str(item.report_label),
                    item.planned,
                    item.realised,
                    item.days_overdue,
                    entry.email,
                    entry.phone,
                ],
            )
        )
    return workbook


def award_workbook(tahun: int, weights, rows) -> Workbook:
    workbook = Workbook(write_only=True)
    sheet = _sheet(
        workbook,
        _("Award %(tahun)s") % {"tahun": tahun},
        [
            _("Rank"),
            _("NIB"),
            _("Company"),
            _("Score (0–100)"),
            _("Amount realised (Rp)"),
            _("Amount (0–1) × %(w)s") % {"w": weights.amount},
            _("Plan on time (0–1) × %(w)s") % {"w": weights.plan_on_time},
            _("Report on time (0–1) × %(w)s") % {"w": weights.report_on_time},
            _("Share to desil 1–2 (0–1) × %(w)s") % {"w": weights.poorest_share},
            _("Next year's plan (0–1) × %(w)s") % {"w": weights.next_plan},
        ],
    )
    for row in rows:
        sheet.append(
            row_cells(
                sheet,
                [
                    row.rank,
                    row.entry.nib,
                    row.entry.name,
                    row.score,
                    row.compliance.realised,
                    round(row.amount, 3),
                    row.plan_on_time,
                    row.report_on_time,
                    round(row.poorest_share, 3),
                    row.next_plan,
                ],
            )
        )
    return workbook
