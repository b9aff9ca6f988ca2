"""Background tasks of the poverty registry (run by `python manage.py db_worker`, see README.md)."""

from pathlib import Path

from django_tasks import task

from poverty_data.models import ImportBatch
from poverty_data.services import households_import


@task()
def household_import_run(batch_id: int) -> str:
    """Validate (dry run) or apply an uploaded registry file recorded in ``ImportBatch`` ``batch_id``."""
    batch = ImportBatch.objects.select_related("created_by").get(pk=batch_id)
    if batch.state != ImportBatch.State.PENDING:
        return batch.state
    result = households_import(
        path=Path(batch.stored_file.path),
        source=batch.source,
        period=batch.period,
        user=batch.created_by,
        dry_run=batch.dry_run,
        strict=batch.strict,
        file_name=batch.file_name,
        batch=batch,
    )
    return result.batch.state
