"""Disclosure control: the one choke point every public household count passes through.

What it must hold against: someone who collects every public output (each year's kecamatan and desa tables
as pages, Excel, CSV, API and map data, and the open-data files) and solves the relations between them —
sums from desa to kecamatan to regency, the differences and inequalities that hold between the figures
(``miskin_terjangkau ≤ terjangkau``, ``keluarga_miskin + tanpa_desil ≤ keluarga``, "never assisted" of one
year against the poor reached in that year and the years before, …) and what ``"<5"`` and a hidden cell say
about their own value. Of a household count from 1 to 4 such a person may learn that it lies between 1 and 4,
nothing narrower.

The method is joint suppression with an audit by linear programming:

1. Fewer figures at desa level: a desa row publishes ``keluarga``, ``keluarga_miskin`` and
   ``miskin_terjangkau`` (and what follows from them). ``tanpa_desil``, ``terjangkau`` and
   ``miskin_belum_pernah`` per desa are mostly small numbers that would force many more cells to be hidden,
   and "never assisted" ties the years together; they are published per kecamatan and for the regency.
2. Every published count from 1 to 4 is shown as ``"<5"`` (primary suppression). ``"<5"`` means "fewer
   than five": where the audit needs it a 0 is shown so too, so that to the reader ``"<5"`` is 0 to 4 and a
   hidden cell (``None``) any number.
3. All cells of all years are one problem (:class:`Ledger`). For each ``"<5"`` cell the audit asks whether,
   given everything published, the cell can be 1 or less and whether it can be 4 or more (whole numbers, HiGHS
   through ``highspy``; a question of feasibility, so the solver stops at the first point that fits). While it
   cannot be both, one more cell is covered: the nearest one in the relations; a 0 becomes
   ``"<5"`` before a ``"<5"`` becomes ``None`` before a number becomes ``None``; desa before kecamatan
   before regency; year figures before the ones every year shares. Covering a cell only widens every
   interval, so one pass over the small cells suffices.
4. ``kesenjangan`` and ``cakupan`` are computed from published counts only: hidden when either is covered.

The same decision serves every year and every surface, so no output can show what another hides.
Only household counts are suppressed; programs and rupiah are not about households.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

SMALL = "<5"
SMALL_MAX = 4

STABLE = ("keluarga", "keluarga_miskin", "tanpa_desil")
YEARLY = ("terjangkau", "miskin_terjangkau", "miskin_belum_pernah")
COUNTS = (*STABLE, *YEARLY)
# Counts a desa row publishes; the others exist for the audit (the reader knows they exist) but are not shown.
DESA_COUNTS = ("keluarga", "keluarga_miskin", "miskin_terjangkau")
DERIVED = ("kesenjangan", "cakupan")
DESA, KECAMATAN, KABUPATEN, REACH = "desa", "kecamatan", "kabupaten", "3w"
LEVEL_COST = {DESA: 0, REACH: 1, KECAMATAN: 2, KABUPATEN: 3}

EXACT, SMALL_CELL, HIDDEN, LATENT = "exact", "small", "hidden", "latent"
_TOLERANCE = 1e-6


def is_hidden(value) -> bool:
    return value is None or value == SMALL


@dataclass(frozen=True)
class Area:
    level: str  # DESA, KECAMATAN or KABUPATEN
    kode: str
    parent: str | None = None


@dataclass(frozen=True)
class Reach:
    """Households of one public program in one kecamatan (an open-data 3W row)."""

    program_id: int
    kecamatan: str
    tahun: int
    value: int


@dataclass
class Ledger:
    """The true counts of every public cell, all years at once.

    ``years``: consecutive budget years from the first with a counted program to the last one published;
    ``stable[kode]``: the counts that do not depend on the year; ``yearly[(kode, tahun)]``: those that do;
    ``reach``: the 3W rows; ``complete_reach``: ``(kecamatan, tahun)`` whose counted programs all have a 3W
    row (there the rows' sum is at least the kecamatan's ``terjangkau``).
    """

    years: Sequence[int]
    areas: Sequence[Area]
    stable: Mapping[str, Mapping[str, int]]
    yearly: Mapping[tuple[str, int], Mapping[str, int]]
    reach: Sequence[Reach] = ()
    complete_reach: frozenset = frozenset()


Cell = tuple  # (level, kode, field, tahun or None); a 3W cell is (REACH, (program_id, kecamatan), "reached", tahun)


def published_fields(level: str) -> tuple[str, ...]:
    return DESA_COUNTS if level == DESA else COUNTS


@dataclass
class _Problem:
    cells: list
    index: dict
    values: list
    status: list
    block: list  # the kecamatan a cell belongs to (None for the regency's)
    rows_ub: list = field(default_factory=list)  # (coefficients {cell index: c}, rhs): sum <= rhs
    rows_eq: list = field(default_factory=list)

    def add(self, coefficients: dict, rhs: float = 0.0, *, equal: bool = False):
        row = {self.index[cell]: c for cell, c in coefficients.items() if c}
        (self.rows_eq if equal else self.rows_ub).append((row, rhs))


def _cells(ledger: Ledger):
    for area in ledger.areas:
        for name in STABLE:
            yield (area.level, area.kode, name, None), ledger.stable[area.kode][name], area.level
        for tahun in ledger.years:
            for name in YEARLY:
                yield (
                    (area.level, area.kode, name, tahun),
                    ledger.yearly[(area.kode, tahun)][name],
                    area.level,
                )
    for reach in ledger.reach:
        yield (REACH, (reach.program_id, reach.kecamatan), "reached", reach.tahun), reach.value, REACH


def _problem(ledger: Ledger) -> _Problem:
    cells, values, status, block = [], [], [], []
    kecamatan_of = {area.kode: area.parent for area in ledger.areas if area.level == DESA}
    for cell, value, level in _cells(ledger):
        cells.append(cell)
        values.append(value)
        block.append(
            kecamatan_of[cell[1]]
            if level == DESA
            else cell[1][1]
            if level == REACH
            else None
            if level == KABUPATEN
            else cell[1]
        )
        published = level == REACH or cell[2] in published_fields(level)
        status.append((SMALL_CELL if 1 <= value <= SMALL_MAX else EXACT) if published else LATENT)
    problem = _Problem(
        cells=cells, index={c: i for i, c in enumerate(cells)}, values=values, status=status, block=block
    )
    _relations(problem, ledger)
    return problem


def _relations(p: _Problem, ledger: Ledger) -> None:
    """Every relation a reader of the definitions can write down between the cells (true for the truth)."""
    years = list(ledger.years)
    parent_level = {DESA: KECAMATAN, KECAMATAN: KABUPATEN}
    children = defaultdict(list)
    for area in ledger.areas:
        if area.parent is not None:
            children[(parent_level[area.level], area.parent)].append(area)
    for area in ledger.areas:
        a = area.level, area.kode

        def s(name, tahun=None, a=a):
            return (*a, name, tahun)

        p.add({s("keluarga_miskin"): 1, s("tanpa_desil"): 1, s("keluarga"): -1})
        for i, tahun in enumerate(years):
            reached, poor_reached, never = (s(n, tahun) for n in YEARLY)
            p.add({poor_reached: 1, s("keluarga_miskin"): -1})
            p.add({poor_reached: 1, reached: -1})
            # Non-poor reached ≤ non-poor families.
            p.add({reached: 1, poor_reached: -1, s("keluarga"): -1, s("keluarga_miskin"): 1})
            p.add({never: 1, s("keluarga_miskin"): -1})
            # The poor assisted by year Y include those reached in each year up to Y, and no others.
            for earlier in years[: i + 1]:
                p.add({never: 1, s("keluarga_miskin"): -1, s("miskin_terjangkau", earlier): 1})
            p.add(
                {
                    never: -1,
                    s("keluarga_miskin"): 1,
                    **{s("miskin_terjangkau", y): -1 for y in years[: i + 1]},
                }
            )
            if i:
                before = s("miskin_belum_pernah", years[i - 1])
                p.add({never: 1, before: -1})
                p.add({before: 1, never: -1, poor_reached: -1})
    for area in ledger.areas:
        parts = children.get((area.level, area.kode))
        if not parts:
            continue
        for name in STABLE:
            p.add(
                {
                    (area.level, area.kode, name, None): -1,
                    **{(k.level, k.kode, name, None): 1 for k in parts},
                },
                equal=True,
            )
        for tahun in years:
            for name in YEARLY:
                p.add(
                    {
                        (area.level, area.kode, name, tahun): -1,
                        **{(k.level, k.kode, name, tahun): 1 for k in parts},
                    },
                    equal=True,
                )
    by_area_year = defaultdict(list)
    for reach in ledger.reach:
        cell = (REACH, (reach.program_id, reach.kecamatan), "reached", reach.tahun)
        by_area_year[(reach.kecamatan, reach.tahun)].append(cell)
        if reach.tahun in years:
            p.add({cell: 1, (KECAMATAN, reach.kecamatan, "terjangkau", reach.tahun): -1})
    for (kecamatan, tahun), cells in by_area_year.items():
        if (kecamatan, tahun) in ledger.complete_reach and tahun in years:
            p.add({(KECAMATAN, kecamatan, "terjangkau", tahun): 1, **dict.fromkeys(cells, -1)})


def _bounds(p: _Problem) -> list[tuple]:
    """The reader's bounds of every cell, from what is published of it."""
    bounds = []
    for value, status in zip(p.values, p.status, strict=True):
        if status == EXACT:
            bounds.append((value, value))
        elif status == SMALL_CELL:
            bounds.append((0, SMALL_MAX))
        else:
            bounds.append((0, None))
    return bounds


