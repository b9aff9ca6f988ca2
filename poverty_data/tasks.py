"""Background tasks of the poverty registry (run by `python manage.py db_worker`, see README.md).

The services queue these tasks; a task's body calls back into the services (imported there, so that the
services can import this module at their top without a cycle).
"""

from pathlib import Path

from django_tasks import task

from poverty_data.models import ImportBatch


@task()
def household_import_run(batch_id: int) -> str:
    """Validate (dry run) or apply an uploaded registry file recorded in ``ImportBatch`` ``batch_id``."""
    from poverty_data.services.imports import households_import

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
        complete=batch.complete,
        confirmed_deactivations=batch.deactivated_count if batch.mass_deactivation_confirmed else None,
        member_path=Path(batch.stored_member_file.path) if batch.stored_member_file else None,
        member_file_name=batch.member_file_name,
    )
    if result.batch.state == ImportBatch.State.APPLIED:
        from poverty_data.services.retention import registry_file_delete

        registry_file_delete(batch.stored_file.name)  # every NIK of the file is in the registry now
        registry_file_delete(batch.stored_member_file.name)
    return result.batch.state
