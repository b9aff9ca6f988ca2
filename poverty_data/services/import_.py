"""Importing registry exports (DTKS, DTSEN, P3KE) into ``Household`` and ``Member``.

The whole import is one transaction. The file is streamed row by row (``poverty_data.importing``); every
row is checked, and valid rows go in chunks to a writer thread that shares the transaction's connection:
it copies each chunk into a temporary table (PostgreSQL ``COPY``; batched inserts on SQLite) and applies it
with set-based ``UPDATE … FROM`` / ``INSERT … SELECT`` statements while the next chunk is parsed. At the end
households of the same source missing from the file are deactivated. A dry run does the same work and
rolls back, so its counts are exact; a refusal, a crash or a kill leaves the registry as it was.

Rules worth knowing (also in README.md):
- The same No. KK twice in a per-family file: the first row wins, later ones are rejected. In a per-person
  (DTKS) file the row whose relation is "Kepala Keluarga" gives the household's fields; a second head or a
  repeated NIK within one No. KK is rejected; a No. KK without a head row is rejected.
- Columns a file does not have never overwrite what the registry holds (a DTKS file without desil keeps the
  desil a DTSEN import gave).
- A household whose row was rejected is not deactivated; one absent from a full export of the same source
  (same or newer period) is. Nothing is ever deleted.
"""

import hashlib
import io
import queue
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from poverty_data.importing.columns import looks_like_header, map_header, missing_required
from poverty_data.importing.readers import MAX_CONSECUTIVE_EMPTY_ROWS, ImportRefused, open_table
from poverty_data.importing.values import (
    FLAG_VALUES,
    DesaIndex,
    ValueError_,
    age_on,
    housing_needs,
    is_head,
    parse_date,
    parse_desil,
    parse_flag,
    parse_identity,
)
from poverty_data.models import Household, HouseholdChange, ImportBatch, Member
from poverty_data.signals import registry_changed

HEADER_SEARCH_ROWS = 30
STAGE_BATCH = 10_000
KEPT_ERRORS = 100_000
BATCH_ERRORS = 10_000
DESIL_OPTIONAL = {ImportBatch.Source.DTKS, ImportBatch.Source.OTHER}

STAGE = "tslp_stage_household"
STAGE_MEMBER = "tslp_stage_member"
CHUNK = "tslp_stage_chunk"
IMPORT_LOCK = 6211_0004

# Staging columns in order: (name, SQL type). The household fields first, then bookkeeping.
HOUSEHOLD_COLUMNS = [
    ("no_kk", "varchar(16)"),
    ("nik_kepala", "varchar(16)"),
    ("nama_kepala", "varchar(150)"),
    ("alamat", "varchar(255)"),
    ("rt", "varchar(5)"),
    ("rw", "varchar(5)"),
    ("dusun", "varchar(100)"),
    ("desa_id", "bigint"),
    ("desil", "smallint"),
    ("source_id", "varchar(40)"),
    ("member_count", "smallint"),
    ("receives_pkh", "boolean"),
    ("receives_bpnt", "boolean"),
    ("receives_pbi_jkn", "boolean"),
    ("receives_rtlh", "boolean"),
    ("roof", "varchar(60)"),
    ("wall", "varchar(60)"),
    ("floor", "varchar(60)"),
    ("drinking_water", "varchar(60)"),
    ("lighting", "varchar(60)"),
    ("toilet", "varchar(60)"),
    ("needs_house", "boolean"),
    ("needs_water", "boolean"),
    ("needs_toilet", "boolean"),
    ("has_elderly", "boolean"),
    ("has_disabled", "boolean"),
    ("has_toddler", "boolean"),
    ("has_school_age", "boolean"),
]
FIELD_NAMES = [name for name, _type in HOUSEHOLD_COLUMNS]
STAGE_COLUMNS = [*HOUSEHOLD_COLUMNS, ("row_number", "integer"), ("rejected", "boolean"), ("state", "char(1)")]
MEMBER_COLUMNS = [
    ("no_kk", "varchar(16)"),
    ("nik", "varchar(16)"),
    ("nama", "varchar(150)"),
    ("hubungan", "varchar(60)"),
    ("jenis_kelamin", "varchar(20)"),
    ("tanggal_lahir", "date"),
]
MAX_LENGTHS = {
    name: int(re.search(r"\d+", kind).group()) for name, kind in HOUSEHOLD_COLUMNS if "varchar" in kind
}
TEXT_FIELDS = [
    "alamat",
    "rt",
    "rw",
    "dusun",
    "source_id",
    "roof",
    "wall",
    "floor",
    "drinking_water",
    "lighting",
    "toilet",
]
FLAG_FIELDS = {
    "receives_pkh": "PKH",
    "receives_bpnt": "BPNT/Sembako",
    "receives_pbi_jkn": "PBI-JKN",
    "receives_rtlh": "RTLH",
    "rutilahu": "RUTILAHU",
    "has_elderly": "Lansia",
    "has_disabled": "Disabilitas",
    "has_toddler": "Balita",
    "has_school_age": "Anak sekolah",
}
NEEDS = ["needs_house", "needs_water", "needs_toilet"]


@dataclass
class RowError:
    row: int
    column: str
    value: str
    reason: str

    def as_list(self) -> list:
        return [self.row, self.column, self.value, self.reason]


