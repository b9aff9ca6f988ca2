"""Small-cell suppression: the one choke point every output of public data passes through.

Rules (docs/architecture.md, "Disclosure control"):

- a household count from 1 to 4 is shown as ``"<5"`` (primary suppression);
- wherever a hidden count could be recomputed, a second cell is hidden as ``None`` (complementary
  suppression). The relations an outsider can compute with are the row relation
  ``keluarga_miskin = miskin_terjangkau + kesenjangan`` and, per column, ``total = sum of the rows``. A
  relation with exactly one hidden cell gives that cell away, so cells are hidden until no relation has
  exactly one;
- ``cakupan`` (``miskin_terjangkau / keluarga_miskin``) is ``None`` whenever either count is hidden;
- totals are published elsewhere too (the regency figures, a kecamatan's row in the kecamatan table), so
  they are never picked as the second cell; a table whose total comes from a parent table keeps the cells
  the parent hid (``fixed_total``), and hides a row cell beside each;
- counts that do not depend on the year (``keluarga``, ``keluarga_miskin``, ``tanpa_desil``,
  ``miskin_belum_pernah``) are hidden by the same decision in every year's table: a row relation never
  picks them as the second cell, or the table of another year would show what this one hides.

Only household counts are suppressed; programs and rupiah are not about households.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

SMALL = "<5"
SMALL_MAX = 4


@dataclass(frozen=True)
class Spec:
    counts: tuple[str, ...]
    stable: frozenset[str] = frozenset()
    # (whole, parts): whole = sum(parts) within a row
    sums: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # (ratio, numerator, denominator)
    ratios: tuple[tuple[str, str, str], ...] = ()
    column_totals: bool = True


FIGURES = Spec(
    counts=(
        "keluarga",
        "keluarga_miskin",
        "tanpa_desil",
        "terjangkau",
        "miskin_terjangkau",
        "miskin_belum_pernah",
        "kesenjangan",
    ),
    stable=frozenset({"keluarga", "keluarga_miskin", "tanpa_desil", "miskin_belum_pernah"}),
    sums=(("keluarga_miskin", ("miskin_terjangkau", "kesenjangan")),),
    ratios=(("cakupan", "miskin_terjangkau", "keluarga_miskin"),),
)

TOTAL = "total"


def is_hidden(value) -> bool:
    return value is None or value == SMALL


@dataclass
class _Table:
    values: dict
    hidden: set = field(default_factory=set)
    small: set = field(default_factory=set)
    locked: set = field(default_factory=set)


def _relations(spec: Spec, keys: Sequence, has_total: bool) -> list[list[tuple]]:
    relations = []
    for key in [*keys, *([TOTAL] if has_total else [])]:
        for whole, parts in spec.sums:
            relations.append([(key, whole), *((key, part) for part in parts)])
    if has_total and spec.column_totals:
        for name in spec.counts:
            relations.append([*((key, name) for key in keys), (TOTAL, name)])
    return relations


def _complement(table: _Table, relation: list[tuple], spec: Spec, is_row: bool) -> tuple:
    """The cell to hide beside the one hidden cell of ``relation``: the least informative one."""
    candidates = [cell for cell in relation if cell not in table.hidden]

    def cost(cell):
        value = table.values[cell] or 0
        return (
            cell in table.locked,
            is_row and cell[1] in spec.stable,
            value == 0,
            value,
            str(cell[0]),
            cell[1],
        )

    return min(candidates, key=cost)


def suppress_cells(
    values: dict, keys: Sequence, *, spec: Spec, has_total: bool, fixed: Iterable[tuple] = ()
) -> tuple[set, set]:
    """Decide which cells ``(row key, field)`` to hide; returns (shown as "<5", shown as None)."""
    table = _Table(values=values)
    for cell, value in values.items():
        if cell[1] in spec.counts and value is not None and 1 <= value <= SMALL_MAX:
            table.small.add(cell)
            table.hidden.add(cell)
    table.hidden.update(fixed)
    if has_total:
        table.locked = {(TOTAL, name) for name in spec.counts}
    row_relation_count = (len(keys) + int(has_total)) * len(spec.sums)
    relations = _relations(spec, keys, has_total)
    changed = True
    while changed:
        changed = False
        for index, relation in enumerate(relations):
            if sum(cell in table.hidden for cell in relation) == 1:
                table.hidden.add(_complement(table, relation, spec, is_row=index < row_relation_count))
                changed = True
    return table.small, table.hidden - table.small


def _present(row: dict, key, spec: Spec, small: set, hidden: set, fixed_row: dict | None = None) -> dict:
    out = dict(row)
    for name in spec.counts:
        if fixed_row is not None and is_hidden(fixed_row.get(name)):
            out[name] = fixed_row[name]
        elif (key, name) in small:
            out[name] = SMALL
        elif (key, name) in hidden:
            out[name] = None
    for ratio, numerator, denominator in spec.ratios:
        if ratio in out and (is_hidden(out.get(numerator)) or is_hidden(out.get(denominator))):
            out[ratio] = None
    return out


def suppress_table(
    rows: Sequence[dict], total: dict | None = None, *, spec: Spec = FIGURES, fixed_total: dict | None = None
) -> tuple[list[dict], dict | None]:
    """Suppress a table of rows (and its total row): returns the rows and the total as published.

    ``fixed_total`` is the total as a parent table published it (a kecamatan's row for its desa table):
    its hidden cells stay hidden here.
    """
    keys = list(range(len(rows)))
    values = {(key, name): rows[key].get(name) for key in keys for name in spec.counts}
    has_total = total is not None
    if has_total:
        values.update({(TOTAL, name): total.get(name) for name in spec.counts})
    fixed = (
        [(TOTAL, name) for name in spec.counts if is_hidden(fixed_total.get(name))]
        if fixed_total is not None
        else []
    )
    small, hidden = suppress_cells(values, keys, spec=spec, has_total=has_total, fixed=fixed)
    published_rows = [_present(row, key, spec, small, hidden) for key, row in zip(keys, rows, strict=True)]
    published_total = _present(total, TOTAL, spec, small, hidden, fixed_total) if has_total else None
    return published_rows, published_total


def suppress_three_w(rows: Sequence[dict], *, hidden_areas: Iterable[tuple[str, int]] = ()) -> list[dict]:
    """Suppress the household counts of 3W rows (one per program and kecamatan).

    ``reached`` of a program in a kecamatan equals the kecamatan's ``terjangkau`` of that year when it is the
    only program there, so it is hidden wherever the public kecamatan table hides that cell
    (``hidden_areas``: ``(kecamatan kode, tahun)``). ``targeted`` is the program's target spread evenly over
    its desa, so one shown cell gives away the others: a program with one hidden cell has all hidden.
    """
    hidden_areas = set(hidden_areas)
    out = [dict(row) for row in rows]
    small_target_programs = {row["program_id"] for row in rows if 1 <= row["targeted"] <= SMALL_MAX}
    for row in out:
        if 1 <= row["reached"] <= SMALL_MAX:
            row["reached"] = SMALL
        elif (row["adm3_code"], row["tahun"]) in hidden_areas:
            row["reached"] = None
        if 1 <= row["targeted"] <= SMALL_MAX:
            row["targeted"] = SMALL
        elif row["program_id"] in small_target_programs:
            row["targeted"] = None
    return out
