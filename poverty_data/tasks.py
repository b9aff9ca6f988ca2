"""Background tasks of the poverty registry (run by `python manage.py db_worker`, see README.md).

The views queue these tasks once the services stored what they run.
"""

from pathlib import Path

from django_tasks import task

from poverty_data.models import ImportBatch
from poverty_data.services.imports import ImportOptions, households_import
from poverty_data.services.retention import registry_file_delete


@task()
def household_import_run(batch_id: int) -> str:
    """Validate (dry run) or apply an uploaded registry file recorded in ``ImportBatch`` ``batch_id``."""
    batch = ImportBatch.objects.select_related("created_by").get(pk=batch_id)
    if batch.state != ImportBatch.State.PENDING:
        return batch.state
    result = households_import(
        Path(batch.stored_file.path), ImportOptions.of_batch(batch), user=batch.created_by, batch=batch
    )
    if result.batch.state == ImportBatch.State.APPLIED:
        registry_file_delete(batch.stored_file.name)  # every NIK of the file is in the registry now
        registry_file_delete(batch.stored_member_file.name)
    return result.batch.state
