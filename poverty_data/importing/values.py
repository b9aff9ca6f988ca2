"""Parsing the values of registry exports: identity numbers, desil, yes/no flags, desa, dates, housing."""

import csv
import re
import unicodedata
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.utils.translation import gettext as _

from poverty_data.importing.readers import NumberCell


class ValueError_(Exception):
    """A cell value that cannot be used; the message is the reason shown to the user."""


_DIGITS16 = re.compile(r"[0-9]{16}")
# A long number as a spreadsheet writes it: with an exponent (``6.21105E+15``, how Excel writes a long
# number into a CSV file) or a fraction (``6211051505800013.0``).
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)[eE][+-]?\d+|[+-]?\d{15,}[.,]\d*")


def parse_identity(raw: str, label: str) -> str:
    """A NIK or No. KK: exactly 16 digits, from a text cell.

    Text cells are taken as written (spaces and a leading apostrophe dropped). A numeric cell
    (``readers.NumberCell``) or a number written with an exponent or a fraction is refused, cell by cell:
    Excel and LibreOffice Calc keep only 15 significant digits of a number, so a 16-digit NIK or No. KK
    typed as a number has lost its last digit (``6211051505800013`` is kept as ``6211051505800010``), and
    nothing in the cell says whether it has.
    """
    if type(raw) is str and len(raw) == 16 and raw.isdigit() and raw.isascii():
        return raw  # the common case, a text cell of 16 digits, taken as it is (below would change nothing)
    if isinstance(raw, NumberCell):
        raise ValueError_(number_identity_message(label, raw))
    # A leading apostrophe or backtick is the text marker spreadsheets and exports put before long numbers.
    # Full-width digits (typed with an East Asian input method, or pasted) are the same number; other scripts'
    # digits are refused below, as they would never match the registry's.
    value = unicodedata.normalize("NFKC", raw).strip().lstrip("'`").replace(" ", "")
    if _DIGITS16.fullmatch(value):
        return value
    if not value:
        raise ValueError_(_("%(label)s is empty.") % {"label": label})
    if _NUMBER.fullmatch(value):
        raise ValueError_(number_identity_message(label, value))
    raise ValueError_(
        _("%(label)s must be exactly 16 digits, not “%(value)s”.") % {"label": label, "value": raw}
    )


def plain_identities(column) -> bool:
    """Whether every value of a column is a NIK or No. KK that ``parse_identity`` takes as it is: 16 ASCII
    digits in a text cell (checked for a whole column at once)."""
    joined = "".join(column)
    return set(map(len, column)) == {16} and joined.isdigit() and joined.isascii()


def number_identity_message(label: str, value: str) -> str:
    """Why a NIK or No. KK stored as a number is refused, and how to fix the file.

    ``value`` is shown as the digits the spreadsheet kept (``6.21105E+15`` → ``6211050000000000``).
    """
    shown = value
    try:
        number = Decimal(value.strip().replace(",", "."))
    except ArithmeticError:
        number = None
    if number is not None and number.is_finite() and abs(number.adjusted()) <= 20:
        text = f"{number:f}"
        shown = text.rstrip("0").rstrip(".") if "." in text else text
    return _(
        "%(label)s is written as a number (%(value)s); Excel keeps only 15 significant digits, so the last "
        "digits may be lost. Format the column as Text and type the number again."
    ) % {"label": label, "value": shown}


_desil_cache: dict[str, int | None] = {}


def parse_desil(raw: str) -> int | None:
    """``3``, ``3.0``, ``Desil 3`` → 3; empty, ``-``, ``NULL`` or ``nan`` (pandas' empty cell) → None
    (unranked)."""
    cached = _desil_cache.get(raw, -1)
    if cached != -1:
        return cached
    text = raw.strip().lower().replace("desil", "").strip()
    if text in ("", "-", "null", "none", "n/a", "na", "nan"):
        value = None
    else:
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            raise ValueError_(
                _("Desil must be a number from 1 to 10, not “%(value)s”.") % {"value": raw}
            ) from None
        if not 1 <= number <= 10 or number != int(number):
            raise ValueError_(_("Desil must be a number from 1 to 10, not “%(value)s”.") % {"value": raw})
        value = int(number)
    if len(_desil_cache) < 1000:
        _desil_cache[raw] = value
    return value


def parse_member_count(raw: str) -> int | None:
    """The number of members in a cell (None when it is empty)."""
    raw = raw.strip()
    if not raw:
        return None
    try:
        count = int(float(raw))
    except (ValueError, OverflowError):
        raise ValueError_(_("The number of members is not a number.")) from None
    if not 0 <= count <= 99:
        raise ValueError_(_("The number of members is not plausible."))
    return count


