"""Benchmark of the dashboards over a province-size registry, served by gunicorn.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tslp_bench_dashboards python bench/dashboards.py \
        [--households 1000000] [--beneficiaries 300000] [--requests 100] [--seconds 10] [--rounds 5] \
        [--port 8201]

Uses a database of its own (``bench/matching.py`` fills it when its size differs: 1,000,000 households and
300,000 confirmed beneficiaries of 60 programs over three budget years; here each program gets the desa of one
kecamatan and a budget), then measures:

1. what keeping the figures fresh costs: rebuilding the summary tables (what an applied or undone import adds),
   and the recount of the program's desa when 5,000 beneficiaries are confirmed (what the confirmation adds),
   next to the confirmation;
2. p50/p95 of the camat dashboard, the regency dashboard, a desa page, both statistics endpoints, the public
   page, a public kecamatan page and both public statistics endpoints (anonymous), with a bare signed-in page
   (``bench/urls.py``: the session and the user loaded, the base template with an empty body) in the same
   run, one client, gunicorn with 2 workers, after a warm-up round;
3. throughput with 8 concurrent clients for ``--seconds`` each, as a ratio to the bare signed-in page. Each
   page's seconds are spread over ``--rounds`` slices, the pages taking turns, so a machine that slows down or
   speeds up during the run (a shared host does) weighs on every page alike. The bare page is measured twice,
   first and last in each turn: the second one's ratio (ideally 1.00) is how far this run's ratios can be
   trusted.

Targets: p95 < 100 ms per page and endpoint with the content cached, < 400 ms with
``TSLP_DASHBOARD_CACHE_SECONDS=0`` (what a user sees right after a data change); throughput at least 0.8 times
the bare signed-in page.
"""

import argparse
import http.client
import io
import os
import signal
import statistics
import sys
import threading
import time
from pathlib import Path

from http_bench import serve

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

KECAMATAN = "62.11.05"
TARGET_P95_MS = 100
TARGET_COLD_P95_MS = 400
TARGET_RATIO = 0.8
BARE = "bare signed-in page"
# The same page again, last in each turn: the run's own noise (its ratio would be 1.00 on a still machine).
CONTROL = "bare page, again"


# Eight clients hammering one account would be throttled (429) long before the server is saturated.
UNTHROTTLED = {"TSLP_API_THROTTLE_USER": "10000000/min", "TSLP_API_THROTTLE_ANON": "10000000/min"}


