"""Benchmark of the register of obligated companies: import, a day's reminders, coverage and public list.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tslp_bench_coverage python bench/coverage.py \
        [--companies 5000] [--years 5] [--requests 20] [--port 8401]

On a PostgreSQL database of its own (its register, companies and programs are replaced): writes a register
workbook of ``--companies`` rows and times its check and apply (and a second, unchanged import); registers
three companies in five on the portal with a program per budget year for ``--years`` years (most with a
final realisation report); times computing the reminders of a day when every step falls due; then serves
the portal with gunicorn (2 workers, DEBUG off) and times the Dinsos coverage page and the public list and
API, ``--requests`` times each after a warm-up round. Prints the figures against their targets.
"""

import argparse
import datetime
import io
import signal
import sys
import tempfile
import time
from pathlib import Path

from http_bench import report, serve, time_pages
from matching import django_setup

TARGETS_MS = {
    "coverage page (Dinsos)": 200,
    "public list /publik/perusahaan/": 200,
    "public list, sorted by realisation": 200,
    "API publik/perusahaan": 200,
}
NIB_BASE = 7_300_000_000_000
TAHUN_LAST = 2026


def timed(label: str, target_s: float, function):
    started = time.perf_counter()
    result = function()
    elapsed = time.perf_counter() - started
    print(f"{label:<48}{elapsed:>8.2f} s   target < {target_s} s{'' if elapsed < target_s else '   OVER'}")
    return result


def register_file(path: Path, companies: int) -> None:
    from openpyxl import Workbook

    from poverty_data.models import Kecamatan

    names = list(Kecamatan.objects.values_list("nama", flat=True))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Daftar")
    sheet.append(["DAFTAR PELAKU USAHA KABUPATEN PULANG PISAU"])
    sheet.append(["NO", "NIB", "NAMA PELAKU USAHA", "KBLI", "ALAMAT USAHA", "KECAMATAN", "EMAIL", "TELEPON"])
    for index in range(companies):
        sheet.append(
            [
                index + 1,
                str(NIB_BASE + index),
                f"PT Bench Usaha {index}",
                f"{1262 + index % 40:05d}",
                f"Jl. Bench {index}",
                names[index % len(names)],
                f"csr{index}@bench.example",
                "0812345678",
            ]
        )
    workbook.save(path)


def reset() -> None:
    from companies.models import Company
    from cycle.models import CycleYear, ObligatedCompany, RegisterImport
    from programs.models import Program

    Program.objects.filter(company__nib__startswith="73").delete()
    ObligatedCompany.objects.filter(nib__startswith="73").delete()
    RegisterImport.objects.all().delete()
    Company.objects.filter(nib__startswith="73").delete()
    CycleYear.objects.all().delete()


