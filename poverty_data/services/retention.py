"""Uploaded registry files hold every NIK of a file: kept only while they are needed.

- Applied: the file is deleted at once (the registry and its history hold what it brought; an undo needs
  the history, not the file).
- Validated and never applied, refused, or failed: deleted ``TSLP_REGISTRY_FILE_RETENTION_DAYS`` after
  the last batch that used it, so that Dinsos can still apply a checked file for a while.

``python manage.py purge_registry_files`` applies the rule (daily, see docs/operations.md); the upload
task deletes an applied file at once. The batches keep the file's name, size and checksum.
"""

import datetime

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Max, Q
from django.utils import timezone

from poverty_data.models import ImportBatch

S = ImportBatch.State


def registry_file_delete(name: str) -> bool:
    """Delete one stored registry file (the batches keep their record of it); True when it existed."""
    if not name or not default_storage.exists(name):
        return False
    default_storage.delete(name)
    return True


def registry_files_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete the stored files the retention rule no longer keeps; return how many were deleted."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.TSLP_REGISTRY_FILE_RETENTION_DAYS)
    files = (
        ImportBatch.objects.exclude(stored_file="")
        .values("stored_file")
        .annotate(
            last_used=Max("created_at"),
            busy=Max("pk", filter=Q(state__in=[S.PENDING, S.RUNNING])),
            applied=Max("pk", filter=Q(state=S.APPLIED)),
        )
    )
    deleted = 0
    for row in files:
        if row["busy"] is not None:
            continue
        if row["applied"] is not None or row["last_used"] < cutoff:
            deleted += registry_file_delete(row["stored_file"])
            # A member file uploaded with it goes with it.
            members = ImportBatch.objects.filter(stored_file=row["stored_file"]).exclude(
                stored_member_file=""
            )
            for name in set(members.values_list("stored_member_file", flat=True)):
                deleted += registry_file_delete(name)
    return deleted
