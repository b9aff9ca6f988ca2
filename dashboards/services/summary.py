"""What writes the summary tables behind the figures (a cache of the ledger, never edited by hand).

``figures_rebuild`` recounts everything (at migrate time when they were never built, after an import is
applied or undone). ``figures_refresh_program``, called on every change of who receives what, recounts what
the ledger decides in the desa where the program has households (bounded by the size of those desa, not by
the ledger's), their reach only in the program's budget year, and the reach per program only of that program
(bounded by its size); ``figures_refresh`` does the same for some desa and every program in them. Both keep
the households' own counts (see ``_recount``). Everything runs inside the caller's transaction, so the
figures are exact the moment the change commits; the counting is SQL, defined once (``_selects``,
``_recount``, ``_recount_program_reach``, ``_program_reach``) for the rebuild and the refresh.
"""

import json
from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone

from dashboards.fields import NEEDS
from dashboards.models import (
    DesaDesilCount,
    DesaFirstAssistCount,
    DesaReachCount,
    FiguresState,
    ProgramDesaReach,
)
from poverty_data.models import Desa, Household
from programs.models import Beneficiary, Program

# The states in which a household receives from a program, as an SQL list (the counting statements' filter).
_RECEIVING_SQL = ", ".join(f"'{state}'" for state in Beneficiary.RECEIVING)
# A program's listed households (``b``) with their household (``h``), and when the program reaches one: it
# receives and is still in the registry (one parameter, True).
_LISTED = f"{Beneficiary._meta.db_table} b JOIN {Household._meta.db_table} h ON h.id = b.household_id"
_REACHED = f"b.state IN ({_RECEIVING_SQL}) AND h.is_active = %s"