@dataclass
class ImportResult:
    batch: ImportBatch
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0
    rejected: int = 0
    errors: list[RowError] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    refused: str = ""
    duration: float = 0.0

    @property
    def applied(self) -> bool:
        return self.batch.state == ImportBatch.State.APPLIED


Progress = Callable[[str, float, int], None]


def file_checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "januari", "january"),
            ("feb", "februari", "february", "pebruari"),
            ("mar", "maret", "march"),
            ("apr", "april"),
            ("mei", "may"),
            ("jun", "juni", "june"),
            ("jul", "juli", "july"),
            ("agu", "agustus", "aug", "august", "agt"),
            ("sep", "september"),
            ("okt", "oktober", "oct", "october"),
            ("nov", "november", "nop", "nopember"),
            ("des", "desember", "dec", "december"),
        ],
        start=1,
    )
    for name in names
}


def period_key(label: str) -> tuple[int, int] | None:
    """``2026-03``, ``03/2026``, ``Maret 2026``, ``2026`` → (2026, 3) / (2026, 0); None when unreadable."""
    text = label.lower()
    year = re.search(r"(19|20)\d{2}", text)
    if not year:
        return None
    rest = text[: year.start()] + " " + text[year.end() :]
    month = 0
    number = re.search(r"\b(0?[1-9]|1[0-2])\b", rest)
    word = next((_MONTHS[w] for w in re.findall(r"[a-z]+", rest) if w in _MONTHS), 0)
    if word:
        month = word
    elif number:
        month = int(number.group(1))
    return int(year.group()), month