class _Solver:
    """The reader's linear program in HiGHS: the relations built once; each question changes only the bounds
    and the objective, so HiGHS starts from the previous answer.

    With ``block`` (a kecamatan), the cells of every other kecamatan are fixed at their true value and left
    out of the model: a reader who knew them exactly can only learn more, so a cell protected against that
    reader is protected, and the problem left is one kecamatan's and the regency's (a few hundred cells
    instead of thousands: a question takes a millisecond or two)."""

    def __init__(self, p: _Problem, block: str | None = None, *, integer: bool = True):
        import highspy
        import numpy as np

        self.p = p
        self.columns = [i for i in range(len(p.cells)) if block is None or p.block[i] in (block, None)]
        self.column_of = {i: c for c, i in enumerate(self.columns)}
        self.h = h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        self.inf = highspy.kHighsInf
        self.status = highspy.HighsModelStatus
        n = len(self.columns)
        h.addVars(n, np.zeros(n), np.full(n, self.inf))
        # Counts are whole numbers, and a reader may reason with that: the audit solves for whole numbers too
        # (a linear relaxation alone let a bound of 2 through where 1 was its fractional answer).
        if integer:
            h.changeColsIntegrality(
                n, np.arange(n, dtype=np.int32), np.full(n, highspy.HighsVarType.kInteger)
            )
        for rows, equal in ((p.rows_ub, False), (p.rows_eq, True)):
            starts, indices, values, lower, upper = [], [], [], [], []
            for coefficients, rhs in rows:
                kept = {}
                for i, c in coefficients.items():
                    if i in self.column_of:
                        kept[self.column_of[i]] = c
                    else:
                        rhs -= c * p.values[i]
                if not kept:
                    continue
                starts.append(len(indices))
                indices.extend(kept)
                values.extend(kept.values())
                lower.append(rhs if equal else -self.inf)
                upper.append(rhs)
            if not starts:
                continue
            h.addRows(
                len(starts),
                np.array(lower, dtype=float),
                np.array(upper, dtype=float),
                len(indices),
                np.array(starts, dtype=np.int32),
                np.array(indices, dtype=np.int32),
                np.array(values, dtype=float),
            )
        self.bounds = [None] * n
        self.point = np.array(p.values, dtype=float)

    def set_bounds(self, bounds) -> None:
        """Bring HiGHS's column bounds to ``bounds``, changing only the columns that differ (a warm start)."""
        for c, i in enumerate(self.columns):
            low, high = bounds[i]
            if self.bounds[c] != (low, high):
                self.h.changeColBounds(c, low, self.inf if high is None else high)
                self.bounds[c] = (low, high)

    def interval(self, i: int, bounds) -> tuple[float, float]:
        """The smallest and largest value of cell ``i`` under ``bounds``."""
        self.set_bounds(bounds)
        column = self.column_of[i]
        out = []
        for sign in (1.0, -1.0):
            self.h.changeColCost(column, sign)
            self.h.run()
            status = self.h.getModelStatus()
            value = self.h.getInfo().objective_function_value  # read before the model changes again
            self.h.changeColCost(column, 0.0)
            if status == self.status.kOptimal:
                out.append(sign * value)
            elif status in (self.status.kUnbounded, self.status.kUnboundedOrInfeasible):
                out.append(-sign * float("inf"))
            else:
                raise RuntimeError(
                    f"disclosure audit failed for cell {i}: {self.h.modelStatusToString(status)}"
                )
        return out[0], out[1]

    def allows(self, i: int, bounds, low: float, high: float | None, witnesses=None) -> bool:
        """Whether some point the reader cannot rule out under ``bounds`` puts cell ``i`` between ``low`` and
        ``high``; the point found goes to ``witnesses``.

        A question of feasibility, not of the smallest or largest value: HiGHS stops at the first point that
        fits, where an optimum must also be proved (for whole numbers, by branching). Anything but a point
        found answers no, so a failure of the solver covers a cell rather than publishing it."""
        self.set_bounds(bounds)
        column = self.column_of[i]
        known_low, known_high = bounds[i]
        low = max(low, known_low)
        high = high if known_high is None else known_high if high is None else min(high, known_high)
        if high is not None and low > high:
            return False
        self.h.changeColBounds(column, low, self.inf if high is None else high)
        self.bounds[column] = None  # brought back to ``bounds`` by the next question
        self.h.run()
        if self.h.getModelStatus() != self.status.kOptimal:
            return False
        if witnesses is not None:
            self.point[self.columns] = self.h.getSolution().col_value
            witnesses.add(self.point)
        return True