def _in(column: str, ids: list[int]) -> tuple[str, list]:
    """``column`` among ``ids``: one array parameter on PostgreSQL (any length, planned as a list)."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [ids]
    return f"{column} IN (SELECT value FROM json_each(%s))", [json.dumps(ids)]


def _selects(*, desa_ids: list[int] | None = None, years: list[int] | None = None):
    """The two SELECTs (with parameters) that count the summary rows, of every household or of some desa
    (and, for the reach, some years). Rows of the first: (desa, desil, keluarga, *NEEDS) of the active
    households. Rows of the second, tagged by their first column: 0, (desa, desil, tahun first assisted,
    keluarga, sekali, *NULLs) of those ever assisted (``sekali``: by one program only); 1, (desa, desil, tahun,
    terjangkau, NULL, *NEEDS) of those reached per year. Both counts of the second come from one reading of
    the receiving rows."""
    household = Household._meta.db_table
    beneficiary = Beneficiary._meta.db_table
    program = Program._meta.db_table
    counted = ", ".join(f"'{status}'" for status in Program.COUNTED_STATUSES)
    where, params, in_years, year_params = "", [], "", []
    if desa_ids is not None:
        clause, params = _in("h.desa_id", desa_ids)
        where = f" AND {clause}"
    if years is not None:
        clause, year_params = _in("p.tahun", years)
        in_years = f" AND {clause}"
    need_sums = "".join(f", SUM(CASE WHEN h.{need} THEN 1 ELSE 0 END)" for need in NEEDS)
    households = (
        f"SELECT h.desa_id, COALESCE(h.desil, 0), COUNT(*){need_sums} FROM {household} h "
        f"WHERE h.is_active = %s{where} GROUP BY h.desa_id, COALESCE(h.desil, 0)"
    )
    # Every receiving row (a confirmed or delivered one, on a program not cancelled) of an active household,
    # with what both counts need. One row per program and household, by constraint.
    need_columns = "".join(f", h.{need}" for need in NEEDS)
    receiving = (
        f"SELECT b.household_id, h.desa_id, COALESCE(h.desil, 0) AS desil{need_columns}, p.tahun, "
        f"CASE WHEN p.status IN ({counted}){in_years} THEN 1 ELSE 0 END AS reached "
        f"FROM {beneficiary} b JOIN {program} p ON p.id = b.program_id "
        f"JOIN {household} h ON h.id = b.household_id "
        f"WHERE b.state IN ({_RECEIVING_SQL}) AND p.status <> '{Program.Status.CANCELLED}' "
        f"AND h.is_active = %s{where}"
    )
    # Per household ever assisted: by how many programs, and its first budget year; then counted per desa,
    # desil and that year. Each household once per year it was reached (it may be on several programs of
    # one year), counted per desa, year and desil.
    nulls = ", NULL" * len(NEEDS)
    assisted = (
        f"WITH r AS MATERIALIZED ({receiving}), "
        f"a AS (SELECT desa_id, desil, COUNT(*) AS n, MIN(tahun) AS first_tahun FROM r "
        f"GROUP BY household_id, desa_id, desil), "
        f"h AS (SELECT DISTINCT household_id, desa_id, tahun, desil{need_columns.replace('h.', '')} FROM r "
        f"WHERE reached = 1) "
        f"SELECT 0, desa_id, desil, first_tahun, COUNT(*), SUM(CASE WHEN n = 1 THEN 1 ELSE 0 END){nulls} "
        f"FROM a GROUP BY desa_id, desil, first_tahun "
        f"UNION ALL SELECT 1, h.desa_id, h.desil, h.tahun, COUNT(*), NULL{need_sums} "
        f"FROM h GROUP BY h.desa_id, h.tahun, h.desil"
    )
    return (households, [True, *params]), (assisted, [*year_params, True, *params])


def _recount(desa_ids: list[int] | None, years: list[int] | None = None) -> None:
    """Replace the summary rows of every desa (``desa_ids`` None) or of some, the reach only of ``years``
    when given: at most a row per desa, desil and year.

    Some desa are recounted after a change of who receives what, which leaves every household as it was: their
    own counts (households and needs per desa and desil) are kept from the summary and only what the ledger
    decides is counted again. Households change only through an import or its undo, which recount everything.
    """
    (households, household_params), (assisted, assisted_params) = _selects(desa_ids=desa_ids, years=years)
    with connection.cursor() as cursor:
        if desa_ids is None:
            cursor.execute(households, household_params)
            cells = {(row[0], row[1]): row[2:] for row in cursor.fetchall()}
        else:
            kept = DesaDesilCount.objects.filter(desa_id__in=desa_ids).values_list(
                "desa_id", "desil", "keluarga", *NEEDS
            )
            cells = {(row[0], row[1]): row[2:] for row in kept}
        cursor.execute(assisted, assisted_params)
        rows = cursor.fetchall()
    first_rows = [row[1:6] for row in rows if row[0] == 0]
    reach_rows = [row[1:5] + row[6:] for row in rows if row[0] == 1]
    assisted_in: dict[tuple[int, int], list[int]] = {}
    for desa_id, desil, _tahun, keluarga, sekali in first_rows:
        cell = assisted_in.setdefault((desa_id, desil), [0, 0])
        cell[0] += keluarga
        cell[1] += sekali
    scope = {} if desa_ids is None else {"desa_id__in": desa_ids}
    desil_rows = []
    for (desa_id, desil), (keluarga, *needs) in cells.items():
        assisted, sekali = assisted_in.get((desa_id, desil), (0, 0))
        desil_rows.append((desa_id, desil, keluarga, keluarga - assisted, sekali, *needs))
    DesaDesilCount.objects.filter(**scope).delete()
    _insert(DesaDesilCount, ["desa_id", "desil", "keluarga", "belum_pernah", "sekali", *NEEDS], desil_rows)
    DesaFirstAssistCount.objects.filter(**scope).delete()
    _insert(DesaFirstAssistCount, ["desa_id", "desil", "tahun", "keluarga"], [row[:4] for row in first_rows])
    stale = DesaReachCount.objects.filter(**scope)
    (stale if years is None else stale.filter(tahun__in=years)).delete()
    _insert(DesaReachCount, ["desa_id", "desil", "tahun", "terjangkau", *NEEDS], reach_rows)


def _insert(model, columns: list[str], rows: list[tuple]) -> None:
    """Insert counted rows (tuples in the order of ``columns``) into a summary table as they are, in
    statements of as many rows as the database takes parameters for. No model instance per row: building
    them was a tenth of a recount's time (the 500 rows of a 10-desa confirmation, the 15,000 of a rebuild)."""
    if not rows:
        return
    fields = [model._meta.get_field(column.removesuffix("_id")) for column in columns]
    size = min(2000, connection.ops.bulk_batch_size(fields, rows))
    head = f"INSERT INTO {model._meta.db_table} ({', '.join(field.column for field in fields)}) VALUES "
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            batch = rows[start : start + size]
            cursor.execute(head + ", ".join([one] * len(batch)), [value for row in batch for value in row])


