"""Streaming, defensive readers for the spreadsheets Dinsos receives (.xlsx and .csv).

Both readers yield ``(row_number, [cell text, ...])`` and never hold the sheet in memory. The .xlsx reader
does not use an XML parser on the sheet: it scans the unzipped XML with regular expressions (measured ~10x
faster than openpyxl read-only; `make bench` prints the ratio), never resolves entities and refuses any DOCTYPE, and
checks the zip's declared sizes before unpacking anything.
"""

import codecs
import csv
import html
import io
import itertools
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from zlib import error as zlib_error

from django.utils.translation import gettext as _

Row = tuple[int, list[str]]

# Limits for hostile files. A real province-size export (1M rows x 20 columns) is ~1 GB of sheet XML.
MAX_ZIP_MEMBERS = 1000
MAX_UNCOMPRESSED_TOTAL = 4 * 1024**3
MAX_COMPRESSION_RATIO = 200  # checked for members above 1 MiB; real sheets compress 5-20x
MAX_SHARED_STRINGS = 1536 * 1024**2
MAX_SMALL_PART = 32 * 1024**2  # workbook.xml and its relations
MAX_ROW_XML = 16 * 1024**2
MAX_CONSECUTIVE_EMPTY_ROWS = 1000
HEADER_PEEK_ROWS = 30
CHUNK = 1024 * 1024
# How many "f" characters a part of a sheet is searched by before the formula check searches for "<f".
FORMULA_SCAN_LIMIT = 2048

ZIP_MAGIC = b"PK\x03\x04"
ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class ImportRefused(Exception):
    """The file as a whole cannot be imported; the message says why, in the user's language."""


class NumberCell(str):
    """The text of a numeric cell (not a text cell) whose number is long enough to be a NIK or No. KK.

    Excel keeps 15 significant digits of a number, so an identity number typed into a cell formatted as a
    number has already lost its last digit: the validator refuses it (``values.parse_identity``). Only
    numbers written with 15 characters or more, or with an exponent, are marked; any other cell is a plain
    ``str``.
    """


class NumberRow(list):
    """A row holding at least one ``NumberCell``: its cells' types matter beyond their text, so it never
    passes for a row read before (``fingerprints``)."""


def password_message() -> str:
    return _("The workbook is protected with a password. Save it again without a password and upload it.")


def entities_message() -> str:
    return _("The workbook contains XML entity declarations, which Excel never writes; refused.")


@dataclass
class Table:
    """An opened file: its rows (lazily read) and how far reading has got (0.0-1.0)."""

    rows: Iterator[Row]
    progress: Callable[[], float]
    kind: str
    notes: list[str] = field(default_factory=list)
    close: Callable[[], None] = lambda: None


def not_xlsx_message() -> str:
    return _("This is not an .xlsx workbook. Open it in Excel and save it as .xlsx (Excel Workbook).")


def xls_message() -> str:
    return _("This is an old Excel (.xls) file. Open it in Excel and save it as .xlsx (Excel Workbook).")


def ods_message() -> str:
    return _(
        "This is a LibreOffice/OpenOffice spreadsheet (.ods). Open it in LibreOffice Calc, choose File > Save "
        "As with the file type “Excel 2007-365 (.xlsx)”, and import the .xlsx file."
    )


def open_table(
    path: Path, original_name: str = "", header_test: Callable[[list[str]], bool] | None = None
) -> Table:
    """Open ``path`` as a table, deciding its type by its content, never by its name alone.

    In a workbook of several sheets the first sheet whose top rows pass ``header_test`` is read (exports
    often put a cover or a legend sheet first); without one, the first sheet.
    """
    path = Path(path)
    name = (original_name or path.name).lower()
    with path.open("rb") as handle:
        head = handle.read(8192)
    if not head:
        raise ImportRefused(_("The file is empty."))
    if head.startswith(ZIP_MAGIC):
        return _open_xlsx(path, header_test)
    if head.startswith(OLE2_MAGIC):
        if "EncryptionInfo".encode("utf-16-le") in _read_all_limited(path, 4 * 1024**2):
            raise ImportRefused(password_message())
        raise ImportRefused(xls_message())
    start = head.lstrip(codecs.BOM_UTF8).lstrip().lower()
    if start.startswith((b"<html", b"<!doctype html", b"<table", b"<meta", b"<?xml")) and (
        b"<table" in head.lower() or b"<html" in head.lower() or b"office:spreadsheet" in head.lower()
    ):
        # Web pages (OpenSID, SIKS-NG downloads) and XML Spreadsheet 2003 files named .xls.
        raise ImportRefused(
            _(
                "This file is a web page or an old Excel XML file saved with an Excel name. Open it in Excel "
                "and save it as .xlsx (Excel Workbook)."
            )
        )
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ImportRefused(_("The file is not a spreadsheet (.xlsx) or a CSV file."))
    if name.endswith((".xlsx", ".xlsm")):
        raise ImportRefused(_("The file is not a valid Excel workbook (.xlsx)."))
    if head.lstrip().startswith((b"%PDF", b"<", b"{")):
        raise ImportRefused(_("The file is not a spreadsheet (.xlsx) or a CSV file."))
    return _open_csv(path)


