"""Reading a register of obligated companies (DPMPTSP/OSS lists, HGU holders, mining permits).

The file is opened by the registry's defensive reader (``poverty_data.importing.readers.open_table``: .xlsx
and .csv, title rows, hostile zips); this module maps the columns those lists use, validates each row and
returns the valid rows and the rejected ones with their reasons. It changes nothing.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from poverty_data.importing.columns import normalize_header
from poverty_data.importing.readers import HEADER_PEEK_ROWS, ImportRefused, open_table
from poverty_data.importing.values import normalize_place
from poverty_data.models import Kecamatan

ALIASES: dict[str, tuple[str, ...]] = {
    "nib": ("NIB", "NOMOR INDUK BERUSAHA", "NO NIB", "NOMOR NIB", "NIB PERUSAHAAN"),
    "name": (
        "NAMA PERUSAHAAN",
        "NAMA PELAKU USAHA",
        "NAMA USAHA",
        "NAMA BADAN USAHA",
        "PERUSAHAAN",
        "NAMA",
        "PEMEGANG HGU",
        "PEMEGANG IUP",
        "NAMA PEMEGANG IZIN",
    ),
    "legal_form": (
        "BENTUK BADAN USAHA",
        "BADAN USAHA",
        "BENTUK USAHA",
        "JENIS BADAN USAHA",
        "STATUS BADAN HUKUM",
    ),
    "sector": (
        "KBLI",
        "KODE KBLI",
        "SEKTOR",
        "BIDANG USAHA",
        "URAIAN KBLI",
        "JUDUL KBLI",
        "KOMODITAS",
        "JENIS USAHA",
    ),
    "address": ("ALAMAT USAHA", "ALAMAT", "ALAMAT PERUSAHAAN", "ALAMAT KANTOR", "LOKASI USAHA", "LOKASI"),
    "kecamatan": ("KECAMATAN", "KEC", "KECAMATAN USAHA", "KECAMATAN LOKASI"),
    "email": ("EMAIL", "E-MAIL", "ALAMAT EMAIL", "SUREL", "EMAIL PERUSAHAAN"),
    "phone": (
        "TELEPON",
        "TELP",
        "NO TELP",
        "NO TELEPON",
        "NOMOR TELEPON",
        "NO HP",
        "HP",
        "TELEPON PERUSAHAAN",
    ),
}
HEADER_MAP = {normalize_header(alias): key for key, aliases in ALIASES.items() for alias in aliases}
FIELDS = ("nib", "name", "legal_form", "sector", "address", "kecamatan", "email", "phone")
LEGAL_FORMS = ("PT", "CV", "KOPERASI", "BUMN", "BUMD", "PERSEROAN TERBATAS", "FIRMA", "UD", "PERUM")
SEPARATORS = re.compile(r"[\s.\-/']")


@dataclass
class RegisterFile:
    """What a register file holds: valid rows (dicts of ``FIELDS``, kecamatan as an id) and row problems."""

    rows: list[dict] = field(default_factory=list)
    errors: list[list] = field(default_factory=list)  # [row, column, value, reason]
    warnings: list[list] = field(default_factory=list)
    rows_read: int = 0


def map_header(cells: list[str]) -> dict[str, int]:
    mapping: dict[str, int] = {}
    for index, cell in enumerate(cells):
        key = HEADER_MAP.get(normalize_header(cell))
        if key and key not in mapping:
            mapping[key] = index
    return mapping


def _is_header(cells: list[str]) -> bool:
    mapping = map_header(cells)
    return "nib" in mapping and "name" in mapping


def _legal_form(name: str, given: str) -> str:
    given = " ".join(given.split()).upper()
    if given:
        return given[:30]
    words = re.sub(r"[^A-Z ]", " ", name.upper()).split()
    for word in (words[:1] + words[-1:]) if words else []:
        if word in LEGAL_FORMS:
            return word
    return ""


def register_read(path: Path, original_name: str = "") -> RegisterFile:
    """Read and validate a register file; raises ``ImportRefused`` when the file as a whole cannot be used."""
    table = open_table(Path(path), original_name, header_test=_is_header)
    try:
        return _validate(table.rows)
    finally:
        table.close()


def _validate(rows) -> RegisterFile:
    result = RegisterFile()
    kecamatan = _kecamatan_index()
    mapping = None
    for number, cells in rows:
        if mapping is None:
            if _is_header(cells):
                mapping = map_header(cells)
                header = cells
            elif number > HEADER_PEEK_ROWS:
                break
            continue
        if not any(cell.strip() for cell in cells):
            continue
        result.rows_read += 1
        raw = {key: (cells[i].strip() if i < len(cells) else "") for key, i in mapping.items()}
        _row(result, number, raw, header, mapping, kecamatan)
    if mapping is None:
        raise ImportRefused(
            _(
                "No header row with an NIB column and a company name column (e.g. NIB and NAMA PERUSAHAAN) was found in the first %(rows)s rows."
            )
            % {"rows": HEADER_PEEK_ROWS}
        )
    seen: dict[str, int] = {}
    duplicates: set[str] = set()
    for row in result.rows:
        if row["nib"] in seen:
            duplicates.add(row["nib"])
        seen.setdefault(row["nib"], row["row"])
    if duplicates:
        for row in result.rows:
            if row["nib"] in duplicates:
                result.errors.append(
                    [
                        row["row"],
                        "NIB",
                        row["nib"],
                        _("This NIB appears more than once in the file (first on row %(row)s).")
                        % {"row": seen[row["nib"]]},
                    ]
                )
        result.rows = [row for row in result.rows if row["nib"] not in duplicates]
    result.errors.sort(key=lambda error: error[0])
    return result


def _kecamatan_index() -> dict[str, int]:
    return {
        normalize_place(nama): pk
        for pk, nama in Kecamatan.objects.filter(kabupaten_kode=settings.TSLP_KABUPATEN_KODE).values_list(
            "pk", "nama"
        )
    }


def _row(
    result: RegisterFile, number: int, raw: dict, header: list[str], mapping: dict[str, int], kecamatan: dict
) -> None:
    def label(key: str) -> str:
        return header[mapping[key]]

    errors = []
    nib = SEPARATORS.sub("", raw.get("nib", ""))
    if nib.endswith(".0") or re.fullmatch(r"\d+(\.\d+)?[eE]\+?\d+", raw.get("nib", "")):
        errors.append(
            [
                number,
                label("nib"),
                raw["nib"],
                _("The NIB was stored as a number and has lost digits; format the column as text."),
            ]
        )
    elif not re.fullmatch(r"\d{13}", nib):
        errors.append([number, label("nib"), raw.get("nib", ""), _("NIB must be exactly 13 digits.")])
    name = " ".join(raw.get("name", "").split())
    if not name:
        errors.append([number, label("name"), "", _("The company name is empty.")])
    elif len(name) > 200:
        errors.append(
            [number, label("name"), name[:40], _("The company name is longer than 200 characters.")]
        )
    kecamatan_id = None
    if raw.get("kecamatan"):
        kecamatan_id = kecamatan.get(normalize_place(raw["kecamatan"]))
        if kecamatan_id is None:
            errors.append(
                [
                    number,
                    label("kecamatan"),
                    raw["kecamatan"],
                    _("No kecamatan of Pulang Pisau has this name."),
                ]
            )
    email = raw.get("email", "").strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.append([number, label("email"), raw["email"], _("This is not an e-mail address.")])
    if errors:
        result.errors.extend(errors)
        return
    if not email:
        result.warnings.append(
            [number, label("nib"), nib, _("No e-mail address: the company cannot be invited by e-mail.")]
        )
    result.rows.append(
        {
            "row": number,
            "nib": nib,
            "name": name,
            "legal_form": _legal_form(name, raw.get("legal_form", "")),
            "sector": " ".join(raw.get("sector", "").split())[:120],
            "address": " ".join(raw.get("address", "").split()),
            "kecamatan": kecamatan_id,
            "email": email,
            "phone": " ".join(raw.get("phone", "").split())[:30],
        }
    )
