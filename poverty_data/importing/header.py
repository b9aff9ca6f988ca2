"""Finding the header row below title rows, and reading the data rows with progress."""

import gc
from contextlib import contextmanager
from typing import TYPE_CHECKING

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections
from django.utils.translation import gettext as _

from poverty_data.importing.columns import looks_like_header, map_header
from poverty_data.importing.readers import MAX_CONSECUTIVE_EMPTY_ROWS, ImportRefused
from poverty_data.importing.result import ImportResult
from poverty_data.models import ImportBatch

if TYPE_CHECKING:
    from poverty_data.importing.validation import Validator

HEADER_SEARCH_ROWS = 30


def find_header(rows, result: ImportResult) -> tuple[list[str], dict[str, int]]:
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


@contextmanager
def collector_paused():
    """Python's cyclic garbage collector paused while a file's rows are read and validated.

    Reading makes no reference cycles (every row, cell and staged row is freed by reference counting), but
    the collector still walks the young objects every 700 allocations and everything alive now and then:
    about 3,500 passes and 3.4 to 5.8 s of a million-row import, with the interpreter lock held.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_rows(rows, table, validator: "Validator", result: ImportResult, report, channel) -> None:
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


class ProgressChannel:
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
