"""Benchmark of the pages that read the registry, served by gunicorn to one client.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tslp_bench_matching python bench/pages.py \
        [--households 1000000] [--beneficiaries 300000] [--requests 30] [--port 8101]

Uses the matching benchmark's database (``bench/matching.py`` fills it when its size differs: 1,000,000
households and 300,000 beneficiaries by default), adds a submitted program (the review screen), an approved
one without proposals and one with ``--proposed`` proposed households (the matching page), collects static
files, starts gunicorn (2 workers, DEBUG off) on ``--port`` and requests each page ``--requests`` times in
turn as Dinsos, one client, after one warm-up round. Prints p50/p95 per page, ``/healthz`` included.
"""

import argparse
import io
import signal
import sys
import time
from pathlib import Path

from http_bench import report, serve, time_pages

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

TARGETS_MS = {
    "admin search by NIK": 50,
    "admin search by No. KK": 50,
    "admin search by name": 300,
    "household changelist": 200,
    "review screen": 200,
    "matching page, empty": 200,
    "matching page, proposed": 200,
}


def prepare(proposed: int) -> dict:
    """The programs and the Dinsos session the pages need; returns the URLs to measure and the cookie."""
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from accounts.models import User
    from companies.models import Company
    from poverty_data.models import Desa, Household
    from programs.models import Program, ProgramLocation
    from programs.services import matching

    call_command("collectstatic", "--noinput", verbosity=0, stdout=io.StringIO())
    dinsos, _created = User.objects.get_or_create(
        username="bench-pages", defaults={"role": "dinsos", "is_staff": True}
    )
    dinsos.role, dinsos.is_staff, dinsos.is_active = "dinsos", True, True
    dinsos.save()
    company = Company.objects.get(nib="9999999999999")
    Program.objects.filter(title__startswith="BENCH pages").delete()
    desa = list(Desa.objects.filter(kecamatan__kode="62.11.05"))

    def program(title: str, status: str) -> Program:
        created = Program.objects.create(
            company=company,
            tahun=2027,
            title=f"BENCH pages {title}",
            bentuk="pemberdayaan",
            bidang="pendidikan",
            description="-",
            objective="-",
            budget=500_000_000,
            start_date="2027-01-01",
            end_date="2027-12-31",
            target_households=proposed,
            max_desil=4,
            status=status,
            created_by=dinsos,
        )
        ProgramLocation.objects.bulk_create(ProgramLocation(program=created, desa=d) for d in desa)
        return created

    review = program("review", Program.Status.SUBMITTED)
    empty = program("empty", Program.Status.APPROVED)
    full = program("proposed", Program.Status.APPROVED)
    result = matching.beneficiaries_propose(program=full, actor=dinsos)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    sample = Household.objects.order_by("pk")[Household.objects.count() // 2]
    client = Client()
    client.force_login(dinsos)
    print(
        f"registry: {Household.objects.count():,} households; proposed {result.proposed:,} for the matching page"
    )
    return {
        "cookie": client.cookies["sessionid"].value,
        "pages": {
            "/healthz": "/healthz",
            "admin search by NIK": f"/admin/poverty_data/household/?q={sample.nik_kepala}",
            "admin search by No. KK": f"/admin/poverty_data/household/?q={sample.no_kk}",
            "admin search by name": f"/admin/poverty_data/household/?q={sample.nama_kepala.replace(' ', '+')}",
            "household changelist": "/admin/poverty_data/household/",
            "review screen": f"/admin/programs/program/{review.pk}/review/",
            "matching page, empty": f"/program/{empty.pk}/pencocokan/",
            "matching page, proposed": f"/program/{full.pk}/pencocokan/",
        },
    }


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--beneficiaries", type=int, default=300_000)
    parser.add_argument("--proposed", type=int, default=5_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--port", type=int, default=8101)
    args = parser.parse_args()
    from matching import django_setup, fill

    django_setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL to the matching benchmark's database.")
    call_command("migrate", verbosity=0)
    from poverty_data.models import Household

    if Household.objects.count() != args.households:
        started = time.perf_counter()
        fill(args.households, args.beneficiaries)
        print(f"generated the registry in {time.perf_counter() - started:.1f} s")
    setup = prepare(args.proposed)
    connection.close()
    server = serve(args.port)
    try:
        timings = time_pages(args.port, setup["pages"], args.requests, setup["cookie"])
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    report(timings, TARGETS_MS)


if __name__ == "__main__":
    main()
