"""What an import reports: its counts and every rejected row."""

from dataclasses import dataclass, field

from poverty_data.models import ImportBatch


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
    unranked: int = 0
    desa_count: int = 0
    source_active: int = 0
    summary: list[list] = field(default_factory=list)
    refused: str = ""
    duration: float = 0.0

    @property
    def applied(self) -> bool:
        return self.batch.state == ImportBatch.State.APPLIED
