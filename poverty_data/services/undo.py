"""Undoing an applied import: the registry goes back to what it was before the batch.

- Households the batch created are removed when nothing refers to them (no program lists them), otherwise
  deactivated.
- Households it updated or deactivated get back the values recorded in ``HouseholdChange.previous``.
- Undo goes newest first: a batch that a later applied batch built on (a later applied batch of the same
  source, or any later batch that changed one of its households) cannot be undone before it; the refusal
  names that batch.
- The undo is recorded on the batch (state ``UNDONE``, who, when, counts in its message) and in the history
  of every household it restored or deactivated (``HouseholdChange.Kind.UNDONE``).

- Members of per-person files (and DTSEN member files) come back as they were: the change row of every
  household whose members the batch changed records them (``previous["members"]``, see
  ``importing/staging.py``).

``import_undo`` is an entry point other layers
may build on (the dashboards rebuild their figures after it), like ``households_import``.
"""

from dataclasses import dataclass
from datetime import date

from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from poverty_data.importing.schema import HOUSEHOLD_COLUMNS, PREVIOUS_COLUMNS
from poverty_data.importing.staging import IMPORT_LOCK
from poverty_data.models import Household, HouseholdChange, ImportBatch, Member, RecipientListing
from poverty_data.signals import registry_changed

GONE = "tslp_undo_gone"
ADDED_LATER = {"house_ownership"}
EXTRA_TYPES = {
    "needs_count": "smallint",
    "is_active": "boolean",
    "source": "varchar(8)",
    "last_batch_id": "bigint",
    "updated_at": "timestamp with time zone",
}


class ImportUndoError(Exception):
    """The batch cannot be undone; the message says why."""


@dataclass
class UndoResult:
    batch: ImportBatch
    restored: int = 0
    removed: int = 0
    deactivated: int = 0


