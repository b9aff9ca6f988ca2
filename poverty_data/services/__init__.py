"""What writes poverty-registry data: the wilayah loader and the household import."""

from poverty_data.importing.errors_workbook import errors_workbook_write
from poverty_data.importing.result import ImportResult
from poverty_data.services.imports import (
    ImportStartError,
    households_import,
    import_batch_apply,
    import_batch_start,
)
from poverty_data.services.wilayah import WilayahError, WilayahResult, wilayah_load

__all__ = [
    "ImportResult",
    "ImportStartError",
    "WilayahError",
    "WilayahResult",
    "errors_workbook_write",
    "households_import",
    "import_batch_apply",
    "import_batch_start",
    "wilayah_load",
]
