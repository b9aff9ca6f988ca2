"""Benchmark of the household import against bare readers of the same file.

    python bench/import_households.py [--rows 1000000] [--reset]

Generates (once, cached in bench/.cache/) a DTSEN-shaped .xlsx of N synthetic households, then measures, each
step in its own process so that peak memory is its own: a bare read by python-calamine, a bare read by
openpyxl read-only (on the first --openpyxl-rows rows: it is slow), the whole import into the configured
database (DATABASE_URL), and a re-import of the unchanged file. Prints rows/s, ratios and peak memory.
The target database must hold no households, or pass --reset to delete the registry's rows first.
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
    elif step == "import":
        django_setup()
        from poverty_data.services import households_import

        result = households_import(path=Path(path), source="dtsen", period="2026-01")
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
    from poverty_data.synthetic import registry_file_write

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
    if Household.objects.exists():
        if not args.reset:
            raise SystemExit("The database already holds households; use --reset to delete them first.")
        for model in (HouseholdChange, Member, Household, ImportBatch):
            model.objects.all()._raw_delete(model.objects.db)
    connection.close()

    path = generate(args.rows)
    size_mb = path.stat().st_size / 1024**2
    print(f"File: {path.name}, {args.rows:,} households, {size_mb:.0f} MB; database: {connection.vendor}")
    figures = {}
    if not args.skip_calamine:
        figures["calamine"] = run_child("calamine", path)
    figures["openpyxl"] = run_child("openpyxl", path, args.openpyxl_rows)
    figures["import"] = run_child("import", path)
    figures["re-import"] = run_child("import", path)

    print(f"{'step':<28}{'rows':>12}{'seconds':>10}{'rows/s':>12}{'peak MB':>10}")
    for name, figure in figures.items():
        rate = figure["rows"] / figure["seconds"]
        figure["rate"] = rate
        label = {
            "calamine": "bare read, python-calamine",
            "openpyxl": "bare read, openpyxl r/o",
            "import": "import (first)",
            "re-import": "re-import (unchanged)",
        }[name]
        print(
            f"{label:<28}{figure['rows']:>12,}{figure['seconds']:>10.1f}{rate:>12,.0f}{figure['peak_mb']:>10.0f}"
        )
    first, again = figures["import"], figures["re-import"]
    print(
        f"import: created {first['created']:,}, rejected {first['rejected']:,}; "
        f"re-import: unchanged {again['unchanged']:,}, updated {again['updated']:,}"
    )
    if "calamine" in figures:
        base = figures["calamine"]["rate"]
        print(f"ratio import / calamine:     {first['rate'] / base:.2f} (target ≥ 0.35)")
        print(f"ratio re-import / calamine:  {again['rate'] / base:.2f}")
    print(f"ratio import / openpyxl:     {first['rate'] / figures['openpyxl']['rate']:.1f}")
    print(f"re-import / import speed:    {again['rate'] / first['rate']:.2f} (target ≥ 1.0)")
    print(f"peak memory of the import:   {max(first['peak_mb'], again['peak_mb']):.0f} MB (target < 600)")


if __name__ == "__main__":
    main()