YES = {"ya", "y", "yes", "1", "1.0", "true", "benar", "v", "ada", "penerima", "iya", "x", "✓", "√"}
# "2" is BPS's code for "Tidak" (see codes.py); "null" an empty cell of a database dump.
NO = {
    "tidak",
    "t",
    "tdk",
    "no",
    "n",
    "0",
    "0.0",
    "false",
    "salah",
    "-",
    "",
    "tidak ada",
    "bukan",
    "bukan penerima",
    "2",
    "2.0",
    "null",
}


# Exact spellings seen in exports, looked up before any normalisation (the import's hot path).
FLAG_VALUES = {
    variant: word in YES
    for word in YES | NO
    for variant in (word, word.upper(), word.capitalize(), word.title())
}


def parse_flag(raw: str, label: str) -> bool:
    text = raw.strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError_(
        _("%(label)s must be yes or no (Ya/Tidak), not “%(value)s”.") % {"label": label, "value": raw}
    )


# --- wilayah ---------------------------------------------------------------------------------------------

_PREFIXES = {"desa", "ds", "kel", "kelurahan", "kec", "kecamatan"}
_SYNONYMS = {"sei": "sungai", "sui": "sungai", "sg": "sungai", "tj": "tanjung", "tg": "tanjung"}


def normalize_place(name: str) -> str:
    """``Ds. Sei Pasanan`` and ``SUNGAI PASANAN`` → ``sungaipasanan``."""
    tokens = re.sub(r"[^0-9a-z]+", " ", name.lower()).split()
    while tokens and tokens[0] in _PREFIXES and len(tokens) > 1:
        tokens.pop(0)
    return "".join(_SYNONYMS.get(token, token) for token in tokens)


FORMER_NAMES = Path(__file__).resolve().parent.parent / "data" / "wilayah" / "former_names.csv"


def former_names() -> list[tuple[str, str]]:
    """(Kemendagri code, former official name) of desa renamed since the exports' lists were made."""
    with FORMER_NAMES.open(encoding="utf-8") as handle:
        return [(row["kode"], row["nama_lama"]) for row in csv.DictReader(handle)]


class DesaIndex:
    """Finds a desa of the loaded regency by Kemendagri code or by name within its kecamatan."""

    def __init__(self):
        from poverty_data.models import Desa

        self.by_code: dict[str, int] = {}
        self.by_name: dict[tuple[int, str], int] = {}
        self.kecamatan_by_name: dict[str, int] = {}
        self.kecamatan_names: dict[int, str] = {}
        regency_names: dict[str, list[int]] = {}
        desa_codes = []
        for desa_id, kode, nama, kecamatan_id, kecamatan_nama in Desa.objects.values_list(
            "id", "kode", "nama", "kecamatan_id", "kecamatan__nama"
        ):
            desa_codes.append((desa_id, kode, kecamatan_id))
            self.by_code[kode.replace(".", "")] = desa_id
            key = normalize_place(nama)
            self.by_name[(kecamatan_id, key)] = desa_id
            regency_names.setdefault(key, []).append(desa_id)
            self.kecamatan_by_name[normalize_place(kecamatan_nama)] = kecamatan_id
            self.kecamatan_names[kecamatan_id] = kecamatan_nama
        by_code = {kode: (desa_id, kecamatan_id) for desa_id, kode, kecamatan_id in desa_codes}
        for kode, former in former_names():
            if kode in by_code:
                desa_id, kecamatan_id = by_code[kode]
                key = normalize_place(former)
                self.by_name.setdefault((kecamatan_id, key), desa_id)
                regency_names.setdefault(key, []).append(desa_id)
        self.unique_by_name = {key: ids[0] for key, ids in regency_names.items() if len(set(ids)) == 1}
        # The kecamatan of each desa name, to tell where a desa written under the wrong kecamatan really is.
        self.kecamatan_of_name: dict[str, set[int]] = {}
        for kecamatan_id, key in self.by_name:
            self.kecamatan_of_name.setdefault(key, set()).add(kecamatan_id)
        self._cache: dict[tuple[str, str, str], int] = {}

    def find(self, code: str, name: str, kecamatan: str) -> int:
        key = (code, name, kecamatan)
        found = self._cache.get(key)
        if found is None:
            found = self._find(code, name, kecamatan)
            if len(self._cache) < 100_000:
                self._cache[key] = found
        return found

    def _find(self, code: str, name: str, kecamatan: str) -> int:
        code = code.strip()
        if not code and re.fullmatch(r"[\d.\s]{10,}", name.strip()):
            code, name = name.strip(), ""
        if code:
            digits = re.sub(r"\D", "", code)
            if digits.endswith(".0") or (len(digits) == 11 and code.endswith(".0")):
                digits = digits[:-1]
            desa_id = self.by_code.get(digits[:10]) if len(digits) >= 10 else None
            if desa_id is not None and len(digits) == 10:
                return desa_id
            if not name:
                raise ValueError_(_("Desa code %(code)s is not a desa of this regency.") % {"code": code})
        if not name.strip():
            raise ValueError_(_("The desa/kelurahan is empty."))
        key = normalize_place(name)
        if kecamatan.strip():
            kecamatan_id = self.kecamatan_by_name.get(normalize_place(kecamatan))
            if kecamatan_id is None:
                raise ValueError_(_("Kecamatan “%(name)s” is not in this regency.") % {"name": kecamatan})
            desa_id = self.by_name.get((kecamatan_id, key))
            if desa_id is None:
                raise ValueError_(self._wrong_kecamatan(name, key, kecamatan_id))
            return desa_id
        desa_id = self.unique_by_name.get(key)
        if desa_id is None:
            raise ValueError_(
                _("Desa “%(desa)s” is unknown or ambiguous without its kecamatan.") % {"desa": name}
            )
        return desa_id

    def _wrong_kecamatan(self, name: str, key: str, kecamatan_id: int) -> str:
        """Why desa ``name`` is not found in the kecamatan written beside it, naming where it really is."""
        kecamatan = self.kecamatan_names[kecamatan_id]
        elsewhere = sorted(self.kecamatan_names[other] for other in self.kecamatan_of_name.get(key, ()))
        if not elsewhere:
            return _(
                "Desa “%(desa)s” is not in Kecamatan %(kecamatan)s, nor anywhere else in this regency."
            ) % {"desa": name, "kecamatan": kecamatan}
        return _(
            "Desa “%(desa)s” is not in Kecamatan %(kecamatan)s; that desa is in Kecamatan %(actual)s. Correct "
            "the desa or the kecamatan."
        ) % {"desa": name, "kecamatan": kecamatan, "actual": " / ".join(elsewhere)}


