"""Program recipient lists (PKH, BPNT/Sembako, PBI-JK): they set a household's assistance flag, nothing else.

A recipient list names the person who receives the assistance (``NAMA_PENERIMA``, ``NIK_KTP``), often not
the head of the family, with the family's No. KK (``NOKK_DTKS``). Each row is matched to a household of the
registry by No. KK, else by the head's NIK, else by a member's NIK; the household's flag for the list's
program is set. A list never creates a household, never changes its head or any other field, and never
deactivates anything. A row that matches no household is reported.

A list also clears the flag of the households that dropped off it: those an earlier applied list of the same
program named (``RecipientListing``) that still have the flag and that this list no longer names, in the desa
this list covers (the desa of the households it names), or everywhere when Dinsos declares it complete (the
same scope as deactivation). The check page shows them per kecamatan (the last figure of each summary row).

What a list changes, set or cleared, is recorded like any import (``HouseholdChange`` with the previous
values), so it can be undone.
"""

from django.db import connection
from django.utils.translation import gettext as _

from poverty_data.importing.result import ImportResult, RowError
from poverty_data.importing.schema import PREVIOUS_COLUMNS
from poverty_data.importing.values import ValueError_, parse_identity
from poverty_data.models import Household, HouseholdChange, ImportBatch, Member, RecipientListing

# Which flag each recipient list sets.
RECIPIENT_FLAGS = {
    ImportBatch.Source.PKH: "receives_pkh",
    ImportBatch.Source.BPNT: "receives_bpnt",
    ImportBatch.Source.PBI: "receives_pbi_jkn",
}
RECIPIENTS = "tslp_stage_recipient"
MATCHED = "tslp_stage_recipient_match"
INSERT_ROWS = 1000
KEPT_ERRORS = 100_000


class RecipientReader:
    """Collects (row number, No. KK, NIK) of a recipient list, rejecting rows without a usable identity."""

    def __init__(self, *, mapping: dict[str, int], header: list[str], result: ImportResult):
        self.i_kk = mapping.get("no_kk")
        self.i_nik = mapping.get("nik", mapping.get("nik_kepala"))
        self.header = header
        self.result = result
        self.rows: list[tuple[int, str | None, str | None]] = []
        self.matched = 0  # households the list names

    def _label(self, index: int | None, fallback: str) -> str:
        return self.header[index] if index is not None and index < len(self.header) else fallback

    def _identity(self, number: int, cells: list[str], index: int | None, label: str) -> str | None:
        # The cell as read, not stripped: a numeric cell is marked by its type (``readers.NumberCell``).
        raw = cells[index] if index is not None and index < len(cells) else ""
        if raw.strip() in ("", "NULL", "null", "-"):
            return None
        try:
            return parse_identity(raw, label)
        except ValueError_ as exc:
            self.reject(number, self._label(index, label), raw.strip(), str(exc))
            return ""

    def reject(self, number: int, column: str, value: str, reason: str) -> None:
        self.result.rejected += 1
        if len(self.result.errors) < KEPT_ERRORS:
            self.result.errors.append(RowError(number, column, value, reason))

    def row(self, number: int, cells: list[str]) -> None:
        no_kk = self._identity(number, cells, self.i_kk, "No. KK")
        nik = self._identity(number, cells, self.i_nik, "NIK")
        if no_kk == "" or nik == "":
            return
        if no_kk is None and nik is None:
            self.reject(number, "", "", _("The row gives neither a No. KK nor a NIK."))
            return
        self.rows.append((number, no_kk, nik))

    def finish(self) -> None:
        pass


