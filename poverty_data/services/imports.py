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
- DTSEN's family file and member file uploaded together are one batch: the family file is applied, then the
  member file completes its families (head's NIK, members), in the same transaction; a dry run of the pair
  applies both and rolls back, so its counts are exact. The member file never deactivates anything.
"""

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from poverty_data.importing.columns import looks_like_header, map_header, missing_required
from poverty_data.importing.header import ProgressChannel, collector_paused, find_header, read_rows
from poverty_data.importing.periods import period_parse
from poverty_data.importing.readers import ImportRefused, open_table
from poverty_data.importing.recipients import RECIPIENT_FLAGS, RecipientReader, recipients_apply
from poverty_data.importing.result import ImportResult, RowError
from poverty_data.importing.schema import DESIL_OPTIONAL
from poverty_data.importing.staging import IMPORT_LOCK, Stage
from poverty_data.importing.validation import Validator, completes_families
from poverty_data.models import MASS_DEACTIVATION_SHARE, Desa, Household, HouseholdChange, ImportBatch
from poverty_data.signals import registry_changed

BATCH_ERRORS = 10_000

Progress = Callable[[str, float, int], None]


@dataclass(frozen=True)
class ImportOptions:
    """What to import and how: the choices Dinsos makes on the upload page (or the command line).

    ``complete``: the file is the complete regency file of its source (deactivation everywhere, not only in
    the desa it covers). ``allow_mass_deactivation``: deactivate more than ``MASS_DEACTIVATION_SHARE`` of the
    source's active households without asking; ``confirmed_deactivations``: the number Dinsos typed, the
    only number of deactivations above that share the import accepts. ``member_path``: DTSEN's member file,
    checked and applied with the family file as one batch.
    """

    source: str
    period: str
    dry_run: bool = False
    strict: bool = False
    complete: bool = False
    allow_mass_deactivation: bool = False
    confirmed_deactivations: int | None = None
    file_name: str = ""
    member_path: Path | None = None
    member_file_name: str = ""

    @classmethod
    def of_batch(cls, batch: ImportBatch) -> "ImportOptions":
        """The options of a batch queued from the upload page (its files stored with it)."""
        return cls(
            source=batch.source,
            period=batch.period,
            dry_run=batch.dry_run,
            strict=batch.strict,
            complete=batch.complete,
            confirmed_deactivations=batch.deactivated_count if batch.mass_deactivation_confirmed else None,
            file_name=batch.file_name,
            member_path=Path(batch.stored_member_file.path) if batch.stored_member_file else None,
            member_file_name=batch.member_file_name,
        )


@dataclass
class _Run:
    """One import under way: its options, its result so far, and where its progress goes."""

    options: ImportOptions
    result: ImportResult
    report: Progress
    channel: ProgressChannel


@dataclass
class _Sheet:
    """An opened file: its remaining rows after the header, and the header's column mapping."""

    rows: object
    table: object
    header: list[str]
    mapping: dict[str, int]


def _check_period(*, source: str, order: int, period_label: str) -> None:
    latest = (
        ImportBatch.objects.filter(source=source, state=ImportBatch.State.APPLIED, period_order__isnull=False)
        .order_by("-period_order", "-id")
        .first()
    )
    if latest is not None and order < latest.period_order:
        raise ImportRefused(
            _(
                "Period %(period)s is older than the last applied %(source)s import (%(latest)s); "
                "importing it would deactivate newer households."
            )
            % {"period": period_label, "source": latest.get_source_display(), "latest": latest.period}
        )


def households_import(
    path: Path,
    options: ImportOptions,
    *,
    user=None,
    batch: ImportBatch | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Validate a registry export and, unless ``dry_run``, apply it atomically. Never raises for bad files.

    Returns the result with its batch: ``APPLIED`` (or ``VALIDATED`` for a dry run) or ``REFUSED`` with a
    message that says why. Rejected rows are in ``result.errors``. Households of the source missing from
    the file are deactivated in the desa the file covers, or everywhere when ``options.complete``; applying
    more deactivations than ``MASS_DEACTIVATION_SHARE`` of the source's active households is refused
    unless the options allow it (see ``ImportOptions``). With ``options.member_path`` (DTSEN's member file)
    both files are checked and applied as this one batch. ``batch``: the pending batch this import runs
    (queued from the upload page); ``progress(stage, fraction, rows)`` is called as reading advances.

    An entry point other layers may build on (the dashboards rebuild their figures after it returns an
    applied batch), like ``import_undo``.
    """
    started = time.monotonic()
    path = Path(path)
    source, member_path = options.source, options.member_path
    if source not in ImportBatch.Source.values:
        raise ValueError(f"Unknown source {source!r}")
    if batch is None:
        batch = ImportBatch.objects.create(
            source=source,
            period=options.period[:40],
            file_name=options.file_name or path.name,
            file_size=path.stat().st_size,
            checksum=file_checksum(path),
            created_by=user if user is not None and user.is_authenticated else None,
            dry_run=options.dry_run,
            strict=options.strict,
            complete=options.complete,
            member_file_name=(options.member_file_name or member_path.name)[:255] if member_path else "",
            state=ImportBatch.State.RUNNING,
        )
    else:
        batch.state = ImportBatch.State.RUNNING
        batch.file_size = path.stat().st_size
        batch.checksum = batch.checksum or file_checksum(path)
        batch.save(update_fields=["state", "file_size", "checksum"])
    result = ImportResult(batch=batch)
    table = None
    run = _Run(
        options=options,
        result=result,
        report=progress or (lambda stage, fraction, rows: None),
        channel=ProgressChannel(batch),
    )
    try:
        parsed = period_parse(options.period)
        batch.period, batch.period_order = parsed.label, parsed.order
        batch.save(update_fields=["period", "period_order"])
        _check_period(source=source, order=parsed.order, period_label=parsed.label)
        table = open_table(
            path,
            options.file_name or path.name,
            header_test=lambda cells: looks_like_header(map_header(cells)[0]),
        )
        rows = iter(table.rows)
        header, mapping = find_header(rows, result)
        sheet = _Sheet(rows=rows, table=table, header=header, mapping=mapping)
        with transaction.atomic():
            if source in RECIPIENT_FLAGS:
                if member_path is not None:
                    raise ImportRefused(
                        _("A member file goes with a family file, not with a recipient list.")
                    )
                _recipient_list(sheet, run)
            else:
                _household_file(sheet, run, pair=member_path is not None)
                if member_path is not None:
                    _member_file(Path(member_path), options.member_file_name or Path(member_path).name, run)
            if options.dry_run:
                transaction.set_rollback(True)
            else:
                registry_changed.send(
                    sender=ImportBatch,
                    batch_id=batch.pk,
                    households_changed=bool(result.created or result.updated or result.deactivated),
                )
                _finish(batch, result, ImportBatch.State.APPLIED, started)
        if options.dry_run:
            _finish(batch, result, ImportBatch.State.VALIDATED, started)
        run.report("apply", 1.0, result.rows_read)
    except ImportRefused as exc:
        result.refused = str(exc)
        result.created = result.updated = result.unchanged = result.deactivated = 0
        _finish(batch, result, ImportBatch.State.REFUSED, started, message=str(exc))
    except BaseException as exc:
        if not connection.needs_rollback:
            _finish(batch, result, ImportBatch.State.FAILED, started, message=repr(exc)[:2000])
        raise
    finally:
        run.channel.close()
        if table is not None:
            table.close()
    return result


def _household_file(sheet: _Sheet, run: _Run, *, pair: bool = False) -> None:
    """Validate and stage a household file, apply it chunk by chunk, deactivate what it no longer lists.

    The family file of a pair is written even in a dry run (rolled back at the end), so that the member
    file is checked against the families it brings."""
    options, result, mapping = run.options, run.result, sheet.mapping
    dry_run, batch, source = options.dry_run, result.batch, result.batch.source
    per_person = "hubungan" in mapping
    if pair and per_person:
        raise ImportRefused(
            _(
                "The family file has a relation column (status_hubungan_keluarga): it looks like the member "
                "file. Upload the family file in the first field and the member file in the second."
            )
        )
    missing = missing_required(mapping, per_person=per_person, desil_required=source not in DESIL_OPTIONAL)
    if missing:
        raise ImportRefused(_("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)})
    stage = Stage(
        batch=batch,
        members=per_person,
        dry_run=dry_run and not pair,
        now=timezone.now(),
        complete=options.complete,
        deactivate=not completes_families(mapping, per_person=per_person),
    )
    validator = Validator(
        mapping=mapping,
        header=sheet.header,
        per_person=per_person,
        result=result,
        stage=stage,
        strict=options.strict,
    )
    stage.start(validator.present)
    try:
        with collector_paused():
            read_rows(sheet.rows, sheet.table, validator, result, run.report, run.channel)
        if result.rows_read == 0:
            raise ImportRefused(_("The file has a header row but no data rows."))
        validator.finish()
        run.report("apply", 0.5, result.rows_read)
        result.deactivated = stage.finish(source=source)
    finally:
        stage.stop()
    if stage.total == 0:
        raise ImportRefused(_("No row of the file is valid; nothing was imported."))
    result.created, result.updated = stage.created, stage.updated
    result.unchanged = stage.total - stage.created - stage.updated
    result.source_active = stage.source_active
    result.desa_count = len(stage.covered_desa())
    result.summary = _per_kecamatan(stage.per_desa)
    if (
        not dry_run
        and result.deactivated > MASS_DEACTIVATION_SHARE * stage.source_active
        and result.deactivated > (options.confirmed_deactivations or 0)
        and not options.allow_mass_deactivation
    ):
        raise ImportRefused(
            _(
                "Applying this file would deactivate %(count)s of the %(active)s active households of "
                "this source, more than %(share)s%%; nothing was changed. Confirm the number to apply it."
            )
            % {
                "count": result.deactivated,
                "active": stage.source_active,
                "share": int(MASS_DEACTIVATION_SHARE * 100),
            }
        )
    stage.drop()


def _member_file(path: Path, name: str, run: _Run) -> None:
    """Apply DTSEN's member file of a pair to the families its family file just brought (same batch)."""
    result = run.result
    batch = result.batch
    part = ImportResult(batch=batch)
    updated_before = HouseholdChange.objects.filter(batch=batch, kind=HouseholdChange.Kind.UPDATED).count()
    try:
        table = open_table(path, name, header_test=lambda cells: looks_like_header(map_header(cells)[0]))
    except ImportRefused as exc:
        raise ImportRefused(f"{name}: {exc}") from None
    try:
        rows = iter(table.rows)
        try:
            header, mapping = find_header(rows, part)
        except ImportRefused as exc:
            raise ImportRefused(f"{name}: {exc}") from None
        if "hubungan" not in mapping:
            raise ImportRefused(
                _(
                    "The member file %(file)s has no relation column (status_hubungan_keluarga); it is not a "
                    "member file."
                )
                % {"file": name}
            )
        missing = missing_required(mapping, per_person=True, desil_required=False)
        if missing:
            raise ImportRefused(
                _("Required columns are missing from the member file %(file)s: %(columns)s.")
                % {"file": name, "columns": ", ".join(missing)}
            )
        # A member file completes the families of its family file: it never deactivates any (even with
        # wilayah columns), and their change rows stay those the family file wrote.
        stage = Stage(
            batch=batch, members=True, dry_run=False, now=timezone.now(), deactivate=False, second_pass=True
        )
        validator = Validator(
            mapping=mapping,
            header=header,
            per_person=True,
            result=part,
            stage=stage,
            strict=run.options.strict,
        )
        stage.start(validator.present)
        try:
            read_rows(rows, table, validator, part, run.report, run.channel)
            if part.rows_read == 0:
                raise ImportRefused(
                    _("The member file %(file)s has a header row but no data rows.") % {"file": name}
                )
            validator.finish()
            stage.finish(source=batch.source)
        finally:
            stage.stop()
        stage.drop()
    finally:
        table.close()
    result.rows_read += part.rows_read
    result.rejected += part.rejected
    result.errors += [
        RowError(error.row, f"{name}: {error.column}" if error.column else name, error.value, error.reason)
        for error in part.errors
    ]
    result.unknown_columns += [f"{name}: {column}" for column in part.unknown_columns]
    _pair_totals(result, updated_before)


def _pair_totals(result: ImportResult, updated_before: int) -> None:
    """Counts of a family + member pair, from what the batch wrote (both files touch the same families)."""
    batch = result.batch
    table, changes = Household._meta.db_table, HouseholdChange._meta.db_table
    per_desa: dict[int, list[int]] = {}
    kinds = HouseholdChange.Kind
    queries = [
        (f"SELECT desa_id, COUNT(*) FROM {table} WHERE first_batch_id = %s GROUP BY desa_id", [batch.pk]),
        *(
            (
                f"SELECT h.desa_id, COUNT(*) FROM {changes} c JOIN {table} h ON h.id = c.household_id "
                f"WHERE c.batch_id = %s AND c.kind = %s GROUP BY h.desa_id",
                [batch.pk, kind],
            )
            for kind in (kinds.UPDATED, kinds.DEACTIVATED)
        ),
    ]
    with connection.cursor() as cursor:
        for index, (sql, params) in enumerate(queries):
            cursor.execute(sql, params)
            for desa_id, count in cursor.fetchall():
                per_desa.setdefault(desa_id, [0, 0, 0])[index] += count
    result.created, result.updated, result.deactivated = (
        sum(counts[index] for counts in per_desa.values()) for index in range(3)
    )
    # Families the family file left unchanged and the member file changed are updated now.
    result.unchanged = max(0, result.unchanged - (result.updated - updated_before))
    result.summary = _per_kecamatan(per_desa)


def _recipient_list(sheet: _Sheet, run: _Run) -> None:
    """Set the list's assistance flag on the households it names and clear it on those that dropped off
    (see ``importing/recipients.py``)."""
    result, mapping = run.result, sheet.mapping
    if "no_kk" not in mapping and "nik" not in mapping and "nik_kepala" not in mapping:
        raise ImportRefused(_("Required columns are missing: %(columns)s.") % {"columns": "NO KK / NIK"})
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])
    reader = RecipientReader(mapping=mapping, header=sheet.header, result=result)
    read_rows(sheet.rows, sheet.table, reader, result, run.report, run.channel)
    if result.rows_read == 0:
        raise ImportRefused(_("The file has a header row but no data rows."))
    per_desa = recipients_apply(
        reader=reader,
        batch=result.batch,
        dry_run=run.options.dry_run,
        now=timezone.now(),
        complete=run.options.complete,
    )
    if reader.matched == 0:
        raise ImportRefused(_("No row of the file is valid; nothing was imported."))
    # [kecamatan, name, 0, flags set, flags cleared]: the check page labels the last two for a list.
    result.summary = _per_kecamatan(per_desa)


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
    batch.unranked_count = result.unranked
    batch.desa_count = result.desa_count
    batch.source_active_count = result.source_active
    batch.summary = result.summary
    batch.unknown_columns = result.unknown_columns
    batch.errors = [error.as_list() for error in result.errors[:BATCH_ERRORS]]
    batch.duration = round(result.duration, 3)
    batch.finished_at = timezone.now()
    batch.save()


def _per_kecamatan(per_desa: dict[int, list[int]]) -> list[list]:
    """[kecamatan code, name, created, updated, deactivated] for each kecamatan with a change, in code order."""
    kecamatan = dict(Desa.objects.filter(pk__in=list(per_desa)).values_list("pk", "kecamatan__kode"))
    names = dict(Desa.objects.filter(pk__in=list(per_desa)).values_list("kecamatan__kode", "kecamatan__nama"))
    totals: dict[str, list[int]] = {}
    for desa_id, counts in per_desa.items():
        row = totals.setdefault(kecamatan.get(desa_id, ""), [0, 0, 0])
        for index, count in enumerate(counts):
            row[index] += count
    return [[kode, names.get(kode, ""), *counts] for kode, counts in sorted(totals.items()) if any(counts)]


def file_checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


class ImportStartError(Exception):
    pass


def import_batch_start(
    *,
    upload,
    source: str,
    period: str,
    user,
    strict: bool = False,
    complete: bool = False,
    member_upload=None,
) -> ImportBatch:
    """Store an uploaded file (and DTSEN's member file uploaded with it) privately as a pending batch of
    their validation (a dry run); returns it. The caller queues it (``tasks.household_import_run``)."""
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
        complete=complete,
        state=ImportBatch.State.PENDING,
    )
    batch.stored_file.save(
        f"{digest.hexdigest()[:16]}{Path(upload.name).suffix.lower()[:6]}", upload, save=False
    )
    if member_upload is not None:
        batch.member_file_name = Path(member_upload.name).name[:255]
        member_digest = hashlib.sha256()
        for chunk in member_upload.chunks():
            member_digest.update(chunk)
        batch.stored_member_file.save(
            f"{member_digest.hexdigest()[:16]}{Path(member_upload.name).suffix.lower()[:6]}",
            member_upload,
            save=False,
        )
    batch.save()
    return batch