def import_undo(*, batch: ImportBatch, user=None) -> UndoResult:
    """Undo an applied import batch, newest first; raises ``ImportUndoError`` when it may not be undone."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.dry_run or batch.state != ImportBatch.State.APPLIED:
            raise ImportUndoError(_("Only an applied import can be undone."))
        blocking = _blocking_batch(batch)
        if blocking is not None:
            raise ImportUndoError(
                _(
                    "Import %(id)s (%(file)s, period %(period)s) was applied after this one and builds on it; "
                    "undo it first."
                )
                % {"id": blocking.pk, "file": blocking.file_name, "period": blocking.period}
            )
        result = UndoResult(batch=batch)
        now = timezone.now()
        with connection.cursor() as cursor:
            result.restored = _restore(cursor, batch)
            _restore_members(batch)
            result.removed, result.deactivated = _remove_created(cursor, batch, now)
        batch.state = ImportBatch.State.UNDONE
        batch.undone_at = now
        batch.undone_by = user if user is not None and user.is_authenticated else None
        batch.message = _(
            "Undone: %(restored)s households restored, %(removed)s removed, %(deactivated)s deactivated."
        ) % {"restored": result.restored, "removed": result.removed, "deactivated": result.deactivated}
        batch.save(update_fields=["state", "undone_at", "undone_by", "message"])
        registry_changed.send(sender=ImportBatch, batch_id=batch.pk)
    return result


def _blocking_batch(batch: ImportBatch) -> ImportBatch | None:
    later = (
        ImportBatch.objects.filter(
            source=batch.source, state=ImportBatch.State.APPLIED, dry_run=False, pk__gt=batch.pk
        )
        .order_by("-pk")
        .first()
    )
    if later is not None:
        return later
    # A later batch of any source that changed one of this batch's households built on it.
    touched = HouseholdChange.objects.filter(batch=batch).values("household_id")
    last = (
        Household.objects.filter(Q(first_batch=batch) | Q(pk__in=touched))
        .exclude(last_batch=batch)
        .order_by()
        .values_list("last_batch_id", flat=True)[:1]
    )
    return ImportBatch.objects.filter(pk__in=list(last)).first()


def _restore(cursor, batch: ImportBatch) -> int:
    """Give the households the batch updated or deactivated their recorded values back."""
    table = Household._meta.db_table
    changes = HouseholdChange._meta.db_table
    types = {**dict(HOUSEHOLD_COLUMNS), **EXTRA_TYPES}
    if connection.vendor == "postgresql":
        values = {name: f"(c.previous->>'{name}')::{types[name]}" for name in PREVIOUS_COLUMNS}
    else:
        values = {name: f"json_extract(c.previous, '$.{name}')" for name in PREVIOUS_COLUMNS}
    # History written before a column existed does not name it: the column keeps its value.
    sets = ", ".join(
        f"{name} = COALESCE({value}, {table}.{name})" if name in ADDED_LATER else f"{name} = {value}"
        for name, value in values.items()
    )
    kinds = [HouseholdChange.Kind.UPDATED, HouseholdChange.Kind.DEACTIVATED]
    cursor.execute(
        f"UPDATE {table} SET {sets} FROM {changes} c WHERE c.household_id = {table}.id AND c.batch_id = %s "
        f"AND c.kind IN (%s, %s) AND c.previous IS NOT NULL",
        [batch.pk, *kinds],
    )
    restored = cursor.rowcount
    cursor.execute(
        f"INSERT INTO {changes} (household_id, batch_id, kind) SELECT household_id, batch_id, %s "
        f"FROM {changes} WHERE batch_id = %s AND kind IN (%s, %s) AND previous IS NOT NULL",
        [HouseholdChange.Kind.UNDONE, batch.pk, *kinds],
    )
    return restored


def _restore_members(batch: ImportBatch, chunk: int = 1000) -> None:
    """Give the households whose members the batch changed their recorded members back."""
    recorded = (
        HouseholdChange.objects.filter(
            batch=batch, kind=HouseholdChange.Kind.UPDATED, previous__has_key="members"
        )
        .order_by("pk")
        .values_list("household_id", "previous__members")
    )
    pending: list[tuple[int, list]] = []
    for row in recorded.iterator(chunk_size=chunk):
        pending.append(row)
        if len(pending) >= chunk:
            _replace_members(pending)
            pending = []
    if pending:
        _replace_members(pending)


def _replace_members(recorded: list[tuple[int, list]]) -> None:
    Member.objects.filter(household_id__in=[household_id for household_id, _members in recorded]).delete()
    Member.objects.bulk_create(
        Member(
            household_id=household_id,
            nik=nik,
            nama=nama,
            hubungan=hubungan,
            jenis_kelamin=jenis_kelamin,
            tanggal_lahir=date.fromisoformat(born[:10]) if born else None,
        )
        for household_id, members in recorded
        for nik, nama, hubungan, jenis_kelamin, born in members
    )


class _NotWholeRegistry(Exception):
    pass


def _truncate_registry(cursor, removed: int) -> bool:
    """Empty the registry with TRUNCATE when the households to remove are all there are and no row of another
    table refers to any (undoing the import that filled an empty registry); True when it did.

    Deleting them row by row fires a foreign-key check per household and referring table: measured, 90 % of
    undoing such an import (about 18 of 21 s per 200,000 households). PostgreSQL only; every table that refers
    to households, directly or through another, is locked and must be empty, apart from their members.
    """
    if connection.vendor != "postgresql":
        return False
    table, members = Household._meta.db_table, Member._meta.db_table
    cursor.execute(f"SELECT COUNT(*) = %s FROM {table}", [removed])
    if not cursor.fetchone()[0]:
        return False
    cursor.execute(
        "WITH RECURSIVE refs(relation) AS (SELECT %s::regclass UNION SELECT c.conrelid::regclass "
        "FROM pg_constraint c JOIN refs ON c.confrelid = refs.relation WHERE c.contype = 'f') "
        "SELECT relation::text FROM refs",
        [table],
    )
    tables = sorted(row[0] for row in cursor.fetchall())
    try:
        with transaction.atomic():
            cursor.execute(f"LOCK TABLE {', '.join(tables)} IN ACCESS EXCLUSIVE MODE")
            cursor.execute(f"SELECT COUNT(*) = %s FROM {table}", [removed])
            if not cursor.fetchone()[0]:
                raise _NotWholeRegistry
            for other in tables:
                if other not in (table, members):
                    cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {other})")
                    if cursor.fetchone()[0]:
                        raise _NotWholeRegistry
            # TRUNCATE refuses a table with foreign-key checks still pending in this transaction: run them.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {', '.join(tables)}")
    except (_NotWholeRegistry, DatabaseError):  # rolled back to before the lock: delete row by row instead
        return False
    finally:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    return True


def _remove_created(cursor, batch: ImportBatch, now) -> tuple[int, int]:
    """Remove the households the batch created that nothing refers to; deactivate the others."""
    table = Household._meta.db_table
    changes = HouseholdChange._meta.db_table
    own = {Member, HouseholdChange}
    references = " ".join(
        f"AND NOT EXISTS (SELECT 1 FROM {rel.related_model._meta.db_table} r "
        f"WHERE r.{rel.field.column} = h.id)"
        for rel in Household._meta.related_objects
        if rel.related_model not in own and not rel.many_to_many
    )
    cursor.execute(f"DROP TABLE IF EXISTS {GONE}")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {GONE} AS SELECT h.id FROM {table} h WHERE h.first_batch_id = %s {references}",
        [batch.pk],
    )
    gone = f"SELECT id FROM {GONE}"
    cursor.execute(f"DELETE FROM {changes} WHERE household_id IN ({gone})")
    cursor.execute(f"DELETE FROM {RecipientListing._meta.db_table} WHERE household_id IN ({gone})")
    cursor.execute(f"SELECT COUNT(*) FROM {GONE}")
    (removed,) = cursor.fetchone()
    if not (removed and _truncate_registry(cursor, removed)):
        cursor.execute(f"DELETE FROM {Member._meta.db_table} WHERE household_id IN ({gone})")
        cursor.execute(f"DELETE FROM {table} WHERE id IN ({gone})")
    cursor.execute(f"DROP TABLE {GONE}")
    kept = f"SELECT id FROM {table} WHERE first_batch_id = %s AND is_active"
    cursor.execute(
        f"INSERT INTO {changes} (household_id, batch_id, kind) SELECT id, %s, %s FROM ({kept}) k",
        [batch.pk, HouseholdChange.Kind.UNDONE, batch.pk],
    )
    cursor.execute(
        f"UPDATE {table} SET is_active = FALSE, updated_at = %s WHERE first_batch_id = %s AND is_active",
        [connection.ops.adapt_datetimefield_value(now), batch.pk],
    )
    return removed, cursor.rowcount
