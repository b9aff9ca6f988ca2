import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from poverty_data.models import ImportBatch
from poverty_data.services import ImportOptions, errors_workbook_write, households_import


def _n(value: int) -> str:
    return number_format(value, force_grouping=True)


class Command(BaseCommand):
    help = (
        "Import a DTKS, DTSEN or P3KE export (.xlsx or .csv) into the poverty registry. Exit status 0 when "
        "applied (or valid with --dry-run), 1 when the file is refused (nothing is written)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--members",
            type=Path,
            help="DTSEN's member file exported with FILE (the family file): both are checked and applied as one "
            "import.",
        )
        parser.add_argument("--source", required=True, choices=ImportBatch.Source.values)
        parser.add_argument("--period", required=True, help="Period label, e.g. 2026-03 or 'Maret 2026'.")
        parser.add_argument("--dry-run", action="store_true", help="Validate and count, change nothing.")
        parser.add_argument(
            "--strict", action="store_true", help="Refuse the whole file if any row is invalid."
        )
        parser.add_argument("--errors", type=Path, help="Write the rejected rows to this .xlsx file.")
        parser.add_argument(
            "--complete",
            action="store_true",
            help="The file is the complete regency file: deactivate households of the source missing from it in "
            "every desa (by default only in the desa the file covers).",
        )
        parser.add_argument(
            "--allow-mass-deactivation",
            action="store_true",
            help="Apply even when more than 10%% of the source's active households would be deactivated.",
        )
        parser.add_argument("--quiet-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, **options):
        with translation.override(translation.get_language() or "id"):
            return self._handle(options)

    def _handle(self, options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("File not found: %(path)s") % {"path": path})
        members: Path | None = options["members"]
        if members is not None and not members.is_file():
            raise CommandError(_("File not found: %(path)s") % {"path": members})
        if members is not None and options["source"] != ImportBatch.Source.DTSEN:
            raise CommandError(_("--members goes with a DTSEN family file (--source dtsen)."))
        show = not options["quiet_progress"]
        stream = sys.stderr
        last = {"at": 0.0}

        def progress(stage: str, fraction: float, rows: int):
            now = time.monotonic()
            if not show or (now - last["at"] < 0.5 and fraction < 1.0):
                return
            last["at"] = now
            label = _("Reading") if stage == "read" else _("Applying")
            filled = int(fraction * 30)
            stream.write(f"\r{label:<10} [{'#' * filled}{'.' * (30 - filled)}] {fraction:4.0%}  {_n(rows)}")
            stream.flush()

        result = households_import(
            path,
            ImportOptions(
                source=options["source"],
                period=options["period"],
                dry_run=options["dry_run"],
                strict=options["strict"],
                complete=options["complete"],
                allow_mass_deactivation=options["allow_mass_deactivation"],
                member_path=members,
            ),
            progress=progress,
        )
        if show:
            stream.write("\n")
        if options["errors"] and result.errors:
            errors_workbook_write(result.errors, options["errors"])
        out = self.stdout
        if result.refused:
            raise CommandError(_("File refused: %(reason)s") % {"reason": result.refused})
        rate = result.rows_read / result.duration if result.duration else 0
        out.write(_("Rows read:    %(n)s") % {"n": _n(result.rows_read)})
        out.write(_("Created:      %(n)s") % {"n": _n(result.created)})
        out.write(_("Updated:      %(n)s") % {"n": _n(result.updated)})
        out.write(_("Unchanged:    %(n)s") % {"n": _n(result.unchanged)})
        out.write(_("Deactivated:  %(n)s") % {"n": _n(result.deactivated)})
        out.write(_("Rejected:     %(n)s") % {"n": _n(result.rejected)})
        out.write(_("Without desil: %(n)s") % {"n": _n(result.unranked)})
        for kode, nama, created, updated, deactivated in result.summary:
            if result.batch.is_recipient_list:
                out.write(
                    _("  %(kecamatan)s: flag set on %(set)s, cleared on %(cleared)s")
                    % {"kecamatan": f"{kode} {nama}", "set": _n(updated), "cleared": _n(deactivated)}
                )
                continue
            out.write(
                _("  %(kecamatan)s: %(created)s new, %(updated)s updated, %(deactivated)s deactivated")
                % {
                    "kecamatan": f"{kode} {nama}",
                    "created": _n(created),
                    "updated": _n(updated),
                    "deactivated": _n(deactivated),
                }
            )
        out.write(
            _("Time:         %(seconds)s s (%(rate)s rows/s)")
            % {"seconds": f"{result.duration:.1f}", "rate": _n(int(rate))}
        )
        if result.unknown_columns:
            out.write(
                _("Unknown columns (ignored): %(columns)s") % {"columns": ", ".join(result.unknown_columns)}
            )
        for error in result.errors[:20]:
            out.write(
                _("  row %(row)s, %(column)s: %(reason)s")
                % {"row": error.row, "column": error.column, "reason": error.reason}
            )
        if len(result.errors) > 20:
            out.write(_("  … and %(count)s more rejected rows.") % {"count": _n(result.rejected - 20)})
        if options["errors"] and result.errors:
            out.write(_("Rejected rows written to %(path)s") % {"path": options["errors"]})
        if options["dry_run"]:
            out.write(
                self.style.SUCCESS(
                    _("Dry run: nothing was changed (batch %(id)s).") % {"id": result.batch.pk}
                )
            )
        else:
            out.write(self.style.SUCCESS(_("Applied as import batch %(id)s.") % {"id": result.batch.pk}))
