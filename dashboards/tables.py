"""The dashboard tables, declared once: the pages render them and the Excel downloads write them.

A table is a title, columns (key, header, kind) and rows (dicts). Kinds: ``text``, ``int``, ``rupiah``,
``ratio`` (0-1, shown as a percentage), ``bool``.
"""

from dataclasses import dataclass, field

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from tslp_portal import numbers
from tslp_portal.excel import row_cells, xlsx_response


@dataclass
class Column:
    key: str
    label: str
    kind: str = "int"


@dataclass
class Table:
    slug: str
    title: str
    columns: list[Column]
    rows: list[dict]
    caption: str = ""
    meta: dict = field(default_factory=dict)


def figure_columns(first: str) -> list[Column]:
    return [
        Column("nama", first, "text"),
        Column("keluarga", gettext_lazy("Families")),
        Column("keluarga_miskin", gettext_lazy("Poor families")),
        Column("miskin_terjangkau", gettext_lazy("Poor families reached")),
        Column("cakupan", gettext_lazy("Coverage"), "ratio"),
        Column("kesenjangan", gettext_lazy("Gap (poor not reached)")),
        Column("miskin_belum_pernah", gettext_lazy("Poor, never assisted")),
        Column("terjangkau", gettext_lazy("Families reached")),
        Column("tanpa_desil", gettext_lazy("Without desil")),
        Column("program", gettext_lazy("Programs")),
        Column("anggaran_rencana", gettext_lazy("Planned (Rp)"), "rupiah"),
        Column("realisasi", gettext_lazy("Realised (Rp)"), "rupiah"),
    ]


PROGRAM_COLUMNS = [
    Column("title", gettext_lazy("Program"), "text"),
    Column("company", gettext_lazy("Company"), "text"),
    Column("bidang_label", gettext_lazy("Bidang"), "text"),
    Column("status_label", gettext_lazy("Status"), "text"),
    Column("budget", gettext_lazy("Budget (Rp)"), "rupiah"),
    Column("realised", gettext_lazy("Verified realisation (Rp)"), "rupiah"),
    Column("overdue", gettext_lazy("Report overdue"), "bool"),
]
# A desa's programs: the whole program beside this desa's share of it.
DESA_PROGRAM_COLUMNS = [
    *PROGRAM_COLUMNS[:5],
    Column("share_budget", gettext_lazy("This desa's share (Rp)"), "rupiah"),
    PROGRAM_COLUMNS[5],
    Column("share_realised", gettext_lazy("Realisation, this desa's share (Rp)"), "rupiah"),
    PROGRAM_COLUMNS[6],
]
BIDANG_COLUMNS = [
    Column("label", gettext_lazy("Bidang"), "text"),
    Column("program", gettext_lazy("Programs")),
    Column("company_count", gettext_lazy("Companies")),
    Column("anggaran_rencana", gettext_lazy("Planned (Rp)"), "rupiah"),
    Column("realisasi", gettext_lazy("Realised (Rp)"), "rupiah"),
]
COMPANY_COLUMNS = [
    Column("company", gettext_lazy("Company"), "text"),
    Column("diajukan", gettext_lazy("Submitted")),
    Column("disetujui", gettext_lazy("Approved")),
    Column("berjalan", gettext_lazy("Running")),
    Column("selesai", gettext_lazy("Completed")),
    Column("dilaporkan", gettext_lazy("Realisation reported")),
    Column("diverifikasi", gettext_lazy("Realisation verified")),
    Column("anggaran_rencana", gettext_lazy("Planned (Rp)"), "rupiah"),
    Column("realisasi", gettext_lazy("Spent (Rp)"), "rupiah"),
    Column("terlambat", gettext_lazy("Overdue")),
]
TREND_COLUMNS = [
    Column("tahun", gettext_lazy("Budget year"), "text"),
    Column("program", gettext_lazy("Programs")),
    Column("anggaran_rencana", gettext_lazy("Planned (Rp)"), "rupiah"),
    Column("realisasi", gettext_lazy("Realised (Rp)"), "rupiah"),
    Column("terjangkau", gettext_lazy("Families reached")),
    Column("miskin_terjangkau", gettext_lazy("Poor families reached")),
]
FAIRNESS_COLUMNS = [
    Column("nama", gettext_lazy("Kecamatan"), "text"),
    Column("nol", gettext_lazy("Never assisted")),
    Column("satu", gettext_lazy("Assisted once")),
    Column("dua", gettext_lazy("Assisted 2+ times")),
]

# Needs of the etalase by status, per desa or per bidang.
_ETALASE_COUNTS = [
    Column("proposed", gettext_lazy("Proposed, waiting for Dinsos")),
    Column("open", gettext_lazy("Open for adoption")),
    Column("adopted", gettext_lazy("Adopted")),
    Column("done", gettext_lazy("Done")),
]
ETALASE_DESA_COLUMNS = [Column("nama", gettext_lazy("Desa"), "text"), *_ETALASE_COUNTS]
ETALASE_BIDANG_COLUMNS = [Column("label", gettext_lazy("Bidang"), "text"), *_ETALASE_COUNTS]
ETALASE_CAPTION = gettext_lazy(
    "Needs the desa asked for in the etalase (Musrenbang, RKPD, Dinsos), by their status now, whatever the "
    "budget year. A name opens the etalase filtered to it."
)
NEEDS_COLUMNS = [
    Column("label", gettext_lazy("Need"), "text"),
    Column("keluarga", gettext_lazy("Poor families")),
    Column("belum", gettext_lazy("Of them not reached this year")),
]


def cell_text(value, kind: str) -> str:
    """A value as the pages show it: 1.469, Rp 1.250.000, 42,5%, ya/tidak."""
    if value is None:
        return numbers.DASH
    if kind == "int":
        return numbers.whole(value)
    if kind == "rupiah":
        return numbers.rupiah(value)
    if kind == "ratio":
        return numbers.percent(value)
    if kind == "bool":
        return _("yes") if value else _("no")
    return str(value)


def tables_xlsx(tables: list[Table], *, heading: list[tuple[str, str]], filename: str):
    """One sheet per table: the area, year, poverty line and data-as-of first, then the table; numbers stay
    numbers (coverage as a ratio with a percent format)."""
    workbook = Workbook(write_only=True)
    for table in tables:
        sheet = workbook.create_sheet(title=str(table.title)[:31])
        sheet.append(row_cells(sheet, [str(table.title)]))
        for label, value in heading:
            sheet.append(row_cells(sheet, [str(label), str(value)]))
        sheet.append([])
        sheet.append(row_cells(sheet, [str(c.label) for c in table.columns]))
        for row in table.rows:
            values = []
            for column in table.columns:
                value = row.get(column.key)
                if column.kind == "bool":
                    value = _("yes") if value else _("no")
                elif column.kind == "text":
                    value = "" if value is None else str(value)
                values.append(value)
            cells = row_cells(sheet, values)
            for cell, column in zip(cells, table.columns, strict=True):
                if column.kind == "ratio":
                    cell.number_format = numbers.PERCENT_FORMAT
                elif column.kind in {"int", "rupiah"}:
                    cell.number_format = numbers.WHOLE_FORMAT
            sheet.append(cells)
    return xlsx_response(_workbook_bytes(workbook), filename)


def _workbook_bytes(workbook) -> bytes:
    from io import BytesIO

    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def as_of_text(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")
