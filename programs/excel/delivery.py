"""The beneficiary list as Excel, and reading it back with the delivery columns filled in.

The company downloads its list, fills the three delivery columns (status, date, value) during distribution,
and uploads the same file. A row names its family only by what the portal gave: the code column holds a key
issued for this program's beneficiary (:func:`row_key`, signed with the site's secret, so a guessed, edited
or another program's key is refused), and the No. KK column must be the masked value of that family as the
company saw it. A full identity number is never compared with the registry: a row that carries one is
refused with the same message whether it is right or wrong, so the upload cannot be used to guess numbers.
"""

import datetime
import re
import zipfile
from dataclasses import dataclass, field

from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from accounts.scope import identity_for
from poverty_data.importing.readers import ImportRefused, check_zip
from programs.excel.program import RUPIAH, header_write
from programs.forms.fields import RupiahField
from programs.models import Beneficiary, Need
from programs.selectors.matching import NEED_FIELDS
from programs.services.delivery import (
    DeliveryError,
    DeliveryRow,
    beneficiaries_report_delivery,
    delivery_rows_check,
)
from tslp_portal.excel import cell_set, workbook_bytes
from tslp_portal.params import ascii_int
from tslp_portal.privacy import mask_identity

B = Beneficiary.State
FILL_IN = PatternFill("solid", fgColor="FEF9C3")
MAX_ROWS = 5000
HEADER_ROW = 5

COLUMNS = [
    # (key, header, width)
    ("code", _("Code"), 18),
    ("name", _("Head of household"), 28),
    ("nik", _("NIK"), 20),
    ("no_kk", _("No. KK"), 20),
    ("address", _("Address"), 36),
    ("desa", _("Desa"), 20),
    ("needs", _("Needs"), 30),
    ("status", _("Delivery status"), 26),
    ("date", _("Date delivered"), 15),
    ("value", _("Value delivered (Rp)"), 18),
]
COLUMN = {key: index for index, (key, _label, _width) in enumerate(COLUMNS, start=1)}


def row_key(program_id: int, beneficiary_id: int) -> str:
    """The code of a beneficiary's row in the downloaded list: its id and a signature over program and id."""
    signature = salted_hmac("programs.delivery.row", f"{program_id}:{beneficiary_id}", algorithm="sha256")
    return f"{beneficiary_id}-{signature.hexdigest()[:12]}"


def row_key_beneficiary(program_id: int, key) -> int | None:
    """The beneficiary id a row key of ``program_id`` names, or None for a key the portal did not issue."""
    beneficiary_id, _dash, _signature = str(key or "").strip().partition("-")
    number = ascii_int(beneficiary_id)
    if number is None or not constant_time_compare(str(key).strip(), row_key(program_id, number)):
        return None
    return number


def status_options() -> list[tuple[str, str, str]]:
    """(label, state, reason) for the status column, in the active language."""
    options = [(str(B.DELIVERED.label), B.DELIVERED, "")]
    for reason in Beneficiary.NotDeliveredReason:
        options.append(
            (gettext("Not delivered: %(reason)s") % {"reason": reason.label}, B.NOT_DELIVERED, reason.value)
        )
    return options


def status_label(beneficiary: Beneficiary) -> str:
    if beneficiary.state == B.DELIVERED:
        return str(B.DELIVERED.label)
    if beneficiary.state == B.NOT_DELIVERED:
        return gettext("Not delivered: %(reason)s") % {
            "reason": beneficiary.get_not_delivered_reason_display()
        }
    return ""


def household_needs(household) -> list[str]:
    return [str(label) for need, label in Need.choices if getattr(household, NEED_FIELDS[need], False)]


def household_address(household) -> str:
    parts = [household.alamat]
    if household.rt or household.rw:
        parts.append(f"RT {household.rt or '-'}/RW {household.rw or '-'}")
    if household.dusun:
        parts.append(household.dusun)
    return ", ".join(part for part in parts if part)


