"""Benchmark of matching: propose and confirm 5,000 beneficiaries against a province-size registry.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tslp_bench python bench/matching.py \
        [--households 1000000] [--beneficiaries 300000] [--target 5000] [--runs 5] [--reset] [--queries N]

Fills the database named by DATABASE_URL (PostgreSQL; it is migrated, and its registry is replaced when its
size differs or --reset is given — use a database of its own) with N synthetic households spread over the
regency's desa and M confirmed beneficiaries of 60 earlier programs, then times proposing ``--target``
households for a program spanning a whole kecamatan and confirming them, with the query count of each: a
warm-up run (printed, not counted: the first run of a process reads the registry into memory), then ``--runs``
runs and their medians against the target (< 0.25 s each). Each run starts from the same registry.
"""

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KECAMATAN = "62.11.05"  # Kahayan Hilir
TARGET_SECONDS = 0.25


def django_setup():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tslp_portal.settings")
    import django

    django.setup()


def fill(households: int, beneficiaries: int) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction

    from accounts.models import User
    from companies.models import Company
    from poverty_data.models import Desa, ImportBatch, Kecamatan
    from programs.models import Bidang, Program

    call_command("load_wilayah", stdout=io.StringIO())
    desa_ids = list(Desa.objects.filter(kecamatan__kabupaten_kode="62.11").values_list("pk", flat=True))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE programs_assistanceclaim, programs_beneficiary, poverty_data_householdchange, "
            "poverty_data_member, poverty_data_household RESTART IDENTITY CASCADE"
        )
        Program.objects.filter(title__startswith="BENCH").delete()
        batch = ImportBatch.objects.create(
            source="dtsen", period="2026", file_name="bench", checksum="0" * 64, state="applied"
        )
        cursor.execute("SELECT setseed(0.42)")
        # Rows arrive grouped by desa, as in a real export ordered by region code (and as the importer writes them).
        # Desil skewed like a regency (many in the lower deciles); needs correlated with desil. Each lateral
        # subquery names g: without it PostgreSQL memoises one per desil, and every household of a desil
        # would have the same needs.
        cursor.execute(
            """
            INSERT INTO poverty_data_household (
                no_kk, nik_kepala, nama_kepala, alamat, rt, rw, dusun, desa_id, desil, source, source_id,
                receives_pkh, receives_bpnt, receives_pbi_jkn, receives_rtlh, roof, wall, floor, drinking_water,
                lighting, toilet, needs_house, needs_water, needs_toilet, needs_count, has_elderly, has_disabled,
                has_toddler, has_school_age, is_active, last_batch_id, first_batch_id, created_at,
                updated_at)
            SELECT lpad((6211000000000000 + g)::text, 16, '0'), lpad((6211004000000000 + g)::text, 16, '0'),
                   'Kepala ' || g, 'Jl. Bench ' || g, '001', '002', '', (%s::bigint[])[1 + ((g - 1) * %s) / %s],
                   d.desil, 'dtsen', '', d.desil <= 3 AND random() < 0.5, d.desil <= 4 AND random() < 0.5,
                   random() < 0.4, false, '', '', '', '', '', '', n.house, n.water, n.toilet,
                   n.house::int + n.water::int + n.toilet::int, random() < 0.15, random() < 0.05,
                   random() < 0.2, random() < 0.4, true, %s, %s, now(), now()
            FROM generate_series(1, %s) g
            CROSS JOIN LATERAL (SELECT 1 + floor(10 * power(random(), 1.5))::int + 0 * g AS desil) d
            CROSS JOIN LATERAL (SELECT random() < 0.5 - d.desil * 0.04 + 0 * g AS house,
                                       random() < 0.45 - d.desil * 0.04 AS water,
                                       random() < 0.35 - d.desil * 0.03 AS toilet) n
            """,
            [desa_ids, len(desa_ids), households, batch.pk, batch.pk, households],
        )
        dinsos = User.objects.filter(role="dinsos").first() or User.objects.create(
            username="bench-dinsos", role="dinsos", is_staff=True
        )
        company = Company.objects.filter(nib="9999999999999").first() or Company.objects.create(
            name="PT Bench",
            legal_form="pt",
            nib="9999999999999",
            npwp="999999999999999",
            sector="bench",
            address="bench",
            kecamatan=Kecamatan.objects.get(kode=KECAMATAN),
            phone="0",
            email="b@example.org",
            status="verified",
        )
        per_program = max(beneficiaries // 60, 1)
        bidang = list(Bidang.values)
        for index in range(60):
            program = Program.objects.create(
                company=company,
                tahun=2025 + index % 3,
                title=f"BENCH earlier {index}",
                bentuk="pemberdayaan",
                bidang=bidang[index % len(bidang)],
                description="-",
                objective="-",
                budget=1,
                start_date=f"{2025 + index % 3}-01-01",
                end_date=f"{2025 + index % 3}-12-31",
                target_households=per_program,
                status=Program.Status.RUNNING,
                created_by=dinsos,
            )
            cursor.execute(
                """
                INSERT INTO programs_beneficiary (program_id, household_id, state, rank, override_reason,
                    removed_reason, not_delivered_reason, created_at, confirmed_at)
                SELECT %s, 1 + ((g::bigint * 7919 + %s::bigint * 104729) %% %s), 'confirmed', g, '', '', '', now(), now()
                FROM generate_series(1, %s) g
                """,
                [program.pk, index, households, per_program],
            )
            cursor.execute(
                """
                INSERT INTO programs_assistanceclaim (household_id, bidang, year, beneficiary_id)
                SELECT household_id, %s, %s, id FROM programs_beneficiary WHERE program_id = %s
                ON CONFLICT DO NOTHING
                """,
                [program.bidang, program.tahun, program.pk],
            )
    # Written behind the services' back, as an import does: the dashboards' summary follows the same signal.
    from poverty_data.signals import registry_changed

    registry_changed.send(sender=None, batch_id=None)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def approved_program(*, company, dinsos, desa, target: int, title: str):
    """An approved 2027 program over ``desa`` aiming at ``target`` households, ready to be matched."""
    from programs.models import Program, ProgramLocation

    program = Program.objects.create(
        company=company,
        tahun=2027,
        title=title,
        bentuk="pemberdayaan",
        bidang="pendidikan",
        description="-",
        objective="-",
        budget=1,
        start_date="2027-01-01",
        end_date="2027-12-31",
        target_households=target,
        max_desil=4,
        status=Program.Status.APPROVED,
        created_by=dinsos,
    )
    ProgramLocation.objects.bulk_create(ProgramLocation(program=program, desa=d) for d in desa)
    return program


def measure(target: int, show_queries: int = 0, runs: int = 5) -> None:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from companies.models import Company
    from dashboards.services.summary import figures_refresh
    from poverty_data.models import Desa, Household
    from programs.models import Beneficiary
    from programs.services import matching

    dinsos = User.objects.filter(role="dinsos").first()
    company = Company.objects.get(nib="9999999999999")
    desa = list(Desa.objects.filter(kecamatan__kode=KECAMATAN))
    in_kecamatan = Household.objects.filter(desa__in=desa).count()
    print(
        f"registry: {Household.objects.count():,} households, {Beneficiary.objects.count():,} beneficiaries"
    )
    print(
        f"program: {len(desa)} desa of kecamatan {KECAMATAN} ({in_kecamatan:,} households), desil <= 4, "
        f"target {target:,}"
    )
    timed: dict[str, list[float]] = {"propose": [], "confirm": []}
    for attempt in range(runs + 1):
        program = approved_program(
            company=company, dinsos=dinsos, desa=desa, target=target, title="BENCH matching"
        )
        # Each service commits on its own, so deferred constraint checks are part of the time.
        with CaptureQueriesContext(connection) as propose_queries:
            started = time.perf_counter()
            result = matching.beneficiaries_propose(program=program, actor=dinsos)
            propose_seconds = time.perf_counter() - started
        with CaptureQueriesContext(connection) as confirm_queries:
            started = time.perf_counter()
            confirmed = matching.beneficiaries_confirm(program=program, actor=dinsos)
            confirm_seconds = time.perf_counter() - started
        if attempt:
            timed["propose"].append(propose_seconds)
            timed["confirm"].append(confirm_seconds)
        label = f"run {attempt}" if attempt else "warm-up"
        print(
            f"{label}: propose {result.proposed:,} of {result.eligible:,} eligible in "
            f"{propose_seconds:.3f} s ({len(propose_queries)} queries); confirm {confirmed:,} in "
            f"{confirm_seconds:.3f} s ({len(confirm_queries)} queries)"
        )
        if show_queries:
            for step, captured in (("propose", propose_queries), ("confirm", confirm_queries)):
                slowest = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:show_queries]
                for query in slowest:
                    print(f"    {step} {float(query['time']):.3f} s  {' '.join(query['sql'].split())[:110]}")
        # Leave the registry as it was for the next run.
        with transaction.atomic():
            program.delete()
            figures_refresh(desa_ids=[d.pk for d in desa])
    print(
        "median of the runs: "
        + ", ".join(
            f"{step} {statistics.median(seconds):.3f} s ({min(seconds):.3f}–{max(seconds):.3f})"
            for step, seconds in timed.items()
            if seconds
        )
        + f"; target < {TARGET_SECONDS} s each"
    )


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--beneficiaries", type=int, default=300_000)
    parser.add_argument("--target", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=5, help="timed runs after the warm-up")
    parser.add_argument(
        "--reset", action="store_true", help="regenerate the registry even if its size matches"
    )
    parser.add_argument(
        "--queries", type=int, default=0, metavar="N", help="print the N slowest statements of each step"
    )
    args = parser.parse_args()
    django_setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL to a database of its own.")
    call_command("migrate", verbosity=0)
    from poverty_data.models import Household

    if args.reset or Household.objects.count() != args.households:
        started = time.perf_counter()
        fill(args.households, args.beneficiaries)
        print(f"generated the registry in {time.perf_counter() - started:.1f} s")
    measure(args.target, args.queries, args.runs)


if __name__ == "__main__":
    main()