def _read_all_limited(path: Path, limit: int) -> bytes:
    with path.open("rb") as handle:
        return handle.read(limit)


# --- CSV -------------------------------------------------------------------------------------------------


def _detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) when the whole file decodes as such, else Windows-1252."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as handle:
        try:
            while chunk := handle.read(CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8-sig"


def _open_csv(path: Path) -> Table:
    encoding = _detect_encoding(path)
    size = max(path.stat().st_size, 1)
    raw = path.open("rb")
    text = io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="")
    sample = text.read(65536)
    text.seek(0)
    lines = [line for line in sample.splitlines()[:20] if line.strip()]
    counts = {delim: sum(line.count(delim) for line in lines) for delim in (";", ",", "\t", "|")}
    delimiter = max(counts, key=counts.get)
    if counts[delimiter] == 0:
        delimiter = ","

    def rows() -> Iterator[Row]:
        reader = csv.reader(text, delimiter=delimiter)
        try:
            for number, row in enumerate(reader, start=1):
                yield number, [cell.strip() for cell in row]
        except csv.Error as exc:
            raise ImportRefused(
                _("The CSV file cannot be read near line %(line)s: %(error)s")
                % {"line": reader.line_num, "error": exc}
            ) from exc

    def close():
        text.close()

    return Table(rows=rows(), progress=lambda: min(raw.tell() / size, 1.0), kind="csv", close=close)


# --- XLSX ------------------------------------------------------------------------------------------------

