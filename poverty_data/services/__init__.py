"""What writes poverty-registry data: the wilayah loader, the household import and its undo.

Entry points other layers build on: ``households_import`` (applies a file with its ``ImportOptions``; the upload task calls it) and
``import_undo``. A layer above that keeps figures derived from the registry (the dashboards) rebuilds them
after either returns an applied or undone batch; the names and keyword arguments stay stable.
"""

from poverty_data.importing.errors_workbook import errors_workbook_write
from poverty_data.importing.result import ImportResult
from poverty_data.services.imports import (
    ImportOptions,
    ImportStartError,
    households_import,
    import_batch_apply,
    import_batch_start,
)
from poverty_data.services.undo import ImportUndoError, UndoResult, import_undo
from poverty_data.services.wilayah import WilayahError, WilayahResult, wilayah_load

__all__ = [
    "ImportOptions",
    "ImportResult",
    "ImportStartError",
    "ImportUndoError",
    "UndoResult",
    "WilayahError",
    "WilayahResult",
    "errors_workbook_write",
    "households_import",
    "import_batch_apply",
    "import_batch_start",
    "import_undo",
    "wilayah_load",
]
