"""Staging and applying an import, chunk by chunk, in a writer thread that shares the import's connection."""

import io
import queue
import threading
from collections.abc import Iterable

from django.db import DEFAULT_DB_ALIAS, connections

from poverty_data.importing.schema import (
    FIELD_NAMES,
    MEMBER_COLUMNS,
    NEEDS,
    PREVIOUS_COLUMNS,
    SLOT,
    STAGE_COLUMNS,
)
from poverty_data.models import Household, HouseholdChange, ImportBatch, Member

STAGE_BATCH = 10_000
STAGE = "tslp_stage_household"
STAGE_MEMBER = "tslp_stage_member"
MEMBER_CHANGED = "tslp_stage_member_changed"
UNSEEN = "tslp_stage_unseen"
CHUNK = "tslp_stage_chunk"
MEMBER_FIELDS = ["nama", "hubungan", "jenis_kelamin", "tanggal_lahir"]
# A new household's needs_count as COPY text, by the number of its needs (see _create).
NEEDS_COUNT = ["0", "1", "2", "3"]
# A new household's columns after its fields (in this order in both ways of creating one).
NEW_COLUMNS = [
    "needs_count",
    "is_active",
    "source",
    "first_batch_id",
    "last_batch_id",
    "created_at",
    "updated_at",
]
IMPORT_LOCK = 6211_0004