_DOCTYPE_RE = re.compile(r"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_SI_RE = re.compile(r"<si>(.*?)</si>|<si/>", re.S)
_T_RE = re.compile(r"<t(?:\s[^>]*)?>(.*?)</t>|<t\s*/>", re.S)
_RPH_RE = re.compile(r"<rPh\b.*?</rPh>", re.S)
_ROW_NUMBER_RE = re.compile(r'\br="(\d+)"')
# The layout openpyxl, Excel and LibreOffice write: r first, then s and/or t in either order.
_FAST_CELL_RE = re.compile(
    r'<c r="([A-Z]+)\d+"(?: s="\d+")?(?: t="(\w+)")?(?: s="\d+")?'
    r"(?:/>|>(?:<f>[^<]*</f>|<f[^>]*/>)?(?:<v>([^<]*)</v>|<is><t(?: [^>]*)?>([^<]*)</t></is>)?</c>)"
)
# A value right after its cell's opening tag (which ends with an attribute's quote): one match per cell that
# holds a plain value, none for a cell that is empty, rich text or a formula, so that counting the matches
# against the cells tells whether every cell was read (a rich-text cell's two runs beside an empty cell
# must not pass for two cells).
_PLAIN_VALUE_RE = re.compile(r'"><(?:v|is><t)>([^<]*)<')
_TYPED_VALUE_RE = re.compile(r'<c r="[A-Z]+\d+"(?: s="\d+")?(?: t="(\w+)")?[^>]*><(?:v|is><t)>([^<]*)<')
_LETTERS_RE = re.compile(r"[A-Z]+")
# A cell value that may be an identity number stored as a number: 15 characters or more, or an exponent.
# Such a row is read cell by cell (the fast paths below do not look at cell types) to mark numeric cells.
# The possessive ``*+`` never backtracks: ~1 µs for a row of 20 cells (the fast paths take ~15 µs).
_LONG_NUMBER_RE = re.compile(r"<v>(?:[^<]{15}|[^<Ee]*+[Ee])")
_NUMERIC_TYPES = ("", "n")
_ANY_CELL_RE = re.compile(r"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_CELL_REF_RE = re.compile(r'\br="([A-Z]+)')
_CELL_TYPE_RE = re.compile(r'\bt="(\w+)"')
_V_RE = re.compile(r"<v>([^<]*)</v>")
_REL_RE = re.compile(r"<Relationship\b[^>]*>", re.S)
_ATTR_RE = re.compile(r'(\w+(?::\w+)?)="([^"]*)"')
_SHEET_RE = re.compile(r"<sheet\b[^>]*>", re.S)
# The first element of an XML part that is not a declaration, comment or processing instruction.
_ROOT_ELEMENT_RE = re.compile(r"<[A-Za-z_]")
MAX_PROLOG = 64 * 1024

_column_index_cache: dict[str, int] = {}


def column_index(letters: str) -> int:
    index = _column_index_cache.get(letters)
    if index is None:
        index = 0
        for char in letters:
            index = index * 26 + ord(char) - 64
        index -= 1
        _column_index_cache[letters] = index
    return index


def _unescape(text: str) -> str:
    return html.unescape(text) if "&" in text else text


def _inline_text(xml: str) -> str:
    xml = _RPH_RE.sub("", xml)
    return "".join(_unescape(part) for part in _T_RE.findall(xml))


def _check_zip(archive: zipfile.ZipFile) -> None:
    infos = archive.infolist()
    if len(infos) > MAX_ZIP_MEMBERS:
        raise ImportRefused(_("The workbook contains too many parts to be a real export; refused."))
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise ImportRefused(password_message())
        total += info.file_size
        if info.file_size > CHUNK and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
            raise ImportRefused(
                _(
                    "The workbook unpacks to far more data than a spreadsheet can hold (a “zip bomb”); "
                    "refused without opening it."
                )
            )
    if total > MAX_UNCOMPRESSED_TOTAL:
        raise ImportRefused(_("The workbook is larger than 4 GB when unpacked; split it per kabupaten."))


def _read_part(archive: zipfile.ZipFile, name: str, limit: int) -> str:
    info = archive.getinfo(name)
    if info.file_size > limit:
        raise ImportRefused(_("A part of the workbook is unusually large; refused."))
    with archive.open(info) as member:
        data = member.read(limit + 1)
    text = data.decode("utf-8", errors="replace")
    if _DOCTYPE_RE.search(text):
        raise ImportRefused(entities_message())
    return text


def _check_prologs(archive: zipfile.ZipFile) -> None:
    """Refuse a workbook when any XML part declares a DTD or entities, before any part is parsed.

    A DTD may only stand in a document's prolog, before its root element: reading each part up to its root
    element is enough, however large the part. A prolog longer than ``MAX_PROLOG`` is refused too: Excel
    writes a few dozen bytes.
    """
    for info in archive.infolist():
        if info.is_dir() or not info.filename.lower().endswith((".xml", ".rels", ".vml")):
            continue
        with archive.open(info) as member:
            prolog = member.read(MAX_PROLOG).decode("utf-8", errors="replace")
        root = _ROOT_ELEMENT_RE.search(prolog)
        if root is None and info.file_size > MAX_PROLOG:
            raise ImportRefused(entities_message())
        if _DOCTYPE_RE.search(prolog, 0, root.start() if root else len(prolog)):
            raise ImportRefused(entities_message())


def _sheet_paths(archive: zipfile.ZipFile) -> list[str]:
    """The worksheets' paths in the order the workbook lists its sheets."""
    names = set(archive.namelist())
    if "xl/workbook.xml" not in names:
        # OpenDocument files (LibreOffice's .ods) are zip archives that name their type in "mimetype".
        if "mimetype" in names and _read_part(archive, "mimetype", 1024).strip().startswith(ODS_MIMETYPE):
            raise ImportRefused(ods_message())
        raise ImportRefused(_("The file is a zip archive but not an Excel workbook (.xlsx)."))
    workbook = _read_part(archive, "xl/workbook.xml", MAX_SMALL_PART)
    targets = {}
    if "xl/_rels/workbook.xml.rels" in names:
        rels = _read_part(archive, "xl/_rels/workbook.xml.rels", MAX_SMALL_PART)
        for rel in _REL_RE.findall(rels):
            attrs = dict(_ATTR_RE.findall(rel))
            targets[attrs.get("Id")] = attrs.get("Target", "")
    paths = []
    for sheet in _SHEET_RE.findall(workbook):
        attrs = dict(_ATTR_RE.findall(sheet))
        rel_id = attrs.get("r:id") or next((v for k, v in attrs.items() if k.endswith(":id")), None)
        target = targets.get(rel_id)
        if target:
            path = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
            path = path.replace("xl/./", "xl/")
            if path in names and path not in paths:
                paths.append(path)
    if not paths:
        paths = sorted(name for name in names if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", name))
    if not paths:
        raise ImportRefused(_("The workbook has no worksheet."))
    return paths


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    try:
        info = archive.getinfo("xl/sharedStrings.xml")
    except KeyError:
        return []
    if info.file_size > MAX_SHARED_STRINGS:
        raise ImportRefused(_("A part of the workbook is unusually large; refused."))
    strings: list[str] = []
    buffer = ""
    first = True
    with archive.open(info) as member:
        while True:
            chunk = member.read(CHUNK)
            if first:
                if _DOCTYPE_RE.search(chunk.decode("utf-8", errors="replace")):
                    raise ImportRefused(entities_message())
                first = False
            buffer += chunk.decode("utf-8", errors="replace") if chunk else ""
            cut = buffer.rfind("</si>") + 5 if chunk else len(buffer)
            if cut < 5 and chunk:
                continue
            for match in _SI_RE.finditer(buffer, 0, cut):
                body = match.group(1)
                if body is None:
                    strings.append("")
                elif body.startswith("<t") and body.count("<t") == 1:
                    inner = _T_RE.match(body)
                    strings.append(_unescape(inner.group(1) or "") if inner else "")
                else:
                    strings.append(_inline_text(body))
            buffer = buffer[cut:]
            if not chunk:
                break
    return strings


def _open_xlsx(path: Path, header_test: Callable[[list[str]], bool] | None = None) -> Table:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportRefused(_("The file is not a valid Excel workbook (.xlsx).")) from exc
    try:
        _check_zip(archive)
        _check_prologs(archive)
        infos = [archive.getinfo(name) for name in _sheet_paths(archive)]
        shared = _shared_strings(archive)
        if header_test is not None and len(infos) > 1:
            for info in infos:
                rows, progress = _sheet_rows(archive, info, shared)
                peeked = _peek_header(rows, header_test)
                if peeked is not None:
                    return Table(
                        rows=itertools.chain(peeked, rows),
                        progress=progress,
                        kind="xlsx",
                        close=archive.close,
                    )
                rows.close()
        rows, progress = _sheet_rows(archive, infos[0], shared)
    except ImportRefused:
        archive.close()
        raise
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
        archive.close()
        raise ImportRefused(_("The file is not a valid Excel workbook (.xlsx).")) from exc
    return Table(rows=rows, progress=progress, kind="xlsx", close=archive.close)


def _peek_header(rows: Iterator[Row], header_test: Callable[[list[str]], bool]) -> list[Row] | None:
    """The rows read up to and including the header, or None when the sheet's top rows hold none."""
    peeked: list[Row] = []
    non_empty = 0
    for row in rows:
        peeked.append(row)
        if any(row[1]):
            if header_test(row[1]):
                return peeked
            non_empty += 1
            if non_empty >= HEADER_PEEK_ROWS:
                return None
        elif len(peeked) >= MAX_CONSECUTIVE_EMPTY_ROWS:
            return None
    return None


def _sheet_rows(archive: zipfile.ZipFile, info: zipfile.ZipInfo, shared: list[str]):
    """A sheet's rows (lazily read) and how far reading has got."""
    size = max(info.file_size, 1)
    state = {"read": 0}

    def parse_row(attrs: str, body: str | None, fallback_number: int, plain: bool) -> Row:
        """``plain``: the part of the sheet this row is in has no escape, formula or long number."""
        number_match = _ROW_NUMBER_RE.search(attrs)
        number = int(number_match.group(1)) if number_match else fallback_number
        values: list[str] = []
        if not body:
            return number, values
        long_number = not plain and _LONG_NUMBER_RE.search(body) is not None
        if plain or (not long_number and "&" not in body and "/>" not in body and "<f" not in body):
            # The common case, cells A, B, C… without gaps, formulas or escapes: one findall per row.
            count = body.count("<c ")
            last = body.rfind('<c r="')
            letters = _LETTERS_RE.match(body, last + 6) if last != -1 else None
            if count and letters and column_index(letters.group()) == count - 1:
                if 't="s"' not in body:
                    values = _PLAIN_VALUE_RE.findall(body)
                    if len(values) == count:
                        return number, values
                else:
                    typed = _TYPED_VALUE_RE.findall(body)
                    if len(typed) == count:
                        try:
                            return number, [shared[int(v)] if t == "s" else v for t, v in typed]
                        except (ValueError, IndexError):
                            pass
        cells = _FAST_CELL_RE.findall(body)
        if len(cells) == body.count("<c ") + body.count("<c>"):
            # The common case, cells A, B, C… without gaps and plain values: one comprehension per row.
            if not long_number and "&" not in body and cells and column_index(cells[-1][0]) == len(cells) - 1:
                try:
                    return number, [shared[int(v)] if t == "s" else (v or i) for _l, t, v, i in cells]
                except (ValueError, IndexError):
                    pass
        else:
            cells = _slow_cells(body)
        numeric = False
        for letters, kind, value, inline in cells:
            index = column_index(letters) if letters else len(values)
            if kind == "s":
                try:
                    text = shared[int(value)]
                except (ValueError, IndexError):
                    text = ""
            elif kind == "inlineStr":
                text = _inline_text(inline) if inline.startswith("<") else _unescape(inline)
            else:
                text = _unescape(value)
                if long_number and kind in _NUMERIC_TYPES and (len(text) >= 15 or "E" in text or "e" in text):
                    text = NumberCell(text)
                    numeric = True
            if index >= len(values):
                if index > 16383:
                    continue
                values.extend([""] * (index - len(values) + 1))
            values[index] = text
        return number, (NumberRow(values) if numeric else values)

    def rows() -> Iterator[Row]:
        buffer = ""
        number = 0
        first = True
        try:
            with archive.open(info) as member:
                while True:
                    chunk = member.read(CHUNK)
                    state["read"] += len(chunk)
                    text = chunk.decode("utf-8", errors="replace") if chunk else ""
                    if first:
                        if _DOCTYPE_RE.search(text):
                            raise ImportRefused(entities_message())
                        first = False
                    buffer += text
                    cut = buffer.rfind("<row") if chunk else len(buffer)
                    if cut <= 0 and chunk:
                        if len(buffer) > MAX_ROW_XML:
                            raise ImportRefused(_("A row of the sheet is unusually large; refused."))
                        continue
                    # Splitting on "</row>" (C speed) beats a lazy regex over the XML; each piece holds
                    # self-closing (empty) rows, then at most one row with cells.
                    region = buffer[:cut]
                    # Checked once per megabyte instead of once per row: most parts of a sheet are plain.
                    plain = (
                        "&" not in region
                        and not _may_hold_formula(region)
                        and _LONG_NUMBER_RE.search(region) is None
                    )
                    pieces = region.split("</row>")
                    last = len(pieces) - 1
                    for position, piece in enumerate(pieces):
                        start = piece.find("<row")
                        if start == -1:
                            continue
                        if position < last:
                            # The row with cells opens with the last "<row" before its first cell: looking
                            # for it there, not back from the piece's end, reads the row's opening only.
                            first_cell = piece.find("<c ", start)
                            open_at = piece.rfind("<row", start, first_cell) if first_cell != -1 else -1
                            if open_at == -1:
                                open_at = piece.rfind("<row")
                        else:
                            open_at = len(piece)
                        for _empty in range(piece.count("<row", start, open_at)):
                            number += 1
                            yield number, []
                        if position < last:
                            tag_end = piece.find(">", open_at)
                            number += 1
                            row = parse_row(piece[open_at + 4 : tag_end], piece[tag_end + 1 :], number, plain)
                            number = row[0]
                            yield row
                    buffer = buffer[cut:]
                    if not chunk:
                        break
        except (zipfile.BadZipFile, OSError, EOFError, zlib_error) as exc:
            raise ImportRefused(_("The workbook is damaged and cannot be read to the end.")) from exc

    return rows(), lambda: min(state["read"] / size, 1.0)


def _may_hold_formula(region: str) -> bool:
    """Whether a formula element (``<f>``, ``<f …>``) may be in this part of a sheet.

    ``"<f" in region`` barely skips: every fifth character of a sheet's XML is "<" (0.9 s over a million
    rows). "f" is rare outside the values, so this looks for it and at the character before; a part with
    many of them is searched the plain way."""
    start = 0
    for _attempt in range(FORMULA_SCAN_LIMIT):
        at = region.find("f", start)
        if at == -1:
            return False
        if at and region[at - 1] == "<":
            return True
        start = at + 1
    return "<f" in region[max(start - 1, 0) :]


def _slow_cells(body: str) -> list[tuple[str, str, str, str]]:
    cells = []
    for attrs, content in _ANY_CELL_RE.findall(body):
        ref = _CELL_REF_RE.search(attrs)
        kind = _CELL_TYPE_RE.search(attrs)
        content = content or ""
        value = _V_RE.search(content)
        inline = content if "<is>" in content else ""
        cells.append(
            (
                ref.group(1) if ref else "",
                kind.group(1) if kind else "",
                value.group(1) if value else "",
                inline,
            )
        )
    return cells


# The public name for other apps: programs reads uploaded delivery lists with the same checks.
check_zip = _check_zip
