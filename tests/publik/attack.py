"""The attacker of the public figures: everything published, the definitions, and an integer program.

Written from the figures' definitions, apart from :mod:`publik.suppression`, so that a relation the choke
point forgets is one this attacker still uses. ``observed`` maps ``(level, kode, field, tahun)`` to what the
outputs show: a number, ``"<5"`` (fewer than five: 0 to 4) or ``None`` (hidden: any number) — the portal's own documented meanings.
Stable counts carry every year they were seen in; the attacker knows they do not depend on the year.
"""

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import lil_array

SMALL = "<5"
STABLE = ("keluarga", "keluarga_miskin", "tanpa_desil")
YEARLY = ("terjangkau", "miskin_terjangkau", "miskin_belum_pernah")
CEILING = 10**7  # more families than any regency has: a value the outputs leave open reaches it
PARENT_LEVEL = {"desa": "kecamatan", "kecamatan": "kabupaten"}


@dataclass
class Outputs:
    years: list  # every year collected, ascending and consecutive
    areas: dict  # (level, kode) -> parent kode or None
    observed: dict = field(
        default_factory=dict
    )  # (level, kode, field, tahun) -> value; one entry per surface
    reach: dict = field(default_factory=dict)  # (program_id, kecamatan, tahun) -> value as published
    complete_reach: set = field(
        default_factory=set
    )  # (kecamatan, tahun) whose 3W rows cover every reached family

    def see(self, cell, value):
        """Record what one surface shows; two surfaces that disagree are a finding of their own."""
        seen = self.observed.setdefault(cell, value)
        assert seen == value, f"{cell}: one output shows {seen!r}, another {value!r}"


class _Model:
    def __init__(self):
        self.index = {}
        self.lower, self.upper = [], []
        self.rows = []  # (coefficients, lower, upper)

    def var(self, key):
        if key not in self.index:
            self.index[key] = len(self.lower)
            self.lower.append(0)
            self.upper.append(CEILING)
        return self.index[key]

    def bound(self, key, low, high):
        i = self.var(key)
        self.lower[i] = max(self.lower[i], low)
        self.upper[i] = min(self.upper[i], high)

    def rel(self, terms, low=-np.inf, high=np.inf):
        self.rows.append(({self.var(k): c for k, c in terms}, low, high))


def _model(out: Outputs) -> _Model:
    m = _Model()

    def v(level, kode, name, tahun):
        return (level, kode, name, tahun)

    years = out.years
    for level, kode in out.areas:
        for tahun in years:
            K, M, U = (v(level, kode, n, tahun) for n in STABLE)
            R, MR, B = (v(level, kode, n, tahun) for n in YEARLY)
            G = v(level, kode, "kesenjangan", tahun)
            m.rel([(M, 1), (U, 1), (K, -1)], high=0)
            m.rel([(MR, 1), (M, -1)], high=0)
            m.rel([(MR, 1), (R, -1)], high=0)
            m.rel([(R, 1), (MR, -1), (K, -1), (M, 1)], high=0)
            m.rel([(G, 1), (M, -1), (MR, 1)], low=0, high=0)
            m.rel([(B, 1), (M, -1)], high=0)
            earlier = [y for y in years if y <= tahun]
            for y in earlier:
                m.rel([(B, 1), (M, -1), (v(level, kode, "miskin_terjangkau", y), 1)], high=0)
            m.rel([(B, 1), (M, -1), *((v(level, kode, "miskin_terjangkau", y), 1) for y in earlier)], low=0)
            if tahun != years[0]:
                before = v(level, kode, "miskin_belum_pernah", tahun - 1)
                m.rel([(B, 1), (before, -1)], high=0)
                m.rel([(before, 1), (B, -1), (MR, -1)], high=0)
                for n in STABLE:
                    m.rel([(v(level, kode, n, tahun), 1), (v(level, kode, n, tahun - 1), -1)], low=0, high=0)
    children = defaultdict(list)
    for (level, kode), parent in out.areas.items():
        if parent is not None:
            children[(PARENT_LEVEL[level], parent)].append((level, kode))
    for (level, kode), kids in children.items():
        for tahun in years:
            for n in (*STABLE, *YEARLY):
                terms = [((kl, kk, n, tahun), 1) for kl, kk in kids] + [((level, kode, n, tahun), -1)]
                m.rel(terms, low=0, high=0)
    by_area = defaultdict(list)
    for (program_id, kecamatan, tahun), _value in out.reach.items():
        key = ("3w", program_id, kecamatan, tahun)
        by_area[(kecamatan, tahun)].append(key)
        m.rel([(key, 1), (("kecamatan", kecamatan, "terjangkau", tahun), -1)], high=0)
    for (kecamatan, tahun), keys in by_area.items():
        if (kecamatan, tahun) in out.complete_reach:
            m.rel([(("kecamatan", kecamatan, "terjangkau", tahun), 1), *((k, -1) for k in keys)], high=0)
    observations = [*out.observed.items()]
    observations += [(("3w", p, k, t), value) for (p, k, t), value in out.reach.items()]
    for cell, value in observations:
        if value == SMALL:
            m.bound(cell, 0, 4)
        elif value is None:
            pass
        else:
            m.bound(cell, value, value)
    return m


def narrowed(out: Outputs, cells, *, integer: bool = True) -> dict:
    """For each of ``cells``: the smallest and largest value the outputs allow, where that is narrower than
    1 to 4 (an empty result: the attacker learns nothing more). ``integer`` solves for whole numbers (the
    stronger attack, slow on large models); otherwise the linear relaxation, as statistics offices audit."""
    m = _model(out)
    n = len(m.lower)
    matrix = lil_array((len(m.rows), n))
    lows, highs = [], []
    for r, (coefficients, low, high) in enumerate(m.rows):
        for i, c in coefficients.items():
            matrix[r, i] = c
        lows.append(low)
        highs.append(high)
    constraint = LinearConstraint(matrix.tocsr(), lows, highs)
    bounds = Bounds(m.lower, m.upper)
    integrality = np.ones(n) if integer else np.zeros(n)
    # Every solution found is a ledger the outputs allow: a cell that one of them puts at 1 or below (at 4
    # or above) is not narrowed from that side, so that end need not be solved for. A cell found narrowed
    # gets both its ends solved exactly: the result is the same as solving every end.
    seen_low = np.full(n, np.inf)
    seen_high = np.full(n, -np.inf)

    def end(cell, sign: int) -> float:
        c = np.zeros(n)
        c[m.index[cell]] = sign
        solved = milp(c, constraints=constraint, bounds=bounds, integrality=integrality)
        assert solved.status == 0, f"the outputs contradict the definitions at {cell}: {solved.message}"
        np.minimum(seen_low, solved.x, out=seen_low)
        np.maximum(seen_high, solved.x, out=seen_high)
        return sign * solved.fun

    result = {}
    for cell in cells:
        i = m.index[cell]
        low = None if seen_low[i] <= 1 + 1e-6 else end(cell, 1)
        high = None if seen_high[i] >= 4 - 1e-6 else end(cell, -1)
        if (low is not None and low > 1 + 1e-6) or (high is not None and high < 4 - 1e-6):
            result[cell] = (end(cell, 1) if low is None else low, end(cell, -1) if high is None else high)
    return result