def recipients_apply(
    *, reader: RecipientReader, batch: ImportBatch, dry_run: bool, now, complete: bool = False
) -> dict[int, list[int]]:
    """Set the list's flag on the matched households and clear it on those that dropped off; returns
    {desa id: [0, flags set, flags cleared]}."""
    flag = RECIPIENT_FLAGS[batch.source]
    table, changes = Household._meta.db_table, HouseholdChange._meta.db_table
    listing, batches = RecipientListing._meta.db_table, ImportBatch._meta.db_table
    result = reader.result
    with connection.cursor() as cursor:
        for name in (MATCHED, RECIPIENTS):
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {RECIPIENTS} (row_number integer, no_kk varchar(40), nik varchar(16))"
        )
        for start in range(0, len(reader.rows), INSERT_ROWS):
            chunk = reader.rows[start : start + INSERT_ROWS]
            values = ", ".join(["(%s, %s, %s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {RECIPIENTS} (row_number, no_kk, nik) VALUES {values}",
                [value for row in chunk for value in row],
            )
        cursor.execute(
            f"CREATE TEMPORARY TABLE {MATCHED} AS SELECT r.row_number, r.no_kk, r.nik, COALESCE("
            f"(SELECT h.id FROM {table} h WHERE h.no_kk = r.no_kk), "
            f"(SELECT h.id FROM {table} h WHERE h.nik_kepala = r.nik ORDER BY h.is_active DESC, h.id LIMIT 1), "
            f"(SELECT m.household_id FROM {Member._meta.db_table} m WHERE m.nik = r.nik "
            f"ORDER BY m.household_id LIMIT 1)) AS household_id FROM {RECIPIENTS} r"
        )
        cursor.execute(
            f"SELECT row_number, no_kk, nik FROM {MATCHED} WHERE household_id IS NULL ORDER BY row_number"
        )
        for number, no_kk, nik in cursor.fetchall():
            reader.reject(
                number,
                "",
                no_kk or nik,
                _("No household of the registry has this No. KK, nor a head or member with this NIK."),
            )
        cursor.execute(f"SELECT COUNT(DISTINCT household_id) FROM {MATCHED} WHERE household_id IS NOT NULL")
        matched = reader.matched = cursor.fetchone()[0]
        wanted = (
            f"SELECT h.id FROM {table} h WHERE NOT h.{flag} AND h.id IN "
            f"(SELECT household_id FROM {MATCHED} WHERE household_id IS NOT NULL)"
        )
        named = f"SELECT household_id FROM {MATCHED} WHERE household_id IS NOT NULL"
        earlier = (
            f"SELECT l.household_id FROM {listing} l JOIN {batches} b ON b.id = l.batch_id "
            f"WHERE b.source = %s AND b.state = %s AND NOT b.dry_run AND b.id <> %s"
        )
        dropped = (
            f"SELECT h.id FROM {table} h WHERE h.{flag} AND h.id IN ({earlier}) AND h.id NOT IN ({named})"
        )
        if not complete:
            dropped += f" AND h.desa_id IN (SELECT n.desa_id FROM {table} n WHERE n.id IN ({named}))"
        dropped_params = [batch.source, ImportBatch.State.APPLIED, batch.pk]
        per_desa: dict[int, list[int]] = {}
        for index, (sql, params) in enumerate([(wanted, []), (dropped, dropped_params)], start=1):
            cursor.execute(
                f"SELECT h.desa_id, COUNT(*) FROM {table} h WHERE h.id IN ({sql}) GROUP BY h.desa_id", params
            )
            for desa_id, count in cursor.fetchall():
                per_desa.setdefault(desa_id, [0, 0, 0])[index] += count
        if not dry_run:
            cursor.execute(
                f"INSERT INTO {listing} (batch_id, household_id) SELECT DISTINCT %s, household_id "
                f"FROM {MATCHED} WHERE household_id IS NOT NULL",
                [batch.pk],
            )
        if not dry_run and per_desa:
            build = "jsonb_build_object" if connection.vendor == "postgresql" else "json_object"
            previous = f"{build}(" + ", ".join(f"'{name}', h.{name}" for name in PREVIOUS_COLUMNS) + ")"
            cursor.execute(
                f"INSERT INTO {changes} (household_id, batch_id, kind, previous) "
                f"SELECT h.id, %s, %s, {previous} FROM {table} h WHERE h.id IN ({wanted}) OR h.id IN ({dropped})",
                [batch.pk, HouseholdChange.Kind.UPDATED, *dropped_params],
            )
            # The flag is off on the households to set and on on those that dropped off: it flips on both.
            # Their fields no longer come from one file row alone: no fingerprint (``fingerprints``).
            cursor.execute(
                f"UPDATE {table} SET {flag} = NOT {flag}, row_digest = NULL, last_batch_id = %s, updated_at = %s "
                f"WHERE id IN "
                f"(SELECT household_id FROM {changes} WHERE batch_id = %s)",
                [batch.pk, connection.ops.adapt_datetimefield_value(now), batch.pk],
            )
        for name in (MATCHED, RECIPIENTS):
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
    flags_set = sum(counts[1] for counts in per_desa.values())
    result.updated = flags_set + sum(counts[2] for counts in per_desa.values())
    result.unchanged = matched - flags_set
    return per_desa
