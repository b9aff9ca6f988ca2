from django.core.management.base import BaseCommand

from poverty_data.services.retention import registry_files_purge


class Command(BaseCommand):
    help = (
        "Delete uploaded registry files no longer needed: applied ones, and the others "
        "TSLP_REGISTRY_FILE_RETENTION_DAYS after their last use. Run daily."
    )

    def handle(self, *args, **options):
        deleted = registry_files_purge()
        self.stdout.write(f"{deleted} registry file(s) deleted.")
