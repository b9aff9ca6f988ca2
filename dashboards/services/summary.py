"""What writes the summary tables behind the figures (a cache of the ledger, never edited by hand).

``figures_rebuild`` recounts everything (at migrate time when they were never built, after an import is
applied or undone); ``figures_refresh`` recounts some desa: those of a program whose list or status changed
(``figures_refresh_program``, called on every change of who receives what), bounded by the size of those desa,
not by the ledger's. Everything runs inside the caller's transaction, so the figures are exact the moment the
change commits; the counting is SQL, defined once (``_selects``) for the rebuild and the refresh.
"""

import json
from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone

from dashboards.fields import NEEDS
from dashboards.models import DesaDesilCount, DesaFirstAssistCount, DesaReachCount, FiguresState
from poverty_data.models import Desa, Household
from programs.models import Beneficiary, Program


def _in(column: str, ids: list[int]) -> tuple[str, list]:
    """``column`` among ``ids``: one array parameter on PostgreSQL (any length, planned as a list)."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [ids]
    return f"{column} IN (SELECT value FROM json_each(%s))", [json.dumps(ids)]


def _selects(*, desa_ids: list[int] | None = None):
    """The three SELECTs (with parameters) that count the summary rows, of every household or of some desa.
    Rows: (desa, desil, keluarga, belum_pernah, sekali, *NEEDS), (desa, tahun, desil, terjangkau, *NEEDS) and
    (desa, desil, tahun first assisted, keluarga)."""
    household = Household._meta.db_table
    beneficiary = Beneficiary._meta.db_table
    program = Program._meta.db_table
    receiving = ", ".join(f"'{state}'" for state in Beneficiary.RECEIVING)
    counted = ", ".join(f"'{status}'" for status in Program.COUNTED_STATUSES)
    join, where, params = "", "", []
    if desa_ids is not None:
        join = f"JOIN {household} h ON h.id = b.household_id "
        clause, params = _in("h.desa_id", desa_ids)
        where = f" AND {clause}"
    # How many non-cancelled programs each household (of those counted) received from, any year, and the
    # first budget year of them.
    assisted = (
        f"SELECT b.household_id, COUNT(DISTINCT b.program_id) AS n, MIN(p.tahun) AS first_tahun "
        f"FROM {beneficiary} b "
        f"JOIN {program} p ON p.id = b.program_id {join}"
        f"WHERE b.state IN ({receiving}) AND p.status <> '{Program.Status.CANCELLED}'{where} "
        f"GROUP BY b.household_id"
    )
    need_sums = "".join(f", SUM(CASE WHEN h.{need} THEN 1 ELSE 0 END)" for need in NEEDS)
    desil = (
        f"SELECT h.desa_id, COALESCE(h.desil, 0), COUNT(*), "
        f"SUM(CASE WHEN a.n IS NULL THEN 1 ELSE 0 END), SUM(CASE WHEN a.n = 1 THEN 1 ELSE 0 END){need_sums} "
        f"FROM {household} h LEFT JOIN ({assisted}) a ON a.household_id = h.id "
        f"WHERE h.is_active = %s{where} GROUP BY h.desa_id, COALESCE(h.desil, 0)"
    )
    # Each household once per year it was reached (it may be on several programs of one year).
    need_columns = "".join(f", h.{need}" for need in NEEDS)
    reached = (
        f"SELECT DISTINCT h.id, h.desa_id, p.tahun, COALESCE(h.desil, 0) AS desil{need_columns} "
        f"FROM {beneficiary} b JOIN {program} p ON p.id = b.program_id "
        f"JOIN {household} h ON h.id = b.household_id "
        f"WHERE b.state IN ({receiving}) AND p.status IN ({counted}) AND h.is_active = %s{where}"
    )
    reach = (
        f"SELECT h.desa_id, h.tahun, h.desil, COUNT(*){need_sums} "
        f"FROM ({reached}) h GROUP BY h.desa_id, h.tahun, h.desil"
    )
    first = (
        f"SELECT h.desa_id, COALESCE(h.desil, 0), a.first_tahun, COUNT(*) "
        f"FROM {household} h JOIN ({assisted}) a ON a.household_id = h.id "
        f"WHERE h.is_active = %s{where} GROUP BY h.desa_id, COALESCE(h.desil, 0), a.first_tahun"
    )
    desil_params = [*params, True, *params]
    return (desil, desil_params), (reach, [True, *params]), (first, desil_params)


def _run(desa_ids: list[int] | None) -> None:
    (desil, desil_params), (reach, reach_params), (first, first_params) = _selects(desa_ids=desa_ids)
    need_columns = "".join(f", {need}" for need in NEEDS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {DesaDesilCount._meta.db_table} "
            f"(desa_id, desil, keluarga, belum_pernah, sekali{need_columns}) " + desil,
            desil_params,
        )
        cursor.execute(
            f"INSERT INTO {DesaReachCount._meta.db_table} (desa_id, tahun, desil, terjangkau{need_columns}) "
            + reach,
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


def figures_build_if_missing() -> bool:
    """Build the summary tables of a database where they were never built (run after ``migrate``); True
    when it built them."""
    if FiguresState.objects.filter(built_at__isnull=False).exists():
        return False
    figures_rebuild()
    return True


@transaction.atomic
def figures_refresh(*, desa_ids: Iterable[int]) -> None:
    """Recount the summary rows of some desa."""
    desa_ids = sorted({int(pk) for pk in desa_ids if pk is not None})
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
    desa_ids = (
        Household.objects.filter(beneficiaries__program_id=program_id)
        .order_by()
        .values_list("desa_id", flat=True)
        .distinct()
    )
    figures_refresh(desa_ids=desa_ids)


def figures_touch() -> None:
    """Record a change that no summary row depends on (e.g. a verified realisation report)."""
    _touch()
