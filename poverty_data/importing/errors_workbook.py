"""The downloadable workbook of rejected rows."""

from django.utils.translation import gettext as _

from poverty_data.importing.result import RowError
from tslp_portal.excel import row_cells


def errors_workbook_write(errors: list, target) -> None:
    """Write rejected rows (``RowError`` or ``[row, column, value, reason]``) as an .xlsx to ``target``."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Rejected rows"))
    sheet.append([_("Row"), _("Column"), _("Value"), _("Reason")])
    for error in errors:
        # Registry values are whatever the file held: written inert (a "=HYPERLINK(...)" stays text).
        sheet.append(row_cells(sheet, error.as_list() if isinstance(error, RowError) else list(error)))
    workbook.save(target)