class _Stage:
    """Staging and applying, chunk by chunk, in a writer thread that shares the import's connection.

    The main thread reads and validates; every ``STAGE_BATCH`` valid rows go to the writer, which copies
    them into a temporary chunk table (COPY on PostgreSQL) and applies them with set-based statements while
    the next chunk is being parsed, so the database works on one core while Python parses on the other.
    Everything happens inside the import's transaction: a dry run, a refusal or a crash rolls it all back.
    """

    def __init__(self, *, batch: ImportBatch, members: bool, dry_run: bool, now):
        self.connection = connections[DEFAULT_DB_ALIAS]
        self.postgres = self.connection.vendor == "postgresql"
        # Values are staged ready for COPY's text format on PostgreSQL, as Python values elsewhere.
        if self.postgres:
            self.T, self.F, self.NULL, self.num = "t", "f", r"\N", str
        else:
            self.T, self.F, self.NULL, self.num = True, False, None, _same
        self.batch = batch
        self.members = members
        self.dry_run = dry_run
        self.ts = self.connection.ops.adapt_datetimefield_value(now)
        self.present: list[str] = []
        self.pending: list[tuple] = []
        self.pending_members: list[tuple] = []
        self.total = self.created = self.updated = 0
        self.error: BaseException | None = None
        self.queue: queue.Queue = queue.Queue(maxsize=3)
        self.thread: threading.Thread | None = None
        with self.connection.cursor() as cursor:
            for table, columns in (
                (CHUNK, STAGE_COLUMNS),
                (STAGE, [("no_kk", "varchar(16)"), ("rejected", "boolean")]),
                (STAGE_MEMBER, MEMBER_COLUMNS),
            ):
                cursor.execute(f"DROP TABLE IF EXISTS {table}")
                cols = ", ".join(f"{name} {kind}" for name, kind in columns)
                cursor.execute(f"CREATE TEMPORARY TABLE {table} ({cols})")
            cursor.execute(f"CREATE UNIQUE INDEX {STAGE}_no_kk ON {STAGE} (no_kk)")
            if self.postgres:
                # One import at a time: a second one waits here until the first commits or rolls back.
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])
                # Each chunk is small and the registry large and growing inside this transaction (its
                # statistics stale): index lookups per staged row are the right plan, never a hash join
                # over a scan of the whole registry per chunk (measured: quadratic at a million rows).
                cursor.execute("SET LOCAL enable_hashjoin = off")
                cursor.execute("SET LOCAL enable_mergejoin = off")
        # Known after the lock: into an empty registry every row is new (no comparison needed), and when
        # the source has no active household yet nothing can be deactivated (no need to remember the file).
        self.registry_empty = not Household.objects.exists()
        self.track_seen = members or Household.objects.filter(source=batch.source, is_active=True).exists()

    # Main thread ------------------------------------------------------------------------------------------
    def start(self, present: list[str]):
        self.present = present
        self.connection.inc_thread_sharing()
        self.thread = threading.Thread(target=self._run, name="household-import-writer", daemon=True)
        self.thread.start()

    def add(self, values: tuple):
        self.pending.append(values)
        if len(self.pending) >= STAGE_BATCH:
            self._send()

    def add_member(self, values: tuple):
        self.pending_members.append(values)

    def _send(self):
        if self.error is not None:
            raise self.error
        rows, self.pending = self.pending, []
        self.total += sum(1 for row in rows if row[-1] == self.F)
        self.queue.put(rows)

    def finish(self, *, source: str) -> int:
        """Wait for the writer, then deactivate and sync members; returns the (would-be) deactivated count."""
        if self.pending:
            self._send()
        self.stop()
        if self.error is not None:
            raise self.error
        with self.connection.cursor() as cursor:
            if self.pending_members:
                self._write(cursor, STAGE_MEMBER, [name for name, _t in MEMBER_COLUMNS], self.pending_members)
                self.pending_members = []
            return self._finish(cursor, source=source)

    def stop(self):
        if self.thread is not None:
            self.queue.put(None)
            self.thread.join()
            self.thread = None
            self.connection.dec_thread_sharing()

    def drop(self):
        with self.connection.cursor() as cursor:
            for table in (CHUNK, STAGE, STAGE_MEMBER):
                cursor.execute(f"DROP TABLE IF EXISTS {table}")

    # Writer thread ----------------------------------------------------------------------------------------
    def _run(self):
        try:
            with self.connection.cursor() as cursor:
                while (rows := self.queue.get()) is not None:
                    if self.error is None:
                        self._chunk(cursor, rows)
        except BaseException as exc:  # handed to the main thread
            self.error = exc
            while self.queue.get() is not None:
                pass

    def _write(self, cursor, table: str, columns: list[str], rows: list[tuple]):
        if self.postgres:
            buffer = io.StringIO()
            buffer.writelines(_copy_line(row, len(columns)) for row in rows)
            buffer.seek(0)
            cursor.cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)

    def _chunk(self, cursor, rows: list[tuple]):
        table = Household._meta.db_table
        changes = HouseholdChange._meta.db_table
        batch, source, ts = self.batch.pk, self.batch.source, self.ts
        self._write(cursor, CHUNK, [name for name, _t in STAGE_COLUMNS[:-1]], rows)
        changed = 0
        if not self.registry_empty:
            distinct = " OR ".join(f"h.{name} IS DISTINCT FROM s.{name}" for name in self.present)
            cursor.execute(
                f"UPDATE {CHUNK} AS s SET state = 'u' WHERE NOT s.rejected AND EXISTS "
                f"(SELECT 1 FROM {table} h WHERE h.no_kk = s.no_kk "
                f"AND ({distinct} OR NOT h.is_active OR h.source <> %s))",
                [source],
            )
            changed = cursor.rowcount
        self.updated += changed
        if self.dry_run or not self.postgres:
            cursor.execute(
                f"UPDATE {CHUNK} AS s SET state = 'n' WHERE NOT s.rejected AND s.state IS NULL "
                f"AND NOT EXISTS (SELECT 1 FROM {table} h WHERE h.no_kk = s.no_kk)"
            )
            self.created += cursor.rowcount
        if not self.dry_run and changed:
            cursor.execute(
                f"INSERT INTO {changes} (household_id, batch_id, kind) SELECT h.id, %s, %s FROM {table} h "
                f"JOIN {CHUNK} s ON s.no_kk = h.no_kk WHERE s.state = 'u'",
                [batch, HouseholdChange.Kind.UPDATED],
            )
            needs = {name: (f"s.{name}" if name in self.present else f"{table}.{name}") for name in NEEDS}
            needs_count = " + ".join(f"(CASE WHEN {expr} THEN 1 ELSE 0 END)" for expr in needs.values())
            sets = ", ".join(f"{name} = s.{name}" for name in self.present)
            cursor.execute(
                f"UPDATE {table} SET {sets}, needs_count = {needs_count}, is_active = TRUE, source = %s, "
                f"last_batch_id = %s, updated_at = %s "
                f"FROM {CHUNK} s WHERE s.no_kk = {table}.no_kk AND s.state = 'u'",
                [source, batch, ts],
            )
        if not self.dry_run:
            all_needs = " + ".join(f"(CASE WHEN s.{name} THEN 1 ELSE 0 END)" for name in NEEDS)
            # A new household's history starts at first_batch: no change row (measured: a quarter of
            # the cost of a first import).
            insert = (
                f"INSERT INTO {table} ({', '.join(FIELD_NAMES)}, needs_count, is_active, source, "
                f"first_batch_id, last_batch_id, created_at, updated_at) "
                f"SELECT {', '.join('s.' + name for name in FIELD_NAMES)}, {all_needs}, "
                f"TRUE, %s, %s, %s, %s, %s "
                f"FROM {CHUNK} s "
            )
            params = [source, batch, batch, ts, ts]
            if self.postgres:
                # Rows already there (unchanged) conflict and are skipped: no separate lookup.
                cursor.execute(
                    f"{insert} WHERE NOT s.rejected AND s.state IS NULL ON CONFLICT (no_kk) DO NOTHING",
                    params,
                )
                self.created += cursor.rowcount
            else:
                cursor.execute(f"{insert} WHERE s.state = 'n'", params)
        if self.track_seen:
            cursor.execute(f"INSERT INTO {STAGE} (no_kk, rejected) SELECT no_kk, rejected FROM {CHUNK}")
        cursor.execute(f"DELETE FROM {CHUNK}")

    def _finish(self, cursor, *, source: str) -> int:
        table = Household._meta.db_table
        changes = HouseholdChange._meta.db_table
        member_table = Member._meta.db_table
        batch = self.batch.pk
        if not self.track_seen:
            return 0
        if self.postgres:
            # Whole-registry statements now: let the planner hash-join again.
            cursor.execute("SET LOCAL enable_hashjoin = on")
            cursor.execute("SET LOCAL enable_mergejoin = on")
            cursor.execute(f"ANALYZE {STAGE}")
        missing = (
            f"h.source = %s AND h.is_active AND NOT EXISTS (SELECT 1 FROM {STAGE} s WHERE s.no_kk = h.no_kk)"
        )
        if self.dry_run:
            cursor.execute(f"SELECT COUNT(*) FROM {table} h WHERE {missing}", [source])
            return cursor.fetchone()[0]
        if self.postgres:
            cursor.execute(
                f"WITH gone AS (UPDATE {table} h SET is_active = FALSE, last_batch_id = %s, updated_at = %s "
                f"WHERE {missing} RETURNING h.id) "
                f"INSERT INTO {changes} (household_id, batch_id, kind) SELECT id, %s, %s FROM gone",
                [batch, self.ts, source, batch, HouseholdChange.Kind.DEACTIVATED],
            )
        else:
            cursor.execute(
                f"INSERT INTO {changes} (household_id, batch_id, kind) "
                f"SELECT h.id, %s, %s FROM {table} h WHERE {missing}",
                [batch, HouseholdChange.Kind.DEACTIVATED, source],
            )
            cursor.execute(
                f"UPDATE {table} SET is_active = FALSE, last_batch_id = %s, updated_at = %s WHERE id IN "
                f"(SELECT h.id FROM {table} h WHERE {missing})",
                [batch, self.ts, source],
            )
        deactivated = cursor.rowcount
        if self.members:
            cursor.execute(f"CREATE INDEX {STAGE_MEMBER}_no_kk ON {STAGE_MEMBER} (no_kk, nik)")
            staged = f"SELECT h.id FROM {table} h JOIN {STAGE} s ON s.no_kk = h.no_kk WHERE NOT s.rejected"
            cursor.execute(
                f"DELETE FROM {member_table} WHERE household_id IN ({staged}) AND NOT EXISTS "
                f"(SELECT 1 FROM {STAGE_MEMBER} sm JOIN {table} h2 ON h2.no_kk = sm.no_kk "
                f"WHERE h2.id = {member_table}.household_id AND sm.nik = {member_table}.nik)"
            )
            fields = ["nama", "hubungan", "jenis_kelamin", "tanggal_lahir"]
            cursor.execute(
                f"UPDATE {member_table} SET {', '.join(f'{n} = sm.{n}' for n in fields)} "
                f"FROM {STAGE_MEMBER} sm JOIN {table} h ON h.no_kk = sm.no_kk "
                f"WHERE {member_table}.household_id = h.id AND {member_table}.nik = sm.nik AND ("
                + " OR ".join(f"{member_table}.{n} IS DISTINCT FROM sm.{n}" for n in fields)
                + ")"
            )
            cursor.execute(
                f"INSERT INTO {member_table} (household_id, nik, {', '.join(fields)}) "
                f"SELECT h.id, sm.nik, {', '.join('sm.' + n for n in fields)} FROM {STAGE_MEMBER} sm "
                f"JOIN {table} h ON h.no_kk = sm.no_kk WHERE NOT EXISTS (SELECT 1 FROM {member_table} m "
                f"WHERE m.household_id = h.id AND m.nik = sm.nik)"
            )
        return deactivated