class _Witnesses:
    """The smallest and largest value of every cell seen in points the reader cannot rule out.

    Covering a cell only widens what the reader allows, so a point once allowed stays allowed: a cell whose
    seen values already span 1 to 4 is protected without asking the solver again."""

    def __init__(self, values):
        import numpy as np

        self.low = np.array(values, dtype=float)
        self.high = np.array(values, dtype=float)

    def add(self, point) -> None:
        import numpy as np

        np.minimum(self.low, point, out=self.low)
        np.maximum(self.high, point, out=self.high)

    def sides_open(self, i: int) -> tuple[bool, bool]:
        """Whether a point seen already allows cell ``i`` to be 1 or less, and 4 or more."""
        return self.low[i] <= 1 + _TOLERANCE, self.high[i] >= SMALL_MAX - _TOLERANCE

    def protected(self, i: int) -> bool:
        """A count from 1 to 4 keeps all of 1 to 4 open."""
        return all(self.sides_open(i))


def _neighbours(p: _Problem) -> list[list[int]]:
    rows_of = [[] for _ in p.cells]
    for r, (coefficients, _rhs) in enumerate([*p.rows_ub, *p.rows_eq]):
        for i in coefficients:
            rows_of[i].append(r)
    members = [list(c) for c, _rhs in [*p.rows_ub, *p.rows_eq]]
    return [sorted({j for r in rows_of[i] for j in members[r] if j != i}) for i in range(len(p.cells))]


