"""Benchmark of the household import against bare readers of the same file, and of undoing imports.

    python bench/import_households.py [--rows 1000000] [--reset]

Generates (once, cached in bench/.cache/) a DTSEN-shaped .xlsx of N synthetic households, then measures, each
step in its own process so that peak memory is its own: a bare read by python-calamine, a bare read by
openpyxl read-only (on the first --openpyxl-rows rows: it is slow), the whole import into the configured
database (DATABASE_URL), a re-import of the unchanged file, a scoped re-import of one kecamatan's file (its
households with 2 % gone and 5 % changed, as a per-kecamatan export of a newer period), then undoing the
three newest first (the last undo removes every household the first import created). Prints rows/s, ratios
and peak memory. An import or an undo is timed from the service's call to its return, as the worker that runs
it sees it; Django's start-up before it (the worker's, paid once) is printed apart. The target database must
hold no households, or pass --reset to delete the registry first.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(__file__).resolve().parent / ".cache"


def django_setup():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tslp_portal.settings")
    import django

    django.setup()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(step: str, path: str, limit: int) -> dict:
    started = time.perf_counter()
    rows = 0
    if step == "calamine":
        from python_calamine import CalamineWorkbook

        workbook = CalamineWorkbook.from_path(path)
        sheet = workbook.get_sheet_by_index(0)
        for _row in sheet.iter_rows():
            rows += 1
    elif step == "openpyxl":
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True)
        for _row in workbook.worksheets[0].iter_rows(values_only=True):
            rows += 1
            if rows >= limit:
                break
    elif step == "undo":
        django_setup()
        from poverty_data.models import ImportBatch
        from poverty_data.services import import_undo

        # Django's start-up is the worker's, paid once, not each import's: timed apart.
        setup, started = time.perf_counter() - started, time.perf_counter()
        undone = import_undo(batch=ImportBatch.objects.get(pk=limit))
        return {
            "rows": undone.restored + undone.removed + undone.deactivated,
            "seconds": time.perf_counter() - started,
            "peak_mb": peak_mb(),
            "setup": setup,
        }
    elif step in ("import", "scoped"):
        django_setup()
        from poverty_data.services import ImportOptions, households_import

        setup, started = time.perf_counter() - started, time.perf_counter()
        period = "2026-01" if step == "import" else "2026-02"
        result = households_import(Path(path), ImportOptions(source="dtsen", period=period))
        if result.refused:
            raise SystemExit(result.refused)
        rows = result.rows_read
        return {
            "rows": rows,
            "seconds": time.perf_counter() - started,
            "peak_mb": peak_mb(),
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "rejected": result.rejected,
            "deactivated": result.deactivated,
            "batch": result.batch.pk,
            "setup": setup,
        }
    return {"rows": rows, "seconds": time.perf_counter() - started, "peak_mb": peak_mb()}


def run_child(step: str, path: Path, limit: int = 0) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--child", step, "--file", str(path), "--limit", str(limit)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def generate(rows: int) -> Path:
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"dtsen-{rows}-fast.xlsx"
    if path.exists():
        return path
    django_setup()
    from demo.registry import registry_file_write

    started = time.perf_counter()
    partial = path.with_suffix(".partial.xlsx")
    registry_file_write(
        partial,
        shape="dtsen",
        count=rows,
        fast=True,
        progress=lambda n: print(f"\r  generating… {n:,}", end="", file=sys.stderr, flush=True),
    )
    partial.rename(path)
    print(f"\r  generated {rows:,} rows in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return path


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--openpyxl-rows", type=int, default=200_000)
    parser.add_argument("--reset", action="store_true", help="Delete the registry's rows before importing.")
    parser.add_argument(
        "--skip-calamine", action="store_true", help="Skip the calamine read (~1.7 GB at 1M)."
    )
    parser.add_argument("--child")
    parser.add_argument("--file")
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.file, args.limit)))
        return

    django_setup()
    from django.core.management import call_command
    from django.db import connection

    from poverty_data.models import Household, HouseholdChange, ImportBatch, Member

    call_command("migrate", verbosity=0)
    call_command("load_wilayah", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    if Household.objects.exists() and not args.reset:
        raise SystemExit("The database already holds households; use --reset to delete them first.")
    if args.reset:
        # Always, and by TRUNCATE: an undone import leaves no live household but a million dead rows (and
        # their index entries) that the next import would wade through while autovacuum lags or is off.
        if connection.vendor == "postgresql":
            # CASCADE: other benchmarks' programs may list these households.
            with connection.cursor() as cursor:
                cursor.execute(
                    "TRUNCATE poverty_data_householdchange, poverty_data_member, poverty_data_household, "
                    "poverty_data_importbatch RESTART IDENTITY CASCADE"
                )
        else:
            for model in (HouseholdChange, Member, Household, ImportBatch):
                model.objects.all()._raw_delete(model.objects.db)
            with connection.cursor() as cursor:
                cursor.execute("VACUUM")
    connection.close()

    path = generate(args.rows)
    size_mb = path.stat().st_size / 1024**2
    print(f"File: {path.name}, {args.rows:,} households, {size_mb:.0f} MB; database: {connection.vendor}")
    print(f"load average before: {load_average()}")
    figures = {}
    if not args.skip_calamine:
        figures["calamine"] = run_child("calamine", path)
    figures["openpyxl"] = run_child("openpyxl", path, args.openpyxl_rows)
    figures["import"] = run_child("import", path)
    figures["re-import"] = run_child("import", path)
    scoped = kecamatan_file_write(CACHE / f"kecamatan-{args.rows}.csv")
    figures["scoped"] = run_child("scoped", scoped)
    for name in ("scoped", "re-import", "import"):
        figures[f"undo {name}"] = run_child("undo", path, figures[name]["batch"])

    print(f"{'step':<28}{'rows':>12}{'seconds':>10}{'rows/s':>12}{'peak MB':>10}")
    for name, figure in figures.items():
        rate = figure["rows"] / figure["seconds"]
        figure["rate"] = rate
        label = {
            "calamine": "bare read, python-calamine",
            "openpyxl": "bare read, openpyxl r/o",
            "import": "import (first)",
            "re-import": "re-import (unchanged)",
            "scoped": "scoped re-import, 1 kecamatan",
            "undo scoped": "undo the scoped re-import",
            "undo re-import": "undo the re-import",
            "undo import": "undo the first import",
        }[name]
        print(
            f"{label:<28}{figure['rows']:>12,}{figure['seconds']:>10.1f}{rate:>12,.0f}{figure['peak_mb']:>10.0f}"
        )
    setups = [figure["setup"] for figure in figures.values() if "setup" in figure]
    print(
        f"Django's start-up before each import and undo (the worker's, not counted above): "
        f"{min(setups):.1f}–{max(setups):.1f} s"
    )
    print(f"load average after:  {load_average()}")
    first, again = figures["import"], figures["re-import"]
    print(
        f"import: created {first['created']:,}, rejected {first['rejected']:,}; "
        f"re-import: unchanged {again['unchanged']:,}, updated {again['updated']:,}"
    )
    if "calamine" in figures:
        base = figures["calamine"]["rate"]
        print(f"ratio import / calamine:     {first['rate'] / base:.2f} (target ≥ 0.7)")
        print(f"ratio re-import / calamine:  {again['rate'] / base:.2f} (target ≥ 1.0)")
    print(f"ratio import / openpyxl:     {first['rate'] / figures['openpyxl']['rate']:.1f}")
    print(f"re-import / import speed:    {again['rate'] / first['rate']:.2f} (target ≥ 1.0)")
    print(f"peak memory of the import:   {max(first['peak_mb'], again['peak_mb']):.0f} MB (target < 300)")
    scoped = figures["scoped"]
    print(
        f"scoped re-import: created {scoped['created']:,}, updated {scoped['updated']:,}, "
        f"deactivated {scoped['deactivated']:,} (only in its kecamatan)"
    )
    print(
        f"undo of the first import: {figures['undo import']['rows']:,} households in "
        f"{figures['undo import']['seconds']:.1f} s (target < 20)"
    )


def load_average() -> str:
    """The 1, 5 and 15 minute load averages: the machine may be shared, and the ratios move with them."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def kecamatan_file_write(path: Path) -> Path:
    """One kecamatan's households as a DTSEN-shaped CSV of a newer period: 2 % gone, 5 % with a new desil."""
    import csv

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT k.kode FROM poverty_data_household h JOIN poverty_data_desa d ON d.id = h.desa_id "
            "JOIN poverty_data_kecamatan k ON k.id = d.kecamatan_id GROUP BY k.kode ORDER BY COUNT(*) DESC LIMIT 1"
        )
        (kecamatan,) = cursor.fetchone()
        cursor.execute(
            "SELECT h.no_kk, h.nik_kepala, h.nama_kepala, h.alamat, d.kode, h.desil, h.id "
            "FROM poverty_data_household h JOIN poverty_data_desa d ON d.id = h.desa_id "
            "JOIN poverty_data_kecamatan k ON k.id = d.kecamatan_id WHERE k.kode = %s ORDER BY h.id",
            [kecamatan],
        )
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(
                ["no_kk", "nik", "nama_kepala_keluarga", "alamat", "id_wilayah", "desil_nasional"]
            )
            for no_kk, nik, nama, alamat, kode, desil, pk in cursor:
                if pk % 50 == 0:
                    continue
                if pk % 20 == 1:
                    desil = (desil or 0) % 10 + 1
                writer.writerow([no_kk, nik, nama, alamat, kode, desil if desil is not None else ""])
    connection.close()
    return path


if __name__ == "__main__":
    main()
