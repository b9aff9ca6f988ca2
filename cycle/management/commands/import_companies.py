import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cycle.models import ObligatedCompany, RegisterImport
from cycle.services import CycleError
from cycle.services.register import register_import_apply, register_import_check


class Command(BaseCommand):
    help = (
        "Import a register of obligated companies (.xlsx or .csv with NIB, name, KBLI or sector, address, "
        "kecamatan, e-mail, phone). The NIB is the key: importing the same file again changes nothing. A file "
        "with any rejected row is not applied. Exit status 0 when applied (or valid with --dry-run), 1 otherwise."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--source",
            default=ObligatedCompany.Source.DPMPTSP,
            choices=[s for s in ObligatedCompany.Source.values if s != ObligatedCompany.Source.MANUAL],
        )
        parser.add_argument("--dry-run", action="store_true", help="Check and count, change nothing.")

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"File not found: {path}")
        started = time.monotonic()
        record = register_import_check(path=path, file_name=path.name, source=options["source"], user=None)
        if record.state == RegisterImport.State.REFUSED:
            self.stderr.write(f"Refused: {record.refused}")
            raise SystemExit(1)
        for row, column, value, reason in record.errors:
            self.stderr.write(f"row {row} {column} {value!r}: {reason}")
        for row, _column, value, reason in record.warnings:
            self.stdout.write(f"row {row} {value}: {reason}")
        summary = (
            f"{record.rows_read} rows read: {record.created} new, {record.updated} changed, "
            f"{record.unchanged} unchanged, {len(record.errors)} rejected"
        )
        if options["dry_run"] or record.errors:
            self.stdout.write(f"{summary}. Nothing changed ({time.monotonic() - started:.2f} s).")
            if record.errors:
                raise SystemExit(1)
            return
        try:
            register_import_apply(record=record, user=None)
        except CycleError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{summary}. Applied ({time.monotonic() - started:.2f} s).")