def _same(value):
    return value


def _copy_line(row: tuple, width: int) -> str:
    """One line of COPY text format from staged strings; escaping only when a value needs it (rarely)."""
    line = "\t".join(row)
    if line.count("\t") != width - 1 or line.count("\\") != row.count(r"\N") or "\n" in line or "\r" in line:
        line = "\t".join([value if value == r"\N" else _copy_text(value) for value in row])
    return line + "\n"


def _copy_text(value) -> str:
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
        return value
    return str(value)


# A column is taken as rounded by Excel when at least this share of at least this many values ends in 0.
ROUNDING_MIN_ROWS = 20
ROUNDING_SHARE = 0.9


class _Validator:
    """Turns sheet rows into staged household (and member) rows, collecting every rejected row."""

    def __init__(
        self,
        *,
        mapping: dict[str, int],
        header: list[str],
        per_person: bool,
        result: ImportResult,
        stage: _Stage,
        strict: bool,
    ):
        self.mapping = mapping
        self.header = header
        self.per_person = per_person
        self.result = result
        self.stage = stage
        self.strict = strict
        self.desa = DesaIndex()
        self.seen: dict[str, int] = {}
        self.rejected_kk: set[str] = set()
        self.groups: dict[str, dict] = {}
        self.today = date.today()
        self.nik_field = "nik" if per_person or "nik_kepala" not in mapping else "nik_kepala"
        self.name_field = "nama" if per_person or "nama_kepala" not in mapping else "nama_kepala"
        self.present = self._present_fields()
        # Identity numbers read per column, and how many end in 0: see _check_rounding.
        self.identity_counts = {"No. KK": [0, 0], "NIK": [0, 0]}
        self.flag_fields = [name for name in FLAG_FIELDS if name in mapping]
        self.text_fields = [name for name in TEXT_FIELDS if name in mapping]
        self._compile()

    def _present_fields(self) -> list[str]:
        mapping = self.mapping
        present = ["nik_kepala", "nama_kepala", "desa_id"]
        present += [name for name in TEXT_FIELDS if name in mapping]
        if "desil" in mapping:
            present.append("desil")
        if "member_count" in mapping or self.per_person:
            present.append("member_count")
        present += [name for name in FLAG_FIELDS if name in mapping and name != "rutilahu"]
        if self.per_person and "tanggal_lahir" in mapping:
            present += [
                name for name in ("has_elderly", "has_toddler", "has_school_age") if name not in present
            ]
        if any(name in mapping for name in ("roof", "wall", "floor", "rutilahu")):
            present.append("needs_house")
        if "drinking_water" in mapping:
            present.append("needs_water")
        if "toilet" in mapping:
            present.append("needs_toilet")
        return present

    def column_label(self, field_name: str) -> str:
        index = self.mapping.get(field_name)
        return self.header[index] if index is not None and index < len(self.header) else field_name

    def cell(self, cells: list[str], field_name: str) -> str:
        index = self.mapping.get(field_name)
        if index is None or index >= len(cells):
            return ""
        return cells[index].strip()

    def reject(self, row: int, field_name: str, value: str, reason: str):
        self.result.rejected += 1
        if len(self.result.errors) < KEPT_ERRORS:
            label = self.column_label(field_name) if field_name else ""
            self.result.errors.append(RowError(row, label, value, reason))
        if self.strict:
            raise ImportRefused(
                _("Row %(row)s is invalid (%(reason)s); with --strict nothing is imported.")
                % {"row": row, "reason": reason}
            )

    def row(self, number: int, cells: list[str]):
        if len(cells) < self.width:
            cells = cells + [""] * (self.width - len(cells))
        raw_kk = cells[self.i_kk]
        try:
            no_kk = parse_identity(raw_kk, "No. KK")
        except ValueError_ as exc:
            self.reject(number, "no_kk", raw_kk, str(exc))
            return
        counts = self.identity_counts["No. KK"]
        counts[0] += 1
        counts[1] += no_kk[-1] == "0"
        if self.per_person:
            self._person_row(number, cells, no_kk)
            return
        first = self.seen.get(no_kk)
        if first is not None:
            self.reject(
                number,
                "no_kk",
                raw_kk,
                _("No. KK already on row %(row)s; the first row is kept.") % {"row": first},
            )
            return
        try:
            values = self._household_values(cells)
        except _FieldError as exc:
            self.rejected_kk.add(no_kk)
            self.reject(number, exc.field, exc.value, exc.reason)
            return
        self.seen[no_kk] = number
        self.stage.add((no_kk, *values, self.stage.num(number), self.stage.F))

    def _field(self, cells: list[str], field_name: str, parser, *args):
        raw = self.cell(cells, field_name)
        try:
            return parser(raw, *args)
        except ValueError_ as exc:
            raise _FieldError(field_name, raw, str(exc)) from None

    def _compile(self):
        """Positions of the present columns, so that each row costs a few list lookups."""
        mapping = self.mapping
        self.width = (max(mapping.values()) + 1) if mapping else 0
        self.i_kk = mapping["no_kk"]
        self.i_nik = mapping.get(self.nik_field)
        self.i_name = mapping.get(self.name_field)
        self.i_code = mapping.get("desa_kode")
        self.i_desa = mapping.get("desa")
        self.i_kecamatan = mapping.get("kecamatan")
        self.i_desil = mapping.get("desil")
        self.i_count = mapping.get("member_count")
        self.desil_required = self.result.batch.source not in DESIL_OPTIONAL
        # (position in the staged values, column index, max length) for text; (position, index, label) flags.
        self.text_slots = [
            (FIELD_NAMES.index(name) - 1, mapping[name], MAX_LENGTHS[name]) for name in self.text_fields
        ]
        self.flag_slots = [
            (FIELD_NAMES.index(name) - 1 if name in FIELD_NAMES else None, mapping[name], name)
            for name in self.flag_fields
        ]
        self.housing = [mapping.get(name) for name in ("roof", "wall", "floor", "drinking_water", "toilet")]
        self.has_housing = any(index is not None for index in self.housing)
        self.i_rutilahu = mapping.get("rutilahu")
        T, F, NULL = self.stage.T, self.stage.F, self.stage.NULL
        self.T, self.F, self.NULL, self.num = T, F, NULL, self.stage.num
        self.template = [
            "", "", "", "", "", "", NULL, NULL, "", NULL, F, F, F, F,
            "", "", "", "", "", "", F, F, F, F, F, F, F,
        ]  # fmt: skip
        del T
        self.housing_cache: dict[tuple, tuple[bool, bool, bool]] = {}

    def _household_values(self, cells: list[str]) -> list:
        """The staged values (without No. KK) of one row; raises ``_FieldError`` for the first bad cell."""
        out = self.template.copy()
        raw = cells[self.i_nik]
        try:
            out[0] = parse_identity(raw, "NIK")
        except ValueError_ as exc:
            raise _FieldError(self.nik_field, raw, str(exc)) from None
        counts = self.identity_counts["NIK"]
        counts[0] += 1
        counts[1] += out[0][-1] == "0"
        name = cells[self.i_name].strip()
        if not name:
            raise _FieldError(self.name_field, "", _("The name of the head of the family is empty."))
        out[1] = name[:150]
        code = cells[self.i_code] if self.i_code is not None else ""
        desa = cells[self.i_desa] if self.i_desa is not None else ""
        kecamatan = cells[self.i_kecamatan] if self.i_kecamatan is not None else ""
        try:
            out[6] = self.num(self.desa.find(code, desa, kecamatan))
        except ValueError_ as exc:
            field_name = "desa_kode" if code.strip() else "desa"
            raise _FieldError(field_name, code if code.strip() else desa, str(exc)) from None
        if self.i_desil is not None:
            raw = cells[self.i_desil]
            try:
                desil = parse_desil(raw)
            except ValueError_ as exc:
                raise _FieldError("desil", raw, str(exc)) from None
            if desil is None and self.desil_required:
                raise _FieldError("desil", "", _("Desil is empty; this source always gives one."))
            if desil is not None:
                out[7] = self.num(desil)
        for position, index, length in self.text_slots:
            out[position] = cells[index].strip()[:length]
        rutilahu = False
        for position, index, name in self.flag_slots:
            raw = cells[index]
            value = FLAG_VALUES.get(raw)
            if value is None:
                try:
                    value = parse_flag(raw, FLAG_FIELDS[name])
                except ValueError_ as exc:
                    raise _FieldError(name, raw, str(exc)) from None
            if position is None:
                rutilahu = value
            else:
                out[position] = self.T if value else self.F
        if self.i_count is not None:
            raw = cells[self.i_count].strip()
            if raw:
                try:
                    count = int(float(raw))
                except ValueError:
                    raise _FieldError(
                        "member_count", raw, _("The number of members is not a number.")
                    ) from None
                if not 0 <= count <= 99:
                    raise _FieldError("member_count", raw, _("The number of members is not plausible."))
                out[9] = self.num(count)
        if self.has_housing or rutilahu:
            key = (out[14], out[15], out[16], out[17], out[19])
            needs = self.housing_cache.get(key)
            if needs is None:
                needs = housing_needs(*key)
                if len(self.housing_cache) < 10_000:
                    self.housing_cache[key] = needs
            T, F = self.T, self.F
            out[20], out[21], out[22] = (
                (T if needs[0] or rutilahu else F),
                (T if needs[1] else F),
                (T if needs[2] else F),
            )
        return out

    # Per-person (DTKS) files: rows are grouped by No. KK and staged at the end.
    def _person_row(self, number: int, cells: list[str], no_kk: str):
        cell = self.cell
        group = self.groups.setdefault(
            no_kk, {"head": None, "members": {}, "rows": [], "ages": [], "flags": {}}
        )
        group["rows"].append(number)
        try:
            nik = self._field(cells, "nik", parse_identity, "NIK")
            name = cell(cells, "nama")
            if not name:
                raise _FieldError("nama", "", _("The name is empty."))
            flags = {
                name_: self._field(cells, name_, parse_flag, FLAG_FIELDS[name_]) for name_ in self.flag_fields
            }
        except _FieldError as exc:
            self.reject(number, exc.field, exc.value, exc.reason)
            return
        if nik in group["members"]:
            self.reject(
                number,
                "nik",
                nik,
                _("NIK already on row %(row)s of this No. KK.") % {"row": group["members"][nik][0]},
            )
            return
        relation = cell(cells, "hubungan")
        if is_head(relation):
            if group["head"] is not None:
                self.reject(
                    number,
                    "hubungan",
                    relation,
                    _("A second head of family for this No. KK (row %(row)s is the head).")
                    % {"row": group["head"][0]},
                )
                return
            try:
                values = self._household_values(cells)
            except _FieldError as exc:
                self.reject(number, exc.field, exc.value, exc.reason)
                group["head_rejected"] = True
                return
            group["head"] = (number, values)
        born = parse_date(cell(cells, "tanggal_lahir"))
        if born:
            group["ages"].append(age_on(born, self.today))
        for name_, value in flags.items():
            group["flags"][name_] = group["flags"].get(name_, False) or value
        group["members"][nik] = (
            number,
            (
                no_kk,
                nik,
                name[:150],
                relation[:60],
                cell(cells, "jenis_kelamin")[:20],
                born.isoformat() if born else self.NULL,
            ),
        )

    def _check_rounding(self):
        """Refuse a column of identity numbers that Excel rounded to 15 significant digits.

        Excel stores numbers with 15 significant digits, so a 16-digit NIK or No. KK kept as a number loses
        its last digit, which becomes 0. One such value cannot be told from a real number ending in 0 (the
        last digits are a serial, about one in ten ends in 0); a whole column ending in 0 can.
        """
        for label, (total, zeros) in self.identity_counts.items():
            if total >= ROUNDING_MIN_ROWS and zeros >= ROUNDING_SHARE * total:
                raise ImportRefused(
                    _(
                        "%(zeros)s of %(total)s values of %(label)s end in 0: Excel stored the column as numbers "
                        "and rounded the last digit. Format the column as text in the source and export again."
                    )
                    % {"zeros": zeros, "total": total, "label": label}
                )

    def finish(self):
        self._check_rounding()
        if self.per_person:
            for no_kk, group in self.groups.items():
                if group["head"] is None:
                    self.rejected_kk.add(no_kk)
                    if not group.get("head_rejected"):
                        for number, _member in group["members"].values():
                            self.reject(
                                number,
                                "hubungan",
                                "",
                                _("No row of this No. KK is the head of the family (Kepala Keluarga)."),
                            )
                    continue
                number, values = group["head"]
                values = list(values)
                T, F = self.T, self.F
                for name_, value in group["flags"].items():
                    if name_ in FIELD_NAMES:
                        values[FIELD_NAMES.index(name_) - 1] = T if value else F
                if group["flags"].get("rutilahu"):
                    values[FIELD_NAMES.index("needs_house") - 1] = T
                values[FIELD_NAMES.index("member_count") - 1] = self.num(len(group["members"]))
                ages = group["ages"]
                if ages:
                    for name_, test in (
                        ("has_elderly", lambda a: a >= 60),
                        ("has_toddler", lambda a: a < 5),
                        ("has_school_age", lambda a: 7 <= a <= 18),
                    ):
                        values[FIELD_NAMES.index(name_) - 1] = T if any(test(age) for age in ages) else F
                self.seen[no_kk] = number
                self.stage.add((no_kk, *values, self.stage.num(number), self.stage.F))
                for _number, member in group["members"].values():
                    self.stage.add_member(member)
            self.groups = {}
        for no_kk in self.rejected_kk - self.seen.keys():
            stage = self.stage
            stage.add((no_kk, *([stage.NULL] * (len(FIELD_NAMES) - 1)), stage.num(0), stage.T))


