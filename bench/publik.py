"""Benchmark of the public page, its downloads and the public API, served by gunicorn to one client.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tslp_bench_publik python bench/publik.py \
        [--households 40000] [--requests 30] [--port 8301]

Fills an empty database with ``seed_demo --households N`` (the demo story: companies, programs from draft to
completed, beneficiaries, realisation), collects static files, starts gunicorn (2 workers, DEBUG off) on
``--port`` and requests each public URL ``--requests`` times in turn, anonymous, after one warm-up round.
Prints p50/p95 per URL, ``/healthz`` included.
"""

import argparse
import io
import signal
import sys
import time
from pathlib import Path

from http_bench import report, serve, time_pages
from matching import django_setup

ROOT = Path(__file__).resolve().parent.parent
TARGETS_MS = {
    "public page": 300,
    "public kecamatan page": 300,
    "kecamatan table, Excel": 300,
    "API publik/statistik/kecamatan": 200,
    "API publik/statistik/desa": 200,
    "3W CSV with HXL": 500,
    "IATI XML": 500,
    "360Giving JSON": 500,
}


def prepare(households: int) -> dict[str, str]:
    from django.core.management import call_command
    from django.db import connection

    from poverty_data.models import Household
    from programs.models import Program

    call_command("migrate", verbosity=0)
    if not Household.objects.exists():
        started = time.perf_counter()
        call_command("seed_demo", households=households, stdout=io.StringIO())
        print(f"seeded the demo in {time.perf_counter() - started:.1f} s")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    call_command("collectstatic", "--noinput", verbosity=0, stdout=io.StringIO())
    tahun = Program.objects.public().order_by("-tahun").values_list("tahun", flat=True).first()
    print(
        f"registry: {Household.objects.count():,} households; public programs: {Program.objects.public().count()}"
    )
    return {
        "/healthz": "/healthz",
        "public page": f"/publik/?tahun={tahun}",
        "public kecamatan page": f"/publik/kecamatan/62.11.05/?tahun={tahun}",
        "kecamatan table, Excel": f"/publik/unduh/kecamatan.xlsx?tahun={tahun}",
        "API publik/statistik/kecamatan": f"/api/v1/publik/statistik/kecamatan/?tahun={tahun}",
        "API publik/statistik/desa": f"/api/v1/publik/statistik/desa/?kecamatan=62.11.05&tahun={tahun}",
        "3W CSV with HXL": "/publik/data/tslp-3w-hxl.csv",
        "IATI XML": "/publik/data/tslp-iati-activities.xml",
        "360Giving JSON": "/publik/data/tslp-360giving.json",
    }


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--households", type=int, default=40_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--port", type=int, default=8301)
    args = parser.parse_args()
    django_setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL to a database of its own.")
    pages = prepare(args.households)
    connection.close()
    server = serve(
        args.port, env={"TSLP_API_THROTTLE_ANON": "100000/min"}
    )  # one client asks hundreds of times
    try:
        timings = time_pages(args.port, pages, args.requests)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    report(timings, TARGETS_MS, label="url")


if __name__ == "__main__":
    main()