def _candidates(p: _Problem, start: int, neighbours) -> list[int]:
    """The published cells nearest to ``start`` in the relations that could widen its interval, best first."""
    seen = {start}
    layer = [start]
    found = {}
    while layer and not found:
        following = []
        for i in layer:
            for j in neighbours[i]:
                if j in seen:
                    continue
                seen.add(j)
                if p.status[j] in (EXACT, SMALL_CELL) and not (p.status[j] == SMALL_CELL and j == start):
                    found[j] = 0
                if p.status[j] != EXACT:
                    following.append(j)
        layer = following
    target = p.cells[start]

    def cost(j):
        cell = p.cells[j]
        return (
            found[j],
            _COVER_COST[(p.status[j], p.values[j] == 0)],
            LEVEL_COST[cell[0]],
            cell[3] is None,
            cell[2] != target[2],
            p.values[j],
            str(cell),
        )

    return sorted(found, key=cost)


# The two questions about a count from 1 to 4: can it be 1 or less, can it be 4 or more.
_SIDES = ((0, 1), (SMALL_MAX, None))
_COVER_COST = {(EXACT, True): 0, (SMALL_CELL, False): 1, (SMALL_CELL, True): 1, (EXACT, False): 2}


def _cover(p: _Problem, j: int) -> None:
    """One step more covered: a 0 becomes "<5", anything else ``None``."""
    p.status[j] = SMALL_CELL if p.status[j] == EXACT and p.values[j] == 0 else HIDDEN


def protect(ledger: Ledger) -> dict:
    """``{cell: "exact" | "small" | "hidden"}`` for every published cell, after the audit."""
    p = _problem(ledger)
    # The true counts are a point every question allows: counts that break a relation leave no point, and no
    # answer of the audit would mean anything.
    if _violations(p):
        raise RuntimeError("disclosure audit failed: the counts contradict the relations between them")
    small = [i for i, status in enumerate(p.status) if status == SMALL_CELL and p.values[i]]
    if small:
        neighbours = _neighbours(p)
        relaxed, whole = {}, {}
        # Points allowed with the other kecamatan fixed are allowed without; not the other way round.
        seen = {None: _Witnesses(p.values)}
        for i in sorted(small, key=lambda i: str(p.cells[i])):
            block = p.block[i] if p.cells[i][0] in (DESA, REACH) else None
            if block not in whole:
                relaxed[block] = _Solver(p, block, integer=False)
                whole[block] = _Solver(p, block)
                seen.setdefault(block, _Witnesses(p.values))
            pools = _Fanout([seen[block], seen[None]] if block is not None else [seen[None]])
            while not seen[block].protected(i):
                bounds = _bounds(p)
                # Protected: some point the reader cannot rule out puts the cell at 1 or less, and one at 4 or
                # more. A side that a point seen already opens needs no question. The linear relaxation allows
                # more than whole numbers do: where even it closes a side, the cell is exposed (cheap to find);
                # where it does not, whole numbers decide.
                sides = [
                    side
                    for side, seen_open in zip(_SIDES, seen[block].sides_open(i), strict=True)
                    if not seen_open
                ]
                if all(relaxed[block].allows(i, bounds, low, high) for low, high in sides) and all(
                    whole[block].allows(i, bounds, low, high, pools) for low, high in sides
                ):
                    break
                options = [j for j in _candidates(p, i, neighbours) if j != i]
                if not options:
                    raise RuntimeError(f"disclosure control cannot protect {p.cells[i]}")
                _cover(p, options[0])
    return {cell: status for cell, status in zip(p.cells, p.status, strict=True) if status != LATENT}


