"""What writes poverty-registry data: the wilayah loader and the household import."""

from poverty_data.services.import_ import (
    ImportResult,
    ImportStartError,
    errors_workbook_write,
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