def prepare() -> None:
    """Give the benchmark's earlier programs locations and budgets (the matching fill gives neither)."""
    from django.db import connection

    from poverty_data.models import Kecamatan
    from programs.models import Program, ProgramLocation

    kecamatan = list(Kecamatan.objects.filter(kabupaten_kode="62.11").order_by("kode"))
    programs = list(Program.objects.filter(title__startswith="BENCH earlier").order_by("pk"))
    ProgramLocation.objects.filter(program__in=programs).delete()
    for index, program in enumerate(programs):
        desa = list(kecamatan[index % len(kecamatan)].desa_set.all())
        ProgramLocation.objects.bulk_create(ProgramLocation(program=program, desa=d) for d in desa)
    Program.objects.filter(pk__in=[p.pk for p in programs]).update(budget=750_000_000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _timed(function, spent: list[float]):
    """``function`` that adds the time each call takes to ``spent``."""

    def timed(**kwargs):
        started = time.perf_counter()
        try:
            return function(**kwargs)
        finally:
            spent.append(time.perf_counter() - started)

    return timed


def freshness_costs(target: int) -> None:
    """Time a full rebuild (after an import), and what confirming ``target`` beneficiaries spends on keeping
    the figures exact (the recount of the program's desa)."""
    from django.db import transaction
    from matching import approved_program

    from accounts.models import User
    from companies.models import Company
    from dashboards import receivers
    from dashboards.services.summary import figures_rebuild, figures_refresh
    from poverty_data.models import Desa
    from programs.services import matching

    rebuilds = []
    for _ in range(3):
        started = time.perf_counter()
        figures_rebuild()
        rebuilds.append(time.perf_counter() - started)
    print(
        f"summary rebuild (added to every applied or undone import): "
        f"{', '.join(f'{s:.2f}' for s in rebuilds)} s"
    )
    dinsos = User.objects.filter(role="dinsos").first()
    company = Company.objects.get(nib="9999999999999")
    desa = list(Desa.objects.filter(kecamatan__kode=KECAMATAN))
    original = receivers.figures_refresh_program
    for attempt in (1, 2, 3):
        program = approved_program(
            company=company, dinsos=dinsos, desa=desa, target=target, title="BENCH dashboards"
        )
        matching.beneficiaries_propose(program=program, actor=dinsos)
        spent: list[float] = []
        receivers.figures_refresh_program = _timed(original, spent)
        try:
            started = time.perf_counter()
            confirmed = matching.beneficiaries_confirm(program=program, actor=dinsos)
            confirm_seconds = time.perf_counter() - started
        finally:
            receivers.figures_refresh_program = original
        print(
            f"run {attempt}: confirm {confirmed:,} in {confirm_seconds:.3f} s, of which recounting the figures "
            f"of the {len(desa)} desa {sum(spent):.3f} s ({100 * sum(spent) / confirm_seconds:.0f}%)"
        )
        with transaction.atomic():
            program.delete()
            figures_refresh(desa_ids=[d.pk for d in desa])


def sessions() -> tuple[dict, str]:
    """Session cookies of a camat, a pimpinan, and the pages to measure."""
    from django.core.management import call_command
    from django.test import Client

    from accounts.models import User
    from poverty_data.models import Kecamatan

    call_command("collectstatic", "--noinput", verbosity=0, stdout=io.StringIO())
    kecamatan = Kecamatan.objects.get(kode=KECAMATAN)
    cookies = {}
    for username, role in (("bench-camat", "camat"), ("bench-pimpinan", "pimpinan")):
        user, _created = User.objects.get_or_create(
            username=username, defaults={"role": role, "kecamatan": kecamatan if role == "camat" else None}
        )
        client = Client()
        client.force_login(user)
        cookies[role] = client.cookies["sessionid"].value
    desa = kecamatan.desa_set.order_by("kode").first()
    pages = {
        # The reference: a bare signed-in page (bench/urls.py), what every signed-in page pays.
        BARE: ("camat", "/bench/signed-in/"),
        "camat dashboard": ("camat", "/dasbor/?tahun=2026"),
        "regency dashboard": ("pimpinan", "/dasbor/?tahun=2026"),
        "desa page": ("camat", f"/dasbor/desa/{desa.kode}/?tahun=2026"),
        "API kecamatan": ("pimpinan", "/api/v1/statistik/kecamatan/?tahun=2026"),
        "API desa": ("pimpinan", f"/api/v1/statistik/desa/?kecamatan={KECAMATAN}&tahun=2026"),
        # The public side (anonymous): the same figures through the suppression choke point.
        "public page": (None, "/publik/?tahun=2026"),
        "public kecamatan": (None, f"/publik/kecamatan/{KECAMATAN}/?tahun=2026"),
        "public API kec.": (None, "/api/v1/publik/statistik/kecamatan/?tahun=2026"),
        "public API desa": (None, f"/api/v1/publik/statistik/desa/?kecamatan={KECAMATAN}&tahun=2026"),
        CONTROL: ("camat", "/bench/signed-in/"),
    }
    return {name: (cookies.get(role), path) for name, (role, path) in pages.items()}, "127.0.0.1"


def request(connection: http.client.HTTPConnection, path: str, cookie: str | None) -> None:
    headers = {"Cookie": f"sessionid={cookie}"} if cookie else {}
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.read()
    if response.status != 200:
        raise SystemExit(f"{path} answered {response.status}")


def latencies(port: int, pages: dict, rounds: int) -> dict[str, list[float]]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    timings: dict[str, list[float]] = {name: [] for name in pages}
    for cookie, path in pages.values():  # warm-up
        request(connection, path, cookie)
    for _ in range(rounds):
        for name, (cookie, path) in pages.items():
            started = time.perf_counter()
            request(connection, path, cookie)
            timings[name].append((time.perf_counter() - started) * 1000)
    connection.close()
    return timings


def throughput(port: int, cookie: str | None, path: str, seconds: float, clients: int = 8) -> float:
    done = [0] * clients
    stop = time.perf_counter() + seconds

    def client(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        while time.perf_counter() < stop:
            request(connection, path, cookie)
            done[index] += 1
        connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.perf_counter() - started)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--beneficiaries", type=int, default=300_000)
    parser.add_argument(
        "--target", type=int, default=5_000, help="beneficiaries confirmed in the freshness step"
    )
    parser.add_argument(
        "--requests", type=int, default=100, help="rounds of one request per page for p50/p95"
    )
    parser.add_argument("--seconds", type=float, default=10.0, help="per page in the throughput step")
    parser.add_argument("--rounds", type=int, default=5, help="slices of each page's seconds, taken in turns")
    parser.add_argument("--port", type=int, default=8201)
    parser.add_argument(
        "--reset", action="store_true", help="regenerate the registry even if its size matches"
    )
    parser.add_argument("--skip-freshness", action="store_true", help="measure the pages only")
    args = parser.parse_args()
    from matching import django_setup, fill

    django_setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL to a database of its own.")
    call_command("migrate", verbosity=0)
    from poverty_data.models import Household
    from programs.models import Beneficiary

    if args.reset or Household.objects.count() != args.households:
        started = time.perf_counter()
        fill(args.households, args.beneficiaries)
        print(f"generated the registry in {time.perf_counter() - started:.1f} s")
    prepare()
    print(
        f"registry: {Household.objects.count():,} households, {Beneficiary.objects.count():,} beneficiaries"
    )
    if not args.skip_freshness:
        freshness_costs(args.target)
    else:
        from dashboards.services.summary import figures_rebuild

        figures_rebuild()
    cache = os.environ.get("TSLP_DASHBOARD_CACHE_SECONDS", "600")
    print(f"dashboard cache: {'off' if cache == '0' else f'{cache} s'} (TSLP_DASHBOARD_CACHE_SECONDS)")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    pages, _host = sessions()
    connection.close()
    server = serve(args.port, env={**UNTHROTTLED, "DJANGO_SETTINGS_MODULE": "bench.settings"})
    try:
        timings = latencies(args.port, pages, args.requests)
        slices: dict[str, list[float]] = {name: [] for name in pages}
        for _round in range(args.rounds):
            for name, (cookie, path) in pages.items():
                slices[name].append(throughput(args.port, cookie, path, args.seconds / args.rounds))
        rates = {name: statistics.mean(values) for name, values in slices.items()}
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    bare = rates[BARE]
    print(f"{'page':<20}{'p50 ms':>9}{'p95 ms':>9}{'req/s x8':>10}{'ratio':>8}")
    failed = []
    for name, values in timings.items():
        values.sort()
        p50 = statistics.median(values)
        p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
        rate = rates.get(name)
        ratio = rate / bare if rate else None
        print(
            f"{name:<20}{p50:>9.1f}{p95:>9.1f}{(f'{rate:.0f}' if rate else ''):>10}"
            f"{(f'{ratio:.2f}' if ratio else ''):>8}"
        )
        if name in (BARE, CONTROL):
            continue
        if p95 > (TARGET_P95_MS if cache != "0" else TARGET_COLD_P95_MS):
            failed.append(f"{name} p95")
        if cache != "0" and ratio is not None and ratio < TARGET_RATIO:
            failed.append(f"{name} throughput")
    print(f"this run's noise: the {BARE} measured again read {rates[CONTROL] / bare:.2f} of itself")
    print(
        f"targets: p95 < {TARGET_P95_MS} ms (content cached), < {TARGET_COLD_P95_MS} ms with "
        f"TSLP_DASHBOARD_CACHE_SECONDS=0; throughput ≥ {TARGET_RATIO} × the {BARE}"
    )
    if failed:
        print(f"over target: {', '.join(failed)}")


if __name__ == "__main__":
    main()
