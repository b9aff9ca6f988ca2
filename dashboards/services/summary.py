"""What writes the summary tables behind the figures (a cache of the ledger, never edited by hand).

``figures_rebuild`` recounts everything (after an import is applied or undone); ``figures_refresh`` recounts
some desa (a household or beneficiary row deleted). A change of who receives what on a program updates the
summary by delta instead (``figures_delta_begin``): what the program's households contribute to the summary
rows is read before and after the change and the difference added, so a confirmation reads its own few
thousand households, not every household of its desa. A household's contribution depends on its own rows
only, so the delta is exact for any change confined to the households read. Everything runs inside the
caller's transaction, so the figures are exact the moment the change commits; the counting is SQL, defined
once (``_selects``) for the rebuild, the refresh and the delta.
"""

import json
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.db import connection, transaction
from django.utils import timezone

from dashboards.models import DesaDesilCount, DesaFirstAssistCount, DesaReachCount, FiguresState
from poverty_data.models import Desa, Household
from programs.models import Beneficiary, Program

COUNTED = (Program.Status.APPROVED, Program.Status.RUNNING, Program.Status.COMPLETED)
DESIL_COLUMNS = ("keluarga", "belum_pernah", "sekali")


def _in(column: str, ids: list[int]) -> tuple[str, list]:
    """``column`` among ``ids``: one array parameter on PostgreSQL (any length, planned as a list)."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [ids]
    return f"{column} IN (SELECT value FROM json_each(%s))", [json.dumps(ids)]


def _selects(*, desa_ids: list[int] | None = None, household_ids: list[int] | None = None):
    """The three SELECTs (with parameters) that count the summary rows: of every household, of some desa, or
    of some households. Rows: (desa, desil, keluarga, belum_pernah, sekali), (desa, tahun, desil,
    terjangkau) and (desa, desil, tahun first assisted, keluarga)."""
    household = Household._meta.db_table
    beneficiary = Beneficiary._meta.db_table
    program = Program._meta.db_table
    receiving = ", ".join(f"'{state}'" for state in Beneficiary.RECEIVING)
    counted = ", ".join(f"'{status}'" for status in COUNTED)
    join, where_b, where_h, params_b, params_h = "", "", "", [], []
    if desa_ids is not None:
        join = f"JOIN {household} h ON h.id = b.household_id "
        clause, params_h = _in("h.desa_id", desa_ids)
        where_b = where_h = f" AND {clause}"
        params_b = params_h
    elif household_ids is not None:
        clause_b, params_b = _in("b.household_id", household_ids)
        clause_h, params_h = _in("h.id", household_ids)
        where_b, where_h = f" AND {clause_b}", f" AND {clause_h}"
    # How many non-cancelled programs each household (of those counted) received from, any year, and the
    # first budget year of them.
    assisted = (
        f"SELECT b.household_id, COUNT(DISTINCT b.program_id) AS n, MIN(p.tahun) AS first_tahun "
        f"FROM {beneficiary} b "
        f"JOIN {program} p ON p.id = b.program_id {join}"
        f"WHERE b.state IN ({receiving}) AND p.status <> '{Program.Status.CANCELLED}'{where_b} "
        f"GROUP BY b.household_id"
    )
    desil = (
        f"SELECT h.desa_id, COALESCE(h.desil, 0), COUNT(*), "
        f"SUM(CASE WHEN a.n IS NULL THEN 1 ELSE 0 END), SUM(CASE WHEN a.n = 1 THEN 1 ELSE 0 END) "
        f"FROM {household} h LEFT JOIN ({assisted}) a ON a.household_id = h.id "
        f"WHERE h.is_active = %s{where_h} GROUP BY h.desa_id, COALESCE(h.desil, 0)"
    )
    reach_where = where_h if desa_ids is not None else where_b
    reach = (
        f"SELECT h.desa_id, p.tahun, COALESCE(h.desil, 0), COUNT(DISTINCT h.id) "
        f"FROM {beneficiary} b JOIN {program} p ON p.id = b.program_id "
        f"JOIN {household} h ON h.id = b.household_id "
        f"WHERE b.state IN ({receiving}) AND p.status IN ({counted}) AND h.is_active = %s{reach_where} "
        f"GROUP BY h.desa_id, p.tahun, COALESCE(h.desil, 0)"
    )
    first = (
        f"SELECT h.desa_id, COALESCE(h.desil, 0), a.first_tahun, COUNT(*) "
        f"FROM {household} h JOIN ({assisted}) a ON a.household_id = h.id "
        f"WHERE h.is_active = %s{where_h} GROUP BY h.desa_id, COALESCE(h.desil, 0), a.first_tahun"
    )
    desil_params = [*params_b, True, *params_h]
    return (desil, desil_params), (reach, [True, *params_b]), (first, desil_params)


def _run(desa_ids: list[int] | None) -> None:
    (desil, desil_params), (reach, reach_params), (first, first_params) = _selects(desa_ids=desa_ids)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {DesaDesilCount._meta.db_table} (desa_id, desil, keluarga, belum_pernah, sekali) "
            + desil,
            desil_params,
        )
        cursor.execute(
            f"INSERT INTO {DesaReachCount._meta.db_table} (desa_id, tahun, desil, terjangkau) " + reach,
            reach_params,
        )
        cursor.execute(
            f"INSERT INTO {DesaFirstAssistCount._meta.db_table} (desa_id, desil, tahun, keluarga) " + first,
            first_params,
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
    DesaDesilCount.objects.all().delete()
    DesaReachCount.objects.all().delete()
    DesaFirstAssistCount.objects.all().delete()
    _run(None)
    _touch(built=True)


def is_built() -> bool:
    return FiguresState.objects.filter(built_at__isnull=False).exists()


@transaction.atomic
def figures_refresh(*, desa_ids: Iterable[int]) -> None:
    """Recount the summary rows of some desa (a no-op until the tables are first built)."""
    desa_ids = sorted({int(pk) for pk in desa_ids if pk is not None})
    if not is_built():
        _touch()
        return
    if desa_ids:
        # Two refreshes of one desa must not both delete then insert: the second waits for the first.
        _lock(desa_ids)
        DesaDesilCount.objects.filter(desa_id__in=desa_ids).delete()
        DesaReachCount.objects.filter(desa_id__in=desa_ids).delete()
        DesaFirstAssistCount.objects.filter(desa_id__in=desa_ids).delete()
        for chunk_start in range(0, len(desa_ids), 500):
            _run(desa_ids[chunk_start : chunk_start + 500])
    _touch()


def figures_refresh_program(*, program_id: int) -> None:
    """Recount the desa where a program's beneficiaries live (after its list or status changed)."""
    desa_ids = Household.objects.filter(beneficiaries__program_id=program_id).values_list(
        "desa_id", flat=True
    )
    figures_refresh(desa_ids=set(desa_ids.distinct()))


