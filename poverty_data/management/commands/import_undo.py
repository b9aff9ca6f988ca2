from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from poverty_data.models import ImportBatch
from poverty_data.services import ImportUndoError, import_undo


class Command(BaseCommand):
    help = (
        "Undo an applied registry import: households it created are removed (or deactivated when a program "
        "lists them), what it changed or deactivated is restored. Newest first. Exit status 1 when refused."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "batch_id", type=int, help="The import batch to undo (see /admin/ or the import page)."
        )

    def handle(self, *args, **options):
        with translation.override(translation.get_language() or "id"):
            batch = ImportBatch.objects.filter(pk=options["batch_id"]).first()
            if batch is None:
                raise CommandError(_("No import batch %(id)s.") % {"id": options["batch_id"]})
            try:
                result = import_undo(batch=batch)
            except ImportUndoError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "Import %(id)s undone: %(restored)s households restored, %(removed)s removed, "
                        "%(deactivated)s deactivated."
                    )
                    % {
                        "id": batch.pk,
                        "restored": number_format(result.restored, force_grouping=True),
                        "removed": number_format(result.removed, force_grouping=True),
                        "deactivated": number_format(result.deactivated, force_grouping=True),
                    }
                )
            )
