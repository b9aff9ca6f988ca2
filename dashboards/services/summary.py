"""What writes the summary tables behind the figures (a cache of the ledger, never edited by hand).

``figures_rebuild`` recounts everything (at migrate time when they were never built, after an import is
applied or undone); ``figures_refresh`` recounts some desa: those of a program whose list or status changed
(``figures_refresh_program``, called on every change of who receives what), bounded by the size of those desa,
not by the ledger's, and their reach only in the program's budget year; the reach per program only of that
program (no other program's rows changed), bounded by its size. Everything runs inside the caller's
transaction, so the figures are exact the moment the change commits; the counting is SQL, defined once
(``_selects``, ``_recount``, ``_recount_program_reach``) for the rebuild and the refresh.
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
    when given: at most a row per desa, desil and year."""
    (households, household_params), (assisted, assisted_params) = _selects(desa_ids=desa_ids, years=years)
    with connection.cursor() as cursor:
        cursor.execute(households, household_params)
        cells = {(row[0], row[1]): row[2:] for row in cursor.fetchall()}
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
    DesaDesilCount.objects.filter(**scope).delete()
    DesaDesilCount.objects.bulk_create(
        (
            DesaDesilCount(
                desa_id=desa_id,
                desil=desil,
                keluarga=counts[0],
                belum_pernah=counts[0] - assisted_in.get((desa_id, desil), (0, 0))[0],
                sekali=assisted_in.get((desa_id, desil), (0, 0))[1],
                **dict(zip(NEEDS, counts[1:], strict=True)),
            )
            for (desa_id, desil), counts in cells.items()
        ),
        batch_size=2000,
    )
    DesaFirstAssistCount.objects.filter(**scope).delete()
    DesaFirstAssistCount.objects.bulk_create(
        (
            DesaFirstAssistCount(desa_id=desa_id, desil=desil, tahun=tahun, keluarga=keluarga)
            for desa_id, desil, tahun, keluarga, _sekali in first_rows
        ),
        batch_size=2000,
    )
    stale = DesaReachCount.objects.filter(**scope)
    (stale if years is None else stale.filter(tahun__in=years)).delete()
    DesaReachCount.objects.bulk_create(
        (
            DesaReachCount(
                desa_id=desa_id,
                desil=desil,
                tahun=tahun,
                terjangkau=terjangkau,
                **dict(zip(NEEDS, needs, strict=True)),
            )
            for desa_id, desil, tahun, terjangkau, *needs in reach_rows
        ),
        batch_size=2000,
    )


def _recount_program_reach(*, desa_ids: list[int] | None = None, program_id: int | None = None) -> None:
    """Replace the reach per program and desa: every row, those of some desa, or those of one program."""
    household = Household._meta.db_table
    beneficiary = Beneficiary._meta.db_table
    stale, where, params = ProgramDesaReach.objects.all(), "", []
    if desa_ids is not None:
        stale = stale.filter(desa_id__in=desa_ids)
        clause, params = _in("h.desa_id", desa_ids)
        where = f" AND {clause}"
    if program_id is not None:
        stale = stale.filter(program_id=program_id)
        where += " AND b.program_id = %s"
        params = [*params, program_id]
    stale.delete()
    with connection.cursor() as cursor:
        # One row per (program, household) by constraint: a plain count is the distinct count.
        cursor.execute(
            f"INSERT INTO {ProgramDesaReach._meta.db_table} (program_id, desa_id, terjangkau) "
            f"SELECT b.program_id, h.desa_id, COUNT(*) FROM {beneficiary} b "
            f"JOIN {household} h ON h.id = b.household_id "
            f"WHERE b.state IN ({_RECEIVING_SQL}) AND h.is_active = %s{where} GROUP BY b.program_id, h.desa_id",
            [True, *params],
        )


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


@transaction.atomic
def figures_refresh(
    *, desa_ids: Iterable[int], years: Iterable[int] | None = None, program_id: int | None = None
) -> None:
    """Recount the summary rows of some desa; the reach only of ``years`` when given (a change of a program
    alters the reach of its own budget year only), and the reach per program only of ``program_id`` when
    given (the program whose list or status changed) instead of every program's in these desa."""
    desa_ids = sorted({int(pk) for pk in desa_ids if pk is not None})
    years = None if years is None else sorted(set(years))
    if desa_ids:
        # Two refreshes of one desa must not both delete then insert: the second waits for the first.
        _lock(desa_ids)
        for chunk_start in range(0, len(desa_ids), 500):
            _recount(desa_ids[chunk_start : chunk_start + 500], years)
            if program_id is None:
                _recount_program_reach(desa_ids=desa_ids[chunk_start : chunk_start + 500])
    if program_id is not None:
        _recount_program_reach(program_id=program_id)
    _touch()


def figures_refresh_program(*, program_id: int) -> None:
    """Recount the desa where a program's beneficiaries live (after its list or status changed)."""
    desa_ids = (
        Household.objects.filter(beneficiaries__program_id=program_id)
        .order_by()
        .values_list("desa_id", flat=True)
        .distinct()
    )
    years = Program.objects.filter(pk=program_id).values_list("tahun", flat=True)
    figures_refresh(desa_ids=desa_ids, years=list(years), program_id=program_id)


def figures_touch() -> None:
    """Record a change that no summary row depends on (e.g. a verified realisation report)."""
    _touch()