@dataclass
class _FieldError(Exception):
    field: str
    value: str
    reason: str


def _find_header(rows, result: ImportResult) -> tuple[list[str], dict[str, int]]:
    non_empty = 0
    empty_run = 0
    for _number, cells in rows:
        if not any(cells):
            empty_run += 1
            if empty_run >= MAX_CONSECUTIVE_EMPTY_ROWS:
                break
            continue
        empty_run = 0
        non_empty += 1
        mapping, unknown = map_header(cells)
        if looks_like_header(mapping):
            result.unknown_columns = unknown
            return cells, mapping
        if non_empty >= HEADER_SEARCH_ROWS:
            break
    raise ImportRefused(
        _(
            "No header row found in the first %(count)s rows: expected columns such as NO KK, NIK, NAMA, "
            "DESA/KELURAHAN and DESIL."
        )
        % {"count": HEADER_SEARCH_ROWS}
    )


def _check_period(*, source: str, period: str) -> None:
    latest = (
        ImportBatch.objects.filter(source=source, state=ImportBatch.State.APPLIED)
        .order_by("-created_at", "-id")
        .first()
    )
    if latest is None:
        return
    new_key, old_key = period_key(period), period_key(latest.period)
    if new_key and old_key and new_key < old_key:
        raise ImportRefused(
            _(
                "Period %(period)s is older than the last applied %(source)s import (%(latest)s); "
                "importing it would deactivate newer households."
            )
            % {"period": period, "source": latest.get_source_display(), "latest": latest.period}
        )


