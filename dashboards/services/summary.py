"""What writes the summary tables behind the figures (a cache of the ledger, never edited by hand).

``figures_rebuild`` recounts everything (after an import is applied or undone); ``figures_refresh`` recounts
the desa a ledger change touched (beneficiaries confirmed, delivery reported, a program approved, cancelled or
completed). Both run inside the caller's transaction, so the figures are exact the moment the change commits,
and both are plain INSERT … SELECT statements: the database aggregates, nothing is loaded into Python.
"""

from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone

from dashboards.models import DesaDesilCount, DesaReachCount, FiguresState
from poverty_data.models import Desa, Household
from programs.models import Beneficiary, Program

COUNTED = (Program.Status.APPROVED, Program.Status.RUNNING, Program.Status.COMPLETED)


def _statements(desa_ids: list[int] | None) -> list[tuple[str, list]]:
    """The two INSERT … SELECT statements (with their parameters) that recount some desa, or all."""
    household = Household._meta.db_table
    beneficiary = Beneficiary._meta.db_table
    program = Program._meta.db_table
    receiving = ", ".join(f"'{state}'" for state in Beneficiary.RECEIVING)
    counted = ", ".join(f"'{status}'" for status in COUNTED)
    where, scope = "", []
    if desa_ids is not None:
        where = f" AND h.desa_id IN ({', '.join(['%s'] * len(desa_ids))})"
        scope = list(desa_ids)
    # How many non-cancelled programs each household (of the desa recounted) received from, any year.
    assisted = (
        f"SELECT b.household_id, COUNT(DISTINCT b.program_id) AS n FROM {beneficiary} b "
        f"JOIN {program} p ON p.id = b.program_id "
        + (f"JOIN {household} h ON h.id = b.household_id " if where else "")
        + f"WHERE b.state IN ({receiving}) AND p.status <> '{Program.Status.CANCELLED}'{where} "
        f"GROUP BY b.household_id"
    )
    desil = (
        f"INSERT INTO {DesaDesilCount._meta.db_table} (desa_id, desil, keluarga, belum_pernah, sekali) "
        f"SELECT h.desa_id, COALESCE(h.desil, 0), COUNT(*), "
        f"SUM(CASE WHEN a.n IS NULL THEN 1 ELSE 0 END), SUM(CASE WHEN a.n = 1 THEN 1 ELSE 0 END) "
        f"FROM {household} h LEFT JOIN ({assisted}) a ON a.household_id = h.id "
        f"WHERE h.is_active = %s{where} GROUP BY h.desa_id, COALESCE(h.desil, 0)"
    )
    reach = (
        f"INSERT INTO {DesaReachCount._meta.db_table} (desa_id, tahun, desil, terjangkau) "
        f"SELECT h.desa_id, p.tahun, COALESCE(h.desil, 0), COUNT(DISTINCT h.id) "
        f"FROM {beneficiary} b JOIN {program} p ON p.id = b.program_id "
        f"JOIN {household} h ON h.id = b.household_id "
        f"WHERE b.state IN ({receiving}) AND p.status IN ({counted}) AND h.is_active = %s{where} "
        f"GROUP BY h.desa_id, p.tahun, COALESCE(h.desil, 0)"
    )
    return [(desil, [*scope, True, *scope]), (reach, [True, *scope])]


def _run(desa_ids: list[int] | None) -> None:
    with connection.cursor() as cursor:
        for statement, params in _statements(desa_ids):
            cursor.execute(statement, params)


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


@transaction.atomic
def figures_rebuild() -> None:
    """Recount every summary row from the ledger."""
    # Refreshes lock the desa they recount; taking them all keeps a rebuild from interleaving with one.
    if connection.features.has_select_for_update:
        list(Desa.objects.select_for_update(no_key=True).order_by("pk").values_list("pk", flat=True))
    DesaDesilCount.objects.all().delete()
    DesaReachCount.objects.all().delete()
    _run(None)
    _touch(built=True)


def is_built() -> bool:
    return FiguresState.objects.filter(built_at__isnull=False).exists()


@transaction.atomic
def figures_refresh(*, desa_ids: Iterable[int]) -> None:
    """Recount the summary rows of some desa (a no-op until the tables are first built)."""
    desa_ids = sorted({int(pk) for pk in desa_ids if pk is not None})
    state = FiguresState.objects.filter(pk=1).first()
    if state is None or state.built_at is None:
        _touch()
        return
    if desa_ids:
        # Two refreshes of one desa must not both delete then insert: the second waits for the first.
        if connection.features.has_select_for_update:
            list(
                Desa.objects.select_for_update(no_key=True)
                .filter(pk__in=desa_ids)
                .order_by("pk")
                .values("pk")
            )
        DesaDesilCount.objects.filter(desa_id__in=desa_ids).delete()
        DesaReachCount.objects.filter(desa_id__in=desa_ids).delete()
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