class Stage:
    """Staging and applying, chunk by chunk, in a writer thread that shares the import's connection.

    The main thread reads and validates; every ``STAGE_BATCH`` valid rows go to the writer, which copies
    them into a temporary chunk table (COPY on PostgreSQL) and applies them with set-based statements while
    the next chunk is being parsed, so the database works on one core while Python parses on the other.
    On SQLite, which works inside this process, the main thread writes each chunk itself (see ``start``).
    Everything happens inside the import's transaction: a dry run, a refusal or a crash rolls it all back.
    """

    def __init__(
        self,
        *,
        batch: ImportBatch,
        members: bool,
        dry_run: bool,
        now,
        complete: bool = False,
        deactivate: bool = True,
        second_pass: bool = False,
    ):
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
        self.complete = complete
        self.desa_ids: set = set()
        # Set once a family keyed by its source's family id (no No. KK in the file) is staged.
        self.family_keys = False
        # False for a member file, which completes families and never deactivates any.
        self.deactivate = deactivate
        # A family keyed by its source's family id that joined a household by its head's NIK: key -> No. KK,
        # so that its members join that household too.
        self.merged_keys: dict[str, str] = {}
        # The member file of a family + member upload: its households may already have a change row of this
        # batch (from the family file), which stays the one undo restores.
        self.second_pass = second_pass
        # desa id -> [created, updated, deactivated]
        self.per_desa: dict[int, list[int]] = {}
        self.ts = self.connection.ops.adapt_datetimefield_value(now)
        self.present: list[str] = []
        self.pending: list[tuple] = []
        self.pending_members: list[tuple] = []
        self.total = self.created = self.updated = 0
        self.error: BaseException | None = None
        # A re-import's households with a fingerprint that the file did not list (see add_repeated).
        self.unseen = None
        self.unseen_only = False
        self.queue: queue.Queue = queue.Queue(maxsize=2)
        self.thread: threading.Thread | None = None
        with self.connection.cursor() as cursor:
            for table, columns in (
                (CHUNK, STAGE_COLUMNS),
                (STAGE, [("no_kk", "varchar(40)"), ("rejected", "boolean"), ("state", "char(1)")]),
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
                # Foreign keys checked as each chunk is written, on the database's core while Python parses,
                # instead of a million deferred checks when the import commits (3.5 s, after the parsing).
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        # Known after the lock: into an empty registry every row is new (no comparison needed), and when
        # the source has no active household yet nothing can be deactivated (no need to remember the file).
        self.registry_empty = not Household.objects.exists()
        self.source_active = Household.objects.filter(source=batch.source, is_active=True).count()
        self.track_seen = members or self.source_active > 0

    # Main thread ------------------------------------------------------------------------------------------
    def start(self, present: list[str]):
        self.present = present
        if not self.postgres:
            # SQLite writes in this thread: its driver gives the interpreter lock back around each row it
            # writes and has to win it back from the parsing thread every time (measured: 200,000 rows
            # written in 1.4 s alone, 13.2 s beside a busy thread).
            return
        self.connection.inc_thread_sharing()
        self.thread = threading.Thread(target=self._run, name="household-import-writer", daemon=True)
        self.thread.start()

    def add(self, values: tuple):
        if not self.family_keys and ":" in values.no_kk:
            self.family_keys = True  # keyed "<source>:<family id>", see the validator
        self.desa_ids.add(values.desa_id)
        self.pending.append(values)
        if len(self.pending) >= STAGE_BATCH:
            self._send()

    def add_block(self, rows: list[tuple], desa_ids: set) -> None:
        """``add`` for many rows at once, none of them keyed by a family id, with the set of their desa."""
        self.desa_ids.update(desa_ids)
        room = STAGE_BATCH - len(self.pending)
        while len(rows) >= room:
            self.pending.extend(rows[:room])
            rows = rows[room:]
            self._send()
            room = STAGE_BATCH
        self.pending.extend(rows)

    def add_repeated(self, known) -> None:
        """Count the rows a re-import repeated unchanged (``fingerprints.KnownRows``): valid rows, their desa
        covered; and remember which households with a fingerprint the file did not list, the only ones of them
        deactivation may reach (those it repeated are in no staging table)."""
        self.total += known.repeated
        self.desa_ids.update(self.num(desa_id) for desa_id in known.seen_desa())
        # Deactivation reaches only the desa the file covers, unless it is the complete regency file.
        self.unseen = known.unseen_ids(None if self.complete else self.covered_desa())
        # When every active household of the source has a fingerprint, only those unseen may be missing.
        self.unseen_only = known.complete(self.source_active)

    def add_member(self, values: tuple):
        self.pending_members.append(values)

    def _send(self):
        if self.error is not None:
            raise self.error
        rows, self.pending = self.pending, []
        self.total += sum(1 for row in rows if row[-1] == self.F)
        if self.thread is None:
            with self.connection.cursor() as cursor:
                self._chunk(cursor, rows)
        else:
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
                members = self.pending_members
                if self.merged_keys:
                    keys = self.merged_keys
                    members = [m._replace(no_kk=keys.get(m.no_kk, m.no_kk)) for m in members]
                self._write(cursor, STAGE_MEMBER, [name for name, _t in MEMBER_COLUMNS], members)
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
            for table in (CHUNK, STAGE, STAGE_MEMBER, UNSEEN):
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

    def _write(self, cursor, table: str, columns: list[str], rows: Iterable[tuple]):
        if self.postgres:
            width = len(columns)
            self._copy(cursor, table, columns, "".join([_copy_line(row, width) for row in rows]).encode())
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)

    def _copy(self, cursor, table: str, columns: list[str], data: bytes) -> None:
        # Read whole: psycopg would otherwise take the GIL back for every 8 kB, and each time the parsing
        # thread waits for it (measured: 2 s of a million-row import).
        copy = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        cursor.cursor.copy_expert(copy, io.BytesIO(data), size=max(len(data), 1))

    def _chunk(self, cursor, rows: list[tuple]):
        table = Household._meta.db_table
        changes = HouseholdChange._meta.db_table
        batch, source, ts = self.batch.pk, self.batch.source, self.ts
        if (
            self.registry_empty
            and self.postgres
            and not (self.dry_run or self.track_seen or self.family_keys)
        ):
            # Into an empty registry every valid row is new and its No. KK unique in the file (the validator
            # rejects repeats): straight into the household table, no staging table, no conflict checks.
            self._create(cursor, rows)
            return
        self._write(cursor, CHUNK, [name for name, _t in STAGE_COLUMNS[:-1]], rows)
        if self.family_keys:
            self._merge_by_head(cursor)
        changed = 0
        if not self.registry_empty:
            # One lookup per row marks it changed ('u') or the same ('s'); rows left unmarked are new.
            distinct = " OR ".join(f"h.{name} IS DISTINCT FROM s.{name}" for name in self.present)
            cursor.execute(
                f"UPDATE {CHUNK} AS s SET state = CASE WHEN {distinct} OR NOT h.is_active OR h.source <> %s "
                f"THEN 'u' ELSE 's' END FROM {table} h WHERE h.no_kk = s.no_kk AND NOT s.rejected",
                [source],
            )
            before = self.updated
            self._count(
                cursor, 1, f"SELECT desa_id, COUNT(*) FROM {CHUNK} WHERE state = 'u' GROUP BY desa_id"
            )
            changed = self.updated - before
        if self.dry_run or not self.postgres:
            cursor.execute(f"UPDATE {CHUNK} SET state = 'n' WHERE NOT rejected AND state IS NULL")
            if cursor.rowcount:
                self._count(
                    cursor, 0, f"SELECT desa_id, COUNT(*) FROM {CHUNK} WHERE state = 'n' GROUP BY desa_id"
                )
        if not self.dry_run and changed:
            # The member file of a family + member upload: the family file's change row (or creation) is
            # what undo goes back to.
            again = (
                f" AND h.first_batch_id <> {int(batch)} AND NOT EXISTS (SELECT 1 FROM {changes} c "
                f"WHERE c.household_id = h.id AND c.batch_id = {int(batch)})"
                if self.second_pass
                else ""
            )
            cursor.execute(
                f"INSERT INTO {changes} (household_id, batch_id, kind, previous) "
                f"SELECT h.id, %s, %s, {self._previous('h')} FROM {table} h "
                f"JOIN {CHUNK} s ON s.no_kk = h.no_kk WHERE s.state = 'u'{again}",
                [batch, HouseholdChange.Kind.UPDATED],
            )
            needs = {name: (f"s.{name}" if name in self.present else f"{table}.{name}") for name in NEEDS}
            needs_count = " + ".join(f"(CASE WHEN {expr} THEN 1 ELSE 0 END)" for expr in needs.values())
            sets = ", ".join(f"{name} = s.{name}" for name in [*self.present, "row_digest"])
            cursor.execute(
                f"UPDATE {table} SET {sets}, needs_count = {needs_count}, is_active = TRUE, source = %s, "
                f"last_batch_id = %s, updated_at = %s "
                f"FROM {CHUNK} s WHERE s.no_kk = {table}.no_kk AND s.state = 'u'",
                [source, batch, ts],
            )
        if not self.dry_run and not self.registry_empty:
            # A household without a fingerprint that a row repeats (imported before fingerprints, or last
            # changed by a recipient list) takes the row's, so that the next import skips it. One that has a
            # fingerprint keeps it: the row it stands for still gives the same fields, and rewriting a row
            # of the registry to follow each layout of the file would cost every alternating import.
            cursor.execute(
                f"UPDATE {table} SET row_digest = s.row_digest FROM {CHUNK} s WHERE s.no_kk = {table}.no_kk "
                f"AND s.state = 's' AND s.row_digest IS NOT NULL AND {table}.row_digest IS NULL"
            )
        if not self.dry_run:
            all_needs = " + ".join(f"(CASE WHEN s.{name} THEN 1 ELSE 0 END)" for name in NEEDS)
            # A new household's history starts at first_batch: no change row (measured: a quarter of
            # the cost of a first import).
            insert = (
                f"INSERT INTO {table} ({', '.join([*FIELD_NAMES, *NEW_COLUMNS])}) "
                f"SELECT {', '.join('s.' + name for name in FIELD_NAMES)}, {all_needs}, "
                f"TRUE, %s, %s, %s, %s, %s "
                f"FROM {CHUNK} s "
            )
            params = [source, batch, batch, ts, ts]
            if self.postgres:
                # Rows already there (unchanged) conflict and are skipped: no separate lookup.
                self._count(
                    cursor,
                    0,
                    f"WITH added AS ({insert} WHERE NOT s.rejected AND s.state IS NULL "
                    f"ON CONFLICT (no_kk) DO NOTHING RETURNING desa_id) "
                    f"SELECT desa_id, COUNT(*) FROM added GROUP BY desa_id",
                    params,
                )
            else:
                cursor.execute(f"{insert} WHERE s.state = 'n'", params)
        if self.track_seen:
            # A family merged by its head's NIK may meet its household's No. KK a second time: kept once.
            cursor.execute(
                f"INSERT INTO {STAGE} (no_kk, rejected, state) SELECT no_kk, rejected, state FROM {CHUNK} "
                f"WHERE 1 = 1 ON CONFLICT (no_kk) DO NOTHING"
            )
        # TRUNCATE on PostgreSQL: rows deleted inside the import's own transaction stay in the table until it
        # ends, so every later chunk's statements would scan all earlier chunks again (quadratic).
        cursor.execute(f"TRUNCATE {CHUNK}" if self.postgres else f"DELETE FROM {CHUNK}")

    def _create(self, cursor, rows: list[tuple]) -> None:
        """COPY a chunk's valid rows into the household table as new households of this batch."""
        batch, ts, T, source = str(self.batch.pk), str(self.ts), self.T, self.batch.source
        house, water, toilet = (getattr(SLOT, name) for name in NEEDS)
        width = len(FIELD_NAMES)
        # The NEW_COLUMNS of a line, by the household's number of needs (none of them needs escaping).
        ends = [f"\t{needs}\t{T}\t{source}\t{batch}\t{batch}\t{ts}\t{ts}\n" for needs in NEEDS_COUNT]
        per_desa: dict[str, int] = {}
        lines = []
        for row in rows:
            if row.rejected != T:
                per_desa[row.desa_id] = per_desa.get(row.desa_id, 0) + 1
                end = ends[(row[house] == T) + (row[water] == T) + (row[toilet] == T)]
                lines.append(_copy_line(row[:width], width, end))
        self._copy(cursor, Household._meta.db_table, [*FIELD_NAMES, *NEW_COLUMNS], "".join(lines).encode())
        for desa_id, count in per_desa.items():
            self.per_desa.setdefault(int(desa_id), [0, 0, 0])[0] += count
            self.created += count

    def _merge_by_head(self, cursor) -> None:
        """A family keyed by its source's family id joins the household with a No. KK whose head has the
        same NIK, unless the registry already holds it under its family key (idempotent re-imports)."""
        table = Household._meta.db_table
        match = (
            f"FROM {table} h WHERE h.nik_kepala = {CHUNK}.nik_kepala AND h.no_kk NOT LIKE '%%:%%' "
            f"AND h.nik_kepala <> ''"
        )
        household = f"(SELECT h.no_kk {match} ORDER BY h.is_active DESC, h.id LIMIT 1)"
        merging = (
            f"WHERE no_kk LIKE '%%:%%' AND NOT rejected AND EXISTS (SELECT 1 {match}) "
            f"AND NOT EXISTS (SELECT 1 FROM {table} k WHERE k.no_kk = {CHUNK}.no_kk)"
        )
        if self.members:
            cursor.execute(f"SELECT no_kk, {household} FROM {CHUNK} {merging}")
            self.merged_keys.update(cursor.fetchall())
        cursor.execute(f"UPDATE {CHUNK} SET no_kk = {household} {merging}")

    def _count(self, cursor, kind: int, sql: str, params=()) -> None:
        """Add the (desa id, count) rows of ``sql`` to the per-desa counts (0 created, 1 updated, 2 deactivated)."""
        cursor.execute(sql, params)
        totals = [0, 0, 0]
        for desa_id, count in cursor.fetchall():
            self.per_desa.setdefault(desa_id, [0, 0, 0])[kind] += count
            totals[kind] += count
        self.created += totals[0]
        self.updated += totals[1]

    def _previous(self, alias: str) -> str:
        """SQL building the JSON object of a household's fields that undo restores."""
        build = "jsonb_build_object" if self.postgres else "json_object"
        return f"{build}(" + ", ".join(f"'{name}', {alias}.{name}" for name in PREVIOUS_COLUMNS) + ")"

    def covered_desa(self) -> list[int]:
        return sorted({int(desa_id) for desa_id in self.desa_ids if desa_id not in (None, self.NULL)})

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
        # Only the desa the file covers, unless Dinsos declared it the complete regency file: a per-desa or
        # per-kecamatan export must never empty the rest of the registry.
        missing = (
            f"h.source = %s AND h.is_active AND NOT EXISTS (SELECT 1 FROM {STAGE} s WHERE s.no_kk = h.no_kk)"
        )
        if not self.complete:
            desa = self.covered_desa() or [0]
            missing += f" AND h.desa_id IN ({', '.join(str(int(desa_id)) for desa_id in desa)})"
        if self.unseen is not None and self.unseen_only and not len(self.unseen):
            missing += " AND 1 = 0"  # the file listed every active household of the source
        elif self.unseen is not None:
            # Households the file repeated unchanged are in no staging table: of those with a fingerprint,
            # only the ones it did not list may be missing.
            cursor.execute(f"DROP TABLE IF EXISTS {UNSEEN}")
            cursor.execute(f"CREATE TEMPORARY TABLE {UNSEEN} (id bigint PRIMARY KEY)")
            self._write(cursor, UNSEEN, ["id"], ((self.num(pk),) for pk in self.unseen.tolist()))
            if self.postgres:
                cursor.execute(f"ANALYZE {UNSEEN}")
            missing += (
                f" AND h.id IN (SELECT id FROM {UNSEEN})"
                if self.unseen_only
                else f" AND (h.row_digest IS NULL OR EXISTS (SELECT 1 FROM {UNSEEN} u WHERE u.id = h.id))"
            )
        deactivated = 0
        kind = HouseholdChange.Kind.DEACTIVATED
        if self.deactivate and self.dry_run:
            self._count(
                cursor, 2, f"SELECT h.desa_id, COUNT(*) FROM {table} h WHERE {missing} GROUP BY 1", [source]
            )
        elif self.deactivate:
            cursor.execute(
                f"INSERT INTO {changes} (household_id, batch_id, kind, previous) "
                f"SELECT h.id, %s, %s, {self._previous('h')} FROM {table} h WHERE {missing}",
                [batch, kind, source],
            )
            if cursor.rowcount:
                cursor.execute(
                    f"UPDATE {table} SET is_active = FALSE, last_batch_id = %s, updated_at = %s WHERE id IN "
                    f"(SELECT household_id FROM {changes} WHERE batch_id = %s AND kind = %s)",
                    [batch, self.ts, batch, kind],
                )
                self._count(
                    cursor,
                    2,
                    f"SELECT h.desa_id, COUNT(*) FROM {changes} c JOIN {table} h ON h.id = c.household_id "
                    f"WHERE c.batch_id = %s AND c.kind = %s GROUP BY 1",
                    [batch, kind],
                )
        deactivated = sum(counts[2] for counts in self.per_desa.values())
        if self.members:
            cursor.execute(f"CREATE INDEX {STAGE_MEMBER}_no_kk ON {STAGE_MEMBER} (no_kk, nik)")
            if not self.registry_empty:
                self._members_history(cursor)
        if self.members and not self.dry_run:
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

    def _members_history(self, cursor) -> None:
        """Count the households whose members the file changes (and nothing else) as updated; unless a dry
        run, record their members as they were in the batch's change row, for undo."""
        table, changes, member = (
            Household._meta.db_table,
            HouseholdChange._meta.db_table,
            Member._meta.db_table,
        )
        batch, kind = int(self.batch.pk), HouseholdChange.Kind.UPDATED
        same = " AND ".join(f"sm.{name} IS NOT DISTINCT FROM m.{name}" for name in MEMBER_FIELDS)
        cursor.execute(f"DROP TABLE IF EXISTS {MEMBER_CHANGED}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {MEMBER_CHANGED} AS SELECT h.id AS household_id, h.desa_id, s.state "
            f"FROM {table} h JOIN {STAGE} s ON s.no_kk = h.no_kk WHERE NOT s.rejected "
            f"AND h.first_batch_id <> {batch} AND (EXISTS (SELECT 1 FROM {member} m WHERE m.household_id = h.id "
            f"AND NOT EXISTS (SELECT 1 FROM {STAGE_MEMBER} sm WHERE sm.no_kk = h.no_kk AND sm.nik = m.nik "
            f"AND {same})) OR EXISTS (SELECT 1 FROM {STAGE_MEMBER} sm WHERE sm.no_kk = h.no_kk AND NOT EXISTS "
            f"(SELECT 1 FROM {member} m WHERE m.household_id = h.id AND m.nik = sm.nik)))"
        )
        only_members = f"FROM {MEMBER_CHANGED} WHERE state IS NULL OR state <> 'u'"
        self._count(cursor, 1, f"SELECT desa_id, COUNT(*) {only_members} GROUP BY desa_id")
        if self.dry_run:
            cursor.execute(f"DROP TABLE {MEMBER_CHANGED}")
            return
        fresh = (
            f"AND NOT EXISTS (SELECT 1 FROM {changes} c WHERE c.household_id = h.id AND c.batch_id = {batch})"
        )
        cursor.execute(
            f"INSERT INTO {changes} (household_id, batch_id, kind, previous) "
            f"SELECT h.id, %s, %s, {self._previous('h')} FROM {table} h "
            f"WHERE h.id IN (SELECT household_id FROM {MEMBER_CHANGED}) {fresh}",
            [batch, kind],
        )
        cursor.execute(
            f"UPDATE {table} SET last_batch_id = %s, updated_at = %s "
            f"WHERE id IN (SELECT household_id {only_members})",
            [batch, self.ts],
        )
        values = ", ".join(f"m.{name}" for name in ["nik", *MEMBER_FIELDS])
        if self.postgres:
            listed = (
                f"COALESCE((SELECT jsonb_agg(jsonb_build_array({values}) ORDER BY m.id) FROM {member} m "
                f"WHERE m.household_id = {changes}.household_id), '[]'::jsonb)"
            )
            sets, unset = (
                f"previous = previous || jsonb_build_object('members', {listed})",
                "previous->'members'",
            )
        else:
            listed = (
                f"COALESCE((SELECT json_group_array(json_array({values})) FROM {member} m "
                f"WHERE m.household_id = {changes}.household_id), '[]')"
            )
            sets, unset = (
                f"previous = json_set(previous, '$.members', json({listed}))",
                "json_extract(previous, '$.members')",
            )
        cursor.execute(
            f"UPDATE {changes} SET {sets} WHERE batch_id = %s AND kind = %s AND previous IS NOT NULL "
            f"AND {unset} IS NULL AND household_id IN (SELECT household_id FROM {MEMBER_CHANGED})",
            [batch, kind],
        )
        cursor.execute(f"DROP TABLE {MEMBER_CHANGED}")


def _same(value):
    return value


def _copy_line(row: tuple, width: int, end: str = "\n") -> str:
    """One line of COPY text format from staged strings, ended by ``end``; escaping only when a value needs it
    (rarely)."""
    line = "\t".join(row)
    if line.count("\t") != width - 1 or line.count("\\") != row.count(r"\N") or "\n" in line or "\r" in line:
        line = "\t".join([value if value == r"\N" else _copy_text(value) for value in row])
    return line + end


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
