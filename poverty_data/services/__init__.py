"""What writes poverty-registry data: the wilayah loader and the household import."""

from poverty_data.services.import_ import ImportResult, errors_workbook_write, households_import
from poverty_data.services.wilayah import WilayahError, WilayahResult, wilayah_load

__all__ = [
    "ImportResult",
    "WilayahError",
    "WilayahResult",
    "errors_workbook_write",
    "households_import",
    "wilayah_load",
]