def _recount_program_reach(*, desa_ids: list[int] | None = None) -> None:
    """Replace the reach per program and desa: every row, or those of some desa."""
    stale, where, params = ProgramDesaReach.objects.all(), "", []
    if desa_ids is not None:
        stale = stale.filter(desa_id__in=desa_ids)
        clause, params = _in("h.desa_id", desa_ids)
        where = f" AND {clause}"
    stale.delete()
    with connection.cursor() as cursor:
        # One row per (program, household) by constraint: a plain count is the distinct count.
        cursor.execute(
            f"INSERT INTO {ProgramDesaReach._meta.db_table} (program_id, desa_id, terjangkau) "
            f"SELECT b.program_id, h.desa_id, COUNT(*) FROM {_LISTED} WHERE {_REACHED}{where} "
            f"GROUP BY b.program_id, h.desa_id",
            [True, *params],
        )


def _program_reach(program_id: int) -> dict[int, int]:
    """Each desa where the program has a household on its list, in any state: how many it reaches there."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT h.desa_id, SUM(CASE WHEN {_REACHED} THEN 1 ELSE 0 END) FROM {_LISTED} "
            f"WHERE b.program_id = %s GROUP BY h.desa_id",
            [True, program_id],
        )
        return dict(cursor.fetchall())


def _touch(*, built: bool = False) -> None:
    """Record when the ledger changed. A rebuild writes at once; other changes after they commit, so that two
    concurrent confirmations never wait on this one row while holding their own locks."""
    if built:
        now = timezone.now()
        FiguresState.objects.update_or_create(pk=1, defaults={"changed_at": now, "built_at": now})
        return

    def touch():
        now = timezone.now()
        if not FiguresState.objects.filter(pk=1).update(changed_at=now):
            FiguresState.objects.get_or_create(pk=1, defaults={"changed_at": now})

    transaction.on_commit(touch)


def _lock(desa_ids: Iterable[int]) -> None:
    """Lock desa rows, in order: two writers of one desa's summary rows wait for each other."""
    if connection.features.has_select_for_update:
        list(
            Desa.objects.select_for_update(no_key=True)
            .filter(pk__in=sorted(desa_ids))
            .order_by("pk")
            .values_list("pk", flat=True)
        )


@transaction.atomic
def figures_rebuild() -> None:
    """Recount every summary row from the ledger."""
    # Refreshes lock the desa they recount; taking them all keeps a rebuild from interleaving with one.
    if connection.features.has_select_for_update:
        list(Desa.objects.select_for_update(no_key=True).order_by("pk").values_list("pk", flat=True))
    _recount(None)
    _recount_program_reach()
    _touch(built=True)


def figures_build_if_missing() -> bool:
    """Build the summary tables of a database where they were never built (run after ``migrate``); True
    when it built them."""
    if FiguresState.objects.filter(built_at__isnull=False).exists():
        return False
    figures_rebuild()
    return True


def _recount_desa(desa_ids: list[int], years: list[int] | None) -> None:
    # Two refreshes of one desa must not both delete then insert: the second waits for the first.
    _lock(desa_ids)
    for chunk_start in range(0, len(desa_ids), 500):
        _recount(desa_ids[chunk_start : chunk_start + 500], years)


@transaction.atomic
def figures_refresh(*, desa_ids: Iterable[int]) -> None:
    """Recount what the ledger decides in some desa, after a change of who receives what there (the
    households' own counts stay, see ``_recount``), and every program's reach in them."""
    desa_ids = sorted({int(pk) for pk in desa_ids if pk is not None})
    if desa_ids:
        _recount_desa(desa_ids, None)
        for chunk_start in range(0, len(desa_ids), 500):
            _recount_program_reach(desa_ids=desa_ids[chunk_start : chunk_start + 500])
    _touch()


@transaction.atomic
def figures_refresh_program(*, program_id: int) -> None:
    """Recount the desa where a program has households on its list, after its list or status changed: the
    reach only in its budget year (no other year's changed), and the reach per program only of this one."""
    reach = _program_reach(program_id)
    if reach:
        years = list(Program.objects.filter(pk=program_id).values_list("tahun", flat=True))
        _recount_desa(sorted(reach), years)
    ProgramDesaReach.objects.filter(program_id=program_id).delete()
    _insert(
        ProgramDesaReach,
        ["program_id", "desa_id", "terjangkau"],
        [(program_id, desa_id, terjangkau) for desa_id, terjangkau in reach.items() if terjangkau],
    )
    _touch()


def figures_touch() -> None:
    """Record a change that no summary row depends on (e.g. a verified realisation report)."""
    _touch()