# --- dates and derived flags -----------------------------------------------------------------------------

_DATE_FORMATS = [
    re.compile(r"(?P<d>\d{1,2})[-/.](?P<m>\d{1,2})[-/.](?P<y>\d{4})"),
    re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?:[ T].*)?"),
]
EXCEL_EPOCH = date(1899, 12, 30)


def parse_date(raw: str) -> date | None:
    """A birth date as exports write it; None when empty or unreadable (it is optional)."""
    text = raw.strip()
    if not text:
        return None
    for pattern in _DATE_FORMATS:
        match = pattern.fullmatch(text)
        if match:
            try:
                return date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:
                return None
    try:
        serial = float(text)
    except ValueError:
        return None
    if 1 <= serial < 80000:
        return EXCEL_EPOCH + timedelta(days=int(serial))
    return None


def age_on(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


HEAD_RELATIONS = {"kepalakeluarga", "kepalarumahtangga", "kk", "krt", "1", "kepala"}


def is_head(relation: str) -> bool:
    return re.sub(r"[^0-9a-z]", "", relation.lower()) in HEAD_RELATIONS


# Bappenas SEPAKAT classes of substandard housing, and unprotected water sources.
_GOOD_ROOF = ("beton", "genteng", "genting", "asbes", "seng")
_GOOD_WALL = ("tembok", "bata", "beton", "plester")
_POOR_FLOOR = (
    "tanah",
    "bambu",
    "kayu kualitas rendah",
    "papan kualitas rendah",
    "kayu/papan kualitas rendah",
)
_UNSAFE_WATER = (
    "tak terlindung",
    "tidak terlindung",
    "sungai",
    "danau",
    "waduk",
    "air hujan",
    "kolam",
    "lainnya",
)
_NO_TOILET = ("tidak", "tidak ada", "-", "bukan", "tidak memiliki", "umum", "sungai", "kebun")


def housing_needs(roof: str, wall: str, floor: str, water: str, toilet: str) -> tuple[bool, bool, bool]:
    """(uninhabitable house, no clean water, no toilet) from the housing columns.

    A house is uninhabitable when at least two of roof, wall and floor are substandard. Unknown (empty)
    values never count as a need, nor do bare numbers: codes are decoded before (``codes.py``), and a code
    no table decodes says nothing about the house.
    """
    roof, wall, floor, water, toilet = (
        "" if value.strip().isdigit() else value for value in (roof, wall, floor, water, toilet)
    )
    roof_l, wall_l, floor_l = roof.lower(), wall.lower(), floor.lower()
    poor = 0
    poor += bool(roof_l) and not any(word in roof_l for word in _GOOD_ROOF)
    poor += bool(wall_l) and not any(word in wall_l for word in _GOOD_WALL)
    poor += bool(floor_l) and any(word in floor_l for word in _POOR_FLOOR)
    water_l = water.lower()
    no_water = bool(water_l) and any(word in water_l for word in _UNSAFE_WATER)
    toilet_l = toilet.lower().strip()
    no_toilet = bool(toilet_l) and (
        toilet_l in _NO_TOILET or toilet_l.startswith(_NO_TOILET[:2]) or "tidak menggunakan" in toilet_l
    )
    return poor >= 2, no_water, no_toilet
