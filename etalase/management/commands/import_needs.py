from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from etalase.importing import needs_import
from etalase.models import Need
from poverty_data.importing.readers import ImportRefused


class Command(BaseCommand):
    help = (
        "Import a Musrenbang/RKPD list of needs (.xlsx or .csv) into the etalase, open at once. Every row is "
        "checked first; a file with any row error is not applied (exit 1)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Check only; write nothing.")
        parser.add_argument(
            "--source",
            choices=Need.Source.values,
            default=Need.Source.MUSRENBANG_DESA,
            help="Source of rows without a SUMBER column (default %(default)s).",
        )
        parser.add_argument(
            "--by", default="", help="Username of the Dinsos account recorded in the history."
        )

    def handle(self, *args, file, dry_run, source, by, **options):
        actors = User.objects.filter(is_active=True, role=User.Role.DINSOS)
        actor = actors.filter(username=by).first() if by else actors.order_by("pk").first()
        if actor is None:
            raise CommandError("No active Dinsos account" + (f" named {by}" if by else "") + ".")
        try:
            result = needs_import(file, actor=actor, apply=not dry_run, default_source=source)
        except (ImportRefused, OSError) as exc:
            raise CommandError(f"Refused: {exc}") from None
        for number, message in result.errors:
            self.stderr.write(f"Row {number}: {message}")
        self.stdout.write(
            f"Rows valid: {len(result.needs)}; already in the etalase: {result.existing}; "
            f"row errors: {len(result.errors)}; needs added: {result.created}."
        )
        if result.unknown_columns:
            self.stdout.write("Columns ignored: " + ", ".join(result.unknown_columns))
        if not result.ok:
            raise CommandError("Not applied: correct the rows above and import the file again.")