def fill_ledger(years: int) -> None:
    """Companies for three entries in five, a program per year each, final reports for most."""
    from django.db import connection
    from django.utils import timezone

    from companies.models import Company
    from cycle.models import CycleYear, ObligatedCompany
    from programs.models import Program, RealisationReport

    entries = list(ObligatedCompany.objects.filter(nib__startswith="73").order_by("nib"))
    registered = [entry for index, entry in enumerate(entries) if index % 5 < 3]
    companies = Company.objects.bulk_create(
        Company(
            name=entry.name,
            legal_form="pt",
            nib=entry.nib,
            npwp=f"{entry.nib}00",
            sector=entry.sector,
            address=entry.address,
            kecamatan_id=entry.kecamatan_id,
            phone="0812345678",
            email=entry.email,
            status=Company.Status.VERIFIED,
        )
        for entry in registered
    )
    by_nib = {company.nib: company.pk for company in companies}
    for entry in registered:
        entry.company_id = by_nib[entry.nib]
        entry.status = ObligatedCompany.Status.VERIFIED
    ObligatedCompany.objects.bulk_update(registered, ["company", "status"], batch_size=1000)
    first = TAHUN_LAST - years + 1
    for tahun in range(first, TAHUN_LAST + 2):
        CycleYear.objects.create(
            tahun=tahun,
            plan_deadline=datetime.date(tahun, 1, 31),
            realisation_deadline=datetime.date(tahun + 1, 1, 31),
        )
    programs = []
    for tahun in range(first, TAHUN_LAST + 1):
        for index, company in enumerate(companies):
            if (index + tahun) % 7 == 0:
                continue  # some companies skip a year
            programs.append(
                Program(
                    company=company,
                    tahun=tahun,
                    title=f"Bench {tahun} {index}",
                    bentuk="pemberdayaan",
                    bidang="pendidikan",
                    description="-",
                    objective="-",
                    budget=100_000_000 + index,
                    start_date=datetime.date(tahun, 3, 1),
                    end_date=datetime.date(tahun, 11, 30),
                    status=Program.Status.COMPLETED if tahun < TAHUN_LAST else Program.Status.RUNNING,
                    submitted_at=timezone.make_aware(datetime.datetime(tahun, 1 + index % 3, 10)),
                )
            )
    programs = Program.objects.bulk_create(programs, batch_size=2000)
    RealisationReport.objects.bulk_create(
        (
            RealisationReport(
                program=program,
                period=str(program.tahun),
                is_final=True,
                amount_spent=program.budget - 1,
                description="-",
                state=RealisationReport.State.VERIFIED if index % 2 else RealisationReport.State.SUBMITTED,
            )
            for index, program in enumerate(programs)
            if program.tahun < TAHUN_LAST and index % 6
        ),
        batch_size=2000,
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(
        f"ledger: {len(companies):,} companies on the portal, {len(programs):,} programs over {years} years"
    )


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--companies", type=int, default=5000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--port", type=int, default=8401)
    args = parser.parse_args()
    django_setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from accounts.models import User
    from cycle.models import ObligatedCompany
    from cycle.services.register import register_import_apply, register_import_check
    from cycle.services.reminders import reminders_due

    if connection.vendor != "postgresql":
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL to a database of its own.")
    call_command("migrate", verbosity=0)
    call_command("load_wilayah", stdout=io.StringIO())
    call_command("collectstatic", "--noinput", verbosity=0, stdout=io.StringIO())
    reset()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "daftar.xlsx"
        register_file(path, args.companies)

        def run_import():
            record = register_import_check(path=path, file_name=path.name, source="oss", user=None)
            return register_import_apply(record=record, user=None)

        record = timed(f"import the {args.companies:,}-row register", 5, run_import)
        assert record.created == args.companies, record.created
        again = timed("import it again (nothing changes)", 5, run_import)
        assert again.unchanged == args.companies, again.unchanged
    fill_ledger(args.years)
    ObligatedCompany.objects.filter(status=ObligatedCompany.Status.UNINVITED).update(
        status=ObligatedCompany.Status.INVITED
    )
    # The day the realisation report of the last year is a week late: every unmet step falls due.
    due = timed(
        "compute a day's reminders", 2, lambda: reminders_due(today=datetime.date(TAHUN_LAST + 1, 2, 7))
    )
    print(f"  reminders due that day: {len(due):,}")
    dinsos, _created = User.objects.get_or_create(
        username="bench-coverage", defaults={"role": "dinsos", "is_staff": True}
    )
    client = Client()
    client.force_login(dinsos)
    cookie = client.cookies["sessionid"].value
    connection.close()
    pages = {
        "coverage page (Dinsos)": f"/siklus/cakupan/?tahun={TAHUN_LAST - 1}",
        "public list /publik/perusahaan/": f"/publik/perusahaan/?tahun={TAHUN_LAST - 1}",
        "public list, sorted by realisation": f"/publik/perusahaan/?tahun={TAHUN_LAST - 1}&urut=realisasi",
        "API publik/perusahaan": f"/api/v1/publik/perusahaan/?tahun={TAHUN_LAST - 1}",
    }
    server = serve(args.port, env={"TSLP_API_THROTTLE_ANON": "100000/min"})
    try:
        timings = time_pages(args.port, pages, args.requests, cookie)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    report(timings, TARGETS_MS, label="url")


if __name__ == "__main__":
    main()