class _Fanout:
    def __init__(self, pools):
        self.pools = pools

    def add(self, point) -> None:
        for pool in self.pools:
            pool.add(point)


def audit(ledger: Ledger, decision: Mapping) -> dict:
    """The reader's interval of every count from 1 to 4 under ``decision`` (for tests and the operator)."""
    p = _problem(ledger)
    for i, cell in enumerate(p.cells):
        if cell in decision:
            p.status[i] = decision[cell]
    solver = _Solver(p)
    bounds = _bounds(p)
    protected = [i for i, s in enumerate(p.status) if s != LATENT and 1 <= p.values[i] <= SMALL_MAX]
    return {p.cells[i]: solver.interval(i, bounds) for i in protected}


def present(value: int, status: str | None):
    """A count as published: the value, ``"<5"`` or ``None``."""
    if status == SMALL_CELL:
        return SMALL
    if status == HIDDEN:
        return None
    return value


def with_derived(row: dict) -> dict:
    """``kesenjangan`` and ``cakupan`` from the published counts only."""
    poor, reached = row.get("keluarga_miskin"), row.get("miskin_terjangkau")
    if is_hidden(poor) or is_hidden(reached) or poor is None or reached is None:
        row["kesenjangan"] = None
        row["cakupan"] = None
    else:
        row["kesenjangan"] = poor - reached
        row["cakupan"] = reached / poor if poor else None
    return row


def consecutive_years(years: Iterable[int], last: int) -> list[int]:
    years = sorted(set(years))
    if not years:
        return []
    return list(range(years[0], max(years[-1], last) + 1))


def violations(ledger: Ledger) -> list[tuple]:
    """Relations the true counts break (none, unless the relations or the figures are wrong)."""
    return _violations(_problem(ledger))


def _violations(p: _Problem) -> list[tuple]:
    out = []
    for rows, equal in ((p.rows_ub, False), (p.rows_eq, True)):
        for coefficients, rhs in rows:
            total = sum(c * p.values[i] for i, c in coefficients.items())
            if (equal and total != rhs) or (not equal and total > rhs):
                out.append(({p.cells[i]: c for i, c in coefficients.items()}, total, rhs))
    return out


@dataclass
class Publication:
    """What may be published: the status of every public household cell, for every year, and the counts the
    audit saw (a count that does not match them is never shown)."""

    years: Sequence[int]
    status: Mapping
    values: Mapping

    def cell(self, level: str, kode, name: str, tahun: int):
        """``(value, status)`` of a cell; years outside the audited range map to the cell that holds the same
        count (no programs: nothing reached; "never assisted" as the last audited year, or all poor before)."""
        if name in STABLE:
            key = (level, kode, name, None)
        elif not self.years or tahun < self.years[0]:
            if name != "miskin_belum_pernah":
                return 0, EXACT
            key = (level, kode, "keluarga_miskin", None)
        elif tahun > self.years[-1]:
            if name != "miskin_belum_pernah":
                return 0, EXACT
            key = (level, kode, name, self.years[-1])
        else:
            key = (level, kode, name, tahun)
        return self.values.get(key), self.status.get(key, HIDDEN)

    def row(self, level: str, row: dict, tahun: int) -> dict:
        """A figures row as published: counts decided, per desa only :data:`DESA_COUNTS`, derived ones after."""
        out = dict(row)
        for name in COUNTS:
            if level == DESA and name not in DESA_COUNTS:
                out.pop(name, None)
                continue
            value, status = self.cell(level, row["kode"], name, tahun)
            out[name] = present(row[name], status if value == row[name] else HIDDEN)
        return with_derived(out)