def figures_touch() -> None:
    """Record a change that no summary row depends on (e.g. a verified realisation report)."""
    _touch()


def _contribution(household_ids: list[int]) -> dict[tuple, list[int]]:
    """What these households add to the summary rows now: ``("d", desa, desil)`` → keluarga, belum_pernah,
    sekali; ``("r", desa, tahun, desil)`` → terjangkau; ``("f", desa, desil, tahun)`` → keluarga."""
    rows: dict[tuple, list[int]] = {}
    if not household_ids:
        return rows
    (desil, desil_params), (reach, reach_params), (first, first_params) = _selects(
        household_ids=household_ids
    )
    with connection.cursor() as cursor:
        cursor.execute(desil, desil_params)
        for desa_id, desil_value, *counts in cursor.fetchall():
            rows[("d", desa_id, desil_value)] = [int(n) for n in counts]
        cursor.execute(reach, reach_params)
        for desa_id, tahun, desil_value, count in cursor.fetchall():
            rows[("r", desa_id, tahun, desil_value)] = [int(count)]
        cursor.execute(first, first_params)
        for desa_id, desil_value, tahun, count in cursor.fetchall():
            rows[("f", desa_id, desil_value, tahun)] = [int(count)]
    return rows


def _apply(delta: dict[tuple, list[int]]) -> bool:
    """Add ``delta`` to the summary rows; a row that comes to nothing is deleted, as a rebuild would leave it.
    False, and nothing written, when a row would fall below zero: the summary was not exact to begin with
    (the registry changed behind the services' back), and the caller recounts instead."""
    changed = {key: values for key, values in delta.items() if any(values)}
    if not changed:
        return True
    plans = []
    for kind, model, columns, key_fields in (
        ("d", DesaDesilCount, DESIL_COLUMNS, ("desa_id", "desil")),
        ("r", DesaReachCount, ("terjangkau",), ("desa_id", "tahun", "desil")),
        ("f", DesaFirstAssistCount, ("keluarga",), ("desa_id", "desil", "tahun")),
    ):
        wanted = {key[1:]: values for key, values in changed.items() if key[0] == kind}
        if not wanted:
            continue
        existing = {
            tuple(getattr(row, f) for f in key_fields): row
            for row in model.objects.filter(desa_id__in={key[0] for key in wanted})
        }
        updated, created, emptied = [], [], []
        for key, values in wanted.items():
            row = existing.get(key)
            if row is None:
                row = model(**dict(zip(key_fields, key, strict=True)))
                for column in columns:
                    setattr(row, column, 0)
                created.append(row)
            else:
                updated.append(row)
            for column, value in zip(columns, values, strict=True):
                setattr(row, column, getattr(row, column) + value)
            if any(getattr(row, column) < 0 for column in columns):
                return False
            if row in updated and not any(getattr(row, column) for column in columns):
                updated.remove(row)
                emptied.append(row.pk)
        plans.append((model, columns, created, updated, emptied))
    for model, columns, created, updated, emptied in plans:
        model.objects.bulk_create(created)
        model.objects.bulk_update(updated, list(columns))
        model.objects.filter(pk__in=emptied).delete()
    return True


def figures_delta_begin(
    *, household_ids: Iterable[int], desa_ids: Iterable[int] = (), new: bool = False
) -> Callable[[], None]:
    """Read what some households contribute to the summary now, before a change confined to them; the
    callable returned, called after the change in the same transaction, adds the difference. ``new``:
    the households were just created, and contributed nothing before.

    Locks the desa the households live in (and ``desa_ids``, where a household may move to) first, as a
    refresh or a rebuild does, so that no other writer of those summary rows runs in between."""
    household_ids = sorted({int(pk) for pk in household_ids})
    if not is_built():
        return _touch
    clause, params = _in("id", household_ids)
    desa = set(desa_ids)
    if household_ids:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT DISTINCT desa_id FROM {Household._meta.db_table} WHERE {clause}", params)
            desa.update(row[0] for row in cursor.fetchall())
    _lock(pk for pk in desa if pk is not None)
    before = {} if new else _contribution(household_ids)

    def finish() -> None:
        delta: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
        for key, values in _contribution(household_ids).items():
            delta[key] = list(values)
        for key, values in before.items():
            current = delta[key][: len(values)]
            delta[key] = [a - b for a, b in zip(current, values, strict=True)]
        if not _apply(delta):
            figures_refresh(desa_ids={key[1] for key in delta})
        _touch()

    return finish