def households_import(
    *,
    path: Path,
    source: str,
    period: str,
    user=None,
    dry_run: bool = False,
    strict: bool = False,
    file_name: str = "",
    batch: ImportBatch | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Validate a registry export and, unless ``dry_run``, apply it atomically. Never raises for bad files.

    Returns the result with its batch: ``APPLIED`` (or ``VALIDATED`` for a dry run) or ``REFUSED`` with a
    message that says why. Rejected rows are in ``result.errors``.
    """
    started = time.monotonic()
    path = Path(path)
    if source not in ImportBatch.Source.values:
        raise ValueError(f"Unknown source {source!r}")
    if batch is None:
        batch = ImportBatch.objects.create(
            source=source,
            period=period,
            file_name=file_name or path.name,
            file_size=path.stat().st_size,
            checksum=file_checksum(path),
            created_by=user if user is not None and user.is_authenticated else None,
            dry_run=dry_run,
            strict=strict,
            state=ImportBatch.State.RUNNING,
        )
    else:
        batch.state = ImportBatch.State.RUNNING
        batch.file_size = path.stat().st_size
        batch.checksum = batch.checksum or file_checksum(path)
        batch.save(update_fields=["state", "file_size", "checksum"])
    result = ImportResult(batch=batch)
    report = progress or (lambda stage, fraction, rows: None)
    table = None
    channel = _ProgressChannel(batch)
    try:
        _check_period(source=source, period=period)
        table = open_table(path, file_name or path.name)
        rows = iter(table.rows)
        header, mapping = _find_header(rows, result)
        per_person = "hubungan" in mapping
        missing = missing_required(
            mapping, per_person=per_person, desil_required=source not in DESIL_OPTIONAL
        )
        if missing:
            raise ImportRefused(
                _("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)}
            )
        with transaction.atomic():
            stage = _Stage(batch=batch, members=per_person, dry_run=dry_run, now=timezone.now())
            validator = _Validator(
                mapping=mapping,
                header=header,
                per_person=per_person,
                result=result,
                stage=stage,
                strict=strict,
            )
            stage.start(validator.present)
            try:
                _read_rows(rows, table, validator, result, report, channel)
                if result.rows_read == 0:
                    raise ImportRefused(_("The file has a header row but no data rows."))
                validator.finish()
                report("apply", 0.5, result.rows_read)
                result.deactivated = stage.finish(source=source)
            finally:
                stage.stop()
            if stage.total == 0:
                raise ImportRefused(_("No row of the file is valid; nothing was imported."))
            result.created, result.updated = stage.created, stage.updated
            result.unchanged = stage.total - stage.created - stage.updated
            stage.drop()
            if dry_run:
                transaction.set_rollback(True)
            else:
                registry_changed.send(sender=ImportBatch, batch_id=batch.pk)
                _finish(batch, result, ImportBatch.State.APPLIED, started)
        if dry_run:
            _finish(batch, result, ImportBatch.State.VALIDATED, started)
        report("apply", 1.0, result.rows_read)
    except ImportRefused as exc:
        result.refused = str(exc)
        result.created = result.updated = result.unchanged = result.deactivated = 0
        _finish(batch, result, ImportBatch.State.REFUSED, started, message=str(exc))
    except BaseException as exc:
        if not connection.needs_rollback:
            _finish(batch, result, ImportBatch.State.FAILED, started, message=repr(exc)[:2000])
        raise
    finally:
        channel.close()
        if table is not None:
            table.close()
    return result


def _read_rows(rows, table, validator: "_Validator", result: ImportResult, report, channel) -> None:
    empty_run = 0
    last_saved = 0.0
    for number, cells in rows:
        if not any(cells):
            empty_run += 1
            if empty_run >= MAX_CONSECUTIVE_EMPTY_ROWS:
                break
            continue
        empty_run = 0
        result.rows_read += 1
        validator.row(number, cells)
        if result.rows_read % 2000 == 0:
            fraction = table.progress()
            report("read", fraction, result.rows_read)
            if fraction - last_saved >= 0.02:
                last_saved = fraction
                channel.save(int(fraction * 90), result.rows_read)
    report("read", 1.0, result.rows_read)


class _ProgressChannel:
    """Progress written through a second connection, so that the upload page sees it while the import's
    transaction is still open (PostgreSQL; SQLite cannot write while the import holds its lock).
    """

    def __init__(self, batch: ImportBatch):
        self.batch_id = batch.pk
        self.connection = None
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            self.connection = connections.create_connection(DEFAULT_DB_ALIAS)

    def save(self, percent: int, rows: int) -> None:
        if self.connection is None:
            return
        try:
            with self.connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {ImportBatch._meta.db_table} SET progress = %s, rows_read = %s WHERE id = %s",
                    [percent, rows, self.batch_id],
                )
        except DatabaseError:
            self.close()

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def _finish(batch: ImportBatch, result: ImportResult, state: str, started: float, message: str = "") -> None:
    result.duration = time.monotonic() - started
    batch.state = state
    batch.message = message
    batch.progress = 100
    batch.rows_read = result.rows_read
    batch.created_count = result.created
    batch.updated_count = result.updated
    batch.unchanged_count = result.unchanged
    batch.deactivated_count = result.deactivated
    batch.rejected_count = result.rejected
    batch.unknown_columns = result.unknown_columns
    batch.errors = [error.as_list() for error in result.errors[:BATCH_ERRORS]]
    batch.duration = round(result.duration, 3)
    batch.finished_at = timezone.now()
    batch.save()


def errors_workbook_write(errors: list, target) -> None:
    """Write rejected rows (``RowError`` or ``[row, column, value, reason]``) as an .xlsx to ``target``."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Rejected rows"))
    sheet.append([_("Row"), _("Column"), _("Value"), _("Reason")])
    for error in errors:
        sheet.append(error.as_list() if isinstance(error, RowError) else list(error))
    workbook.save(target)