def beneficiary_workbook(*, program, beneficiaries, user, agreement=None) -> bytes:
    """The list as a meeting-friendly sheet: a title, who downloaded it and why, then one row per family."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = gettext("Beneficiaries")
    sheet["A1"] = gettext("Beneficiaries of %(title)s (%(tahun)s) — %(company)s") % {
        "title": program.title,
        "tahun": program.tahun,
        "company": program.company.name,
    }
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = gettext(
        "Downloaded %(date)s by %(user)s. Personal data: for delivering this program only."
    ) % {
        "date": date_format(timezone.localdate()),
        "user": user.get_full_name() or user.username,
    }
    if agreement is not None:
        sheet["A3"] = gettext("Data-sharing agreement (PKS) %(number)s") % {"number": agreement.number}
    sheet["A4"] = gettext(
        "Fill in the yellow columns and upload this file on the delivery page. Leave the status empty for a "
        "family not reached yet."
    )
    sheet["A4"].font = Font(italic=True)
    header_write(sheet, HEADER_ROW, [str(label) for _key, label, _width in COLUMNS])
    options = status_options()
    row = HEADER_ROW
    for row, beneficiary in enumerate(beneficiaries, start=HEADER_ROW + 1):
        household = beneficiary.household
        values = {
            "code": row_key(program.pk, beneficiary.pk),
            "name": household.nama_kepala,
            "nik": identity_for(user, household.nik_kepala),
            "no_kk": identity_for(user, household.no_kk),
            "address": household_address(household),
            "desa": household.desa.nama,
            "needs": ", ".join(household_needs(household)),
            "status": status_label(beneficiary),
            "date": beneficiary.delivered_on,
            "value": beneficiary.delivered_value,
        }
        for key, value in values.items():
            # Registry text is never run as a formula (=HYPERLINK(...) in a name): cell_set keeps it text.
            cell = cell_set(sheet, row, COLUMN[key], value)
            if key in {"status", "date", "value"}:
                cell.fill = FILL_IN
        sheet.cell(row=row, column=COLUMN["date"]).number_format = "DD/MM/YYYY"
        sheet.cell(row=row, column=COLUMN["value"]).number_format = RUPIAH
    if row > HEADER_ROW:
        # A drop-down on the status column keeps the values readable back; Excel wants the list quoted.
        choices = ",".join(label.replace(",", " ") for label, _state, _reason in options)
        validation = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
        sheet.add_data_validation(validation)
        letter = get_column_letter(COLUMN["status"])
        validation.add(f"{letter}{HEADER_ROW + 1}:{letter}{row}")
    for index, (_key, _label, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.cell(row=HEADER_ROW, column=index).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=3)
    return workbook_bytes(workbook)


class NotASpreadsheet(Exception):
    """The upload is not a readable Excel workbook or not this list."""


@dataclass
class ParsedUpload:
    rows: list[DeliveryRow] = field(default_factory=list)
    errors: dict[int, list[str]] = field(default_factory=dict)
    skipped: int = 0


def _normal(text) -> str:
    return re.sub(r"[^a-z0-9]+", " ", str(text or "").lower()).strip()


def _labels_in_every_language(label) -> set[str]:
    names = set()
    for language in ("id", "en"):
        with translation.override(language):
            names.add(_normal(str(label)))
    return names


def _status_lookup() -> dict[str, tuple[str, str]]:
    lookup = {}
    for language in ("id", "en"):
        with translation.override(language):
            for label, state, reason in status_options():
                lookup[_normal(label)] = (state, reason)
            lookup[_normal(str(B.DELIVERED.label))] = (B.DELIVERED, "")
            for reason in Beneficiary.NotDeliveredReason:
                lookup[_normal(str(reason.label))] = (B.NOT_DELIVERED, reason.value)
    lookup[_normal(B.DELIVERED.value)] = (B.DELIVERED, "")
    for reason in Beneficiary.NotDeliveredReason:
        lookup[_normal(reason.value)] = (B.NOT_DELIVERED, reason.value)
    return lookup


def _find_columns(sheet) -> tuple[int, dict[str, int]]:
    wanted = {key: _labels_in_every_language(label) for key, label, _width in COLUMNS}
    for row_number, row in enumerate(sheet.iter_rows(min_row=1, max_row=15, values_only=True), start=1):
        found = {}
        for index, value in enumerate(row, start=1):
            for key, names in wanted.items():
                if _normal(value) in names and key not in found:
                    found[key] = index
        if {"code", "no_kk", "status", "date", "value"} <= set(found):
            return row_number, found
    raise NotASpreadsheet(
        gettext(
            "This workbook is not the beneficiary list of this program: the columns %(columns)s were not "
            "found. Download the list again and fill in that file."
        )
        % {
            "columns": ", ".join(
                str(label) for key, label, _w in COLUMNS if key in {"code", "no_kk", "status"}
            )
        }
    )


def _parse_date(value):
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def _parse_value(value):
    if value in (None, ""):
        return None
    if isinstance(value, float):
        if value != int(value):
            raise ValueError(value)
        value = int(value)
    return RupiahField().to_python(value)


def _looks_unmasked(text: str) -> bool:
    """More digits than a masked number shows: the company wrote a (full or partly guessed) number."""
    return sum(character.isdigit() for character in text) > 10


def delivery_upload_parse(*, upload, program_id: int, beneficiaries: dict[int, str]) -> ParsedUpload:
    """Read an uploaded list of ``program_id``: ``beneficiaries`` maps its beneficiary ids to their No. KK.

    Row numbers in errors are Excel's, so the user finds the row at once.
    """
    try:
        # The registry importer's checks: no zip bomb, no encrypted parts, before openpyxl unpacks anything.
        with zipfile.ZipFile(upload) as archive:
            check_zip(archive)
        upload.seek(0)
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except ImportRefused as exc:
        raise NotASpreadsheet(str(exc)) from exc
    except Exception as exc:  # openpyxl raises many kinds for files that are not workbooks
        raise NotASpreadsheet(gettext("This file is not an Excel workbook (.xlsx).")) from exc
    try:
        sheet = workbook.worksheets[0]
        header_row, columns = _find_columns(sheet)
        statuses = _status_lookup()
        parsed = ParsedUpload()
        seen: dict[int, int] = {}
        for number, row in enumerate(
            sheet.iter_rows(min_row=header_row + 1, values_only=True), start=header_row + 1
        ):
            if number > header_row + MAX_ROWS:
                raise NotASpreadsheet(
                    gettext("The file has more than %(max)s rows; a program's list is never that long.")
                    % {"max": MAX_ROWS}
                )

            def cell(key, row=row):
                index = columns[key] - 1
                return row[index] if index < len(row) else None

            if all(value in (None, "") for value in row):
                continue
            status_text = cell("status")
            if status_text in (None, ""):
                parsed.skipped += 1
                continue
            errors = []
            code, no_kk = cell("code"), str(cell("no_kk") or "").strip()
            beneficiary_id = row_key_beneficiary(program_id, code)
            if _looks_unmasked(no_kk):
                # Checked before the code and never against the registry: the answer is the same for a
                # right and a wrong number.
                beneficiary_id = None
                errors.append(
                    gettext(
                        "Write the No. KK masked, exactly as in the downloaded list (e.g. 621105******8947): "
                        "a full number is not accepted."
                    )
                )
            elif beneficiary_id not in beneficiaries or no_kk != mask_identity(beneficiaries[beneficiary_id]):
                beneficiary_id = None
                errors.append(
                    gettext(
                        "Unknown household: the code and the masked No. KK of this row are not a family of "
                        "this program's list as downloaded. Copy the row from the list downloaded from this "
                        "page."
                    )
                )
            elif beneficiary_id in seen:
                errors.append(
                    gettext("This family is already reported in row %(row)s.") % {"row": seen[beneficiary_id]}
                )
            else:
                seen[beneficiary_id] = number
            state, reason = statuses.get(_normal(status_text), (None, ""))
            if state is None:
                errors.append(
                    gettext("Unknown status “%(status)s”: choose one of %(choices)s.")
                    % {
                        "status": status_text,
                        "choices": ", ".join(label for label, _s, _r in status_options()),
                    }
                )
            delivered_on = value = None
            if state == B.DELIVERED:
                try:
                    delivered_on = _parse_date(cell("date"))
                except ValueError:
                    errors.append(gettext("Write the date as DD/MM/YYYY, e.g. 26/11/2026."))
                try:
                    value = _parse_value(cell("value"))
                except Exception:  # RupiahField raises ValidationError; floats with cents raise ValueError
                    errors.append(gettext("Write the value in whole rupiah, e.g. 1.250.000."))
            if errors:
                parsed.errors[number] = errors
                continue
            parsed.rows.append(
                DeliveryRow(
                    beneficiary_id=beneficiary_id,
                    state=state,
                    reason=reason,
                    delivered_on=delivered_on,
                    value=value,
                    key=number,
                )
            )
        return parsed
    finally:
        workbook.close()


def delivery_upload_apply(*, program, actor, upload, beneficiaries) -> tuple[int, int]:
    """Read a filled-in list and apply it, all rows or none; return (households changed, rows skipped).

    Raises :class:`NotASpreadsheet` for a file that is not the list, :class:`DeliveryError` with every bad
    row (Excel row numbers) otherwise: the rows the file cannot say and the rows the service would refuse,
    in one report.
    """
    known = {b.pk: b.household.no_kk for b in beneficiaries}
    parsed = delivery_upload_parse(upload=upload, program_id=program.pk, beneficiaries=known)
    if parsed.errors:
        errors = {**parsed.errors, **delivery_rows_check(program=program, rows=parsed.rows)}
        raise DeliveryError(
            gettext("Nothing was saved: %(count)s rows need correcting.") % {"count": len(errors)}, errors
        )
    changed = beneficiaries_report_delivery(program=program, actor=actor, rows=parsed.rows)
    return changed, parsed.skipped