def import_batch_apply(*, validated: ImportBatch, user, confirmation: str = "") -> tuple[ImportBatch, bool]:
    """A pending batch applying a file whose dry run passed (a new batch of the same file); the caller
    queues it unless it was already there (``created`` is False then).

    When the check found more deactivations than ``MASS_DEACTIVATION_SHARE`` of the source's active
    households, Dinsos must type their number as ``confirmation``; the application then refuses to
    deactivate any other number.
    """
    if validated.state != ImportBatch.State.VALIDATED or not validated.stored_file:
        raise ImportStartError(_("Only a validated dry run can be applied."))
    confirmed = False
    if validated.needs_confirmation:
        typed = "".join(char for char in str(confirmation) if char.isdigit())
        if typed != str(validated.deactivated_count):
            raise ImportStartError(
                _("Type the number of households that will be deactivated (%(count)s) to apply this file.")
                % {"count": validated.deactivated_count}
            )
        confirmed = True
    already = ImportBatch.objects.filter(
        stored_file=validated.stored_file.name,
        dry_run=False,
        state__in=[ImportBatch.State.PENDING, ImportBatch.State.RUNNING, ImportBatch.State.APPLIED],
    ).first()
    if already is not None:
        return already, False
    batch = ImportBatch.objects.create(
        source=validated.source,
        period=validated.period,
        file_name=validated.file_name,
        file_size=validated.file_size,
        checksum=validated.checksum,
        stored_file=validated.stored_file.name,
        member_file_name=validated.member_file_name,
        stored_member_file=validated.stored_member_file.name,
        created_by=user,
        dry_run=False,
        strict=validated.strict,
        complete=validated.complete,
        mass_deactivation_confirmed=confirmed,
        # The number Dinsos confirmed: the application refuses to deactivate more than that.
        deactivated_count=validated.deactivated_count if confirmed else 0,
        state=ImportBatch.State.PENDING,
    )
    return batch, True