class ImportStartError(Exception):
    pass


def import_batch_start(*, upload, source: str, period: str, user, strict: bool = False) -> ImportBatch:
    """Store an uploaded file privately and queue its validation (a dry run); returns the new batch."""
    from poverty_data.tasks import household_import_run

    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    batch = ImportBatch(
        source=source,
        period=period,
        file_name=Path(upload.name).name[:255],
        file_size=upload.size,
        checksum=digest.hexdigest(),
        created_by=user,
        dry_run=True,
        strict=strict,
        state=ImportBatch.State.PENDING,
    )
    batch.stored_file.save(
        f"{digest.hexdigest()[:16]}{Path(upload.name).suffix.lower()[:6]}", upload, save=False
    )
    batch.save()
    transaction.on_commit(lambda: household_import_run.enqueue(batch.pk))
    return batch


def import_batch_apply(*, validated: ImportBatch, user) -> ImportBatch:
    """Queue applying a file whose dry run passed; the application is a new batch of the same file."""
    from poverty_data.tasks import household_import_run

    if validated.state != ImportBatch.State.VALIDATED or not validated.stored_file:
        raise ImportStartError(_("Only a validated dry run can be applied."))
    already = ImportBatch.objects.filter(
        stored_file=validated.stored_file.name,
        dry_run=False,
        state__in=[ImportBatch.State.PENDING, ImportBatch.State.RUNNING, ImportBatch.State.APPLIED],
    ).first()
    if already is not None:
        return already
    batch = ImportBatch.objects.create(
        source=validated.source,
        period=validated.period,
        file_name=validated.file_name,
        file_size=validated.file_size,
        checksum=validated.checksum,
        stored_file=validated.stored_file.name,
        created_by=user,
        dry_run=False,
        strict=validated.strict,
        state=ImportBatch.State.PENDING,
    )
    transaction.on_commit(lambda: household_import_run.enqueue(batch.pk))
    return batch
