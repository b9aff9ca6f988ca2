from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from poverty_data.services import WilayahError, wilayah_load


class Command(BaseCommand):
    help = "Load the kecamatan and desa/kelurahan of a kabupaten (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--kabupaten",
            default=settings.TSLP_KABUPATEN_KODE,
            help="Kemendagri code of the kabupaten/kota, e.g. 62.11 (default: TSLP_KABUPATEN_KODE).",
        )

    def handle(self, *args, **options):
        try:
            result = wilayah_load(kabupaten_kode=options["kabupaten"])
        except WilayahError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.kabupaten_nama}: kecamatan {result.kecamatan_created} new, "
                f"{result.kecamatan_updated} already there; desa/kelurahan {result.desa_created} new, "
                f"{result.desa_updated} already there; {result.shapes} boundary shapes."
            )
        )
