"""The attack on the disclosure-control engine: publish, collect every output, solve the relations.

Random ledgers go straight through :mod:`publik.suppression` and the published tables of every year (one before
and after the audited ones too) are attacked with an integer program written apart from the engine
(:mod:`tests.publik.attack`).
"""

from collections import defaultdict

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from publik import suppression as sc
from tests.publik.attack import SMALL, STABLE, YEARLY, Outputs, narrowed

COUNTS = (*STABLE, *YEARLY)


def _assert_held(out: Outputs, truth: dict, reach_truth: dict | None = None, *, integer: bool = True):
    """What is shown is true, no count from 1 to 4 is shown, and the attacker narrows none of them below 1-4."""
    protected = []
    shown = [*out.observed.items()]
    shown += [(("3w", *key), value) for key, value in out.reach.items() if reach_truth is not None]
    truth = {**truth, **{("3w", *key): v for key, v in (reach_truth or {}).items()}}
    for cell, value in shown:
        if cell[2] == "kesenjangan" or cell not in truth:
            continue
        if value == SMALL:
            assert 0 <= truth[cell] <= 4, cell
        elif value is None:
            pass
        else:
            assert value == truth[cell], cell
            assert not 1 <= value <= 4, cell
        if 1 <= truth[cell] <= 4:
            protected.append(cell)
    # A desa count keeps all of 1 to 4 open; a count of a larger area or a 3W row (not asked of the portal,
    # and two desa with a family each make their kecamatan at least 2) is never pinned to one value.
    found = narrowed(out, protected, integer=integer)
    assert {cell: span for cell, span in found.items() if cell[0] == "desa" or span[0] == span[1]} == {}


# --- straight through the choke point -------------------------------------------------------------------


@st.composite
def ledgers(draw):
    """Households with a desa, poor / unranked, and the years they were reached, by which programs."""
    n_years = draw(st.integers(1, 3))
    years = list(range(2024, 2024 + n_years))
    areas = [sc.Area(sc.KABUPATEN, "K")]
    households = []
    for k in range(draw(st.integers(1, 3))):
        kec = f"K.{k}"
        areas.append(sc.Area(sc.KECAMATAN, kec, "K"))
        for d in range(draw(st.integers(1, 3))):
            desa = f"{kec}.{d}"
            areas.append(sc.Area(sc.DESA, desa, kec))
            for _ in range(draw(st.integers(0, 14))):
                kind = draw(st.sampled_from(["poor", "poor", "rich", "unranked"]))
                reached = {y: draw(st.sampled_from([None, None, 0, 1])) for y in years}
                households.append((kec, desa, kind, reached))
    return years, areas, households


def _ledger(years, areas, households):
    stable = defaultdict(lambda: dict.fromkeys(sc.STABLE, 0))
    yearly = defaultdict(lambda: dict.fromkeys(sc.YEARLY, 0))
    reach = defaultdict(int)
    for kec, desa, kind, reached in households:
        for kode in ("K", kec, desa):
            stable[kode]["keluarga"] += 1
            stable[kode]["keluarga_miskin"] += kind == "poor"
            stable[kode]["tanpa_desil"] += kind == "unranked"
            assisted = False
            for tahun in years:
                row = yearly[(kode, tahun)]
                if reached[tahun] is not None:
                    row["terjangkau"] += 1
                    row["miskin_terjangkau"] += kind == "poor"
                    assisted = True
                row["miskin_belum_pernah"] += kind == "poor" and not assisted
        for tahun in years:
            if reached[tahun] is not None:
                reach[(reached[tahun] + 10 * (tahun - 2000), kec, tahun)] += 1
    for area in areas:  # an area without households has rows of zeros
        stable.setdefault(area.kode, dict.fromkeys(sc.STABLE, 0))
        for tahun in years:
            yearly.setdefault((area.kode, tahun), dict.fromkeys(sc.YEARLY, 0))
    cells = [sc.Reach(p, kec, tahun, n) for (p, kec, tahun), n in sorted(reach.items())]
    return sc.Ledger(
        years=years,
        areas=areas,
        stable=dict(stable),
        yearly=dict(yearly),
        reach=cells,
        complete_reach=frozenset((c.kecamatan, c.tahun) for c in cells),
    )


def _published(ledger: sc.Ledger, decision: dict) -> tuple[Outputs, dict]:
    """Every year's tables as Publication.row presents them, one year before and after the audited years."""
    pub = sc.Publication(years=list(ledger.years), status=decision, values={})
    years = list(range(ledger.years[0] - 1, ledger.years[-1] + 2))
    out = Outputs(years=years, areas={(a.level, a.kode): a.parent for a in ledger.areas})
    truth = {}
    for area in ledger.areas:
        for tahun in years:
            row = {"kode": area.kode}
            for name in COUNTS:
                if name in sc.STABLE:
                    value = ledger.stable[area.kode][name]
                elif tahun in ledger.years:
                    value = ledger.yearly[(area.kode, tahun)][name]
                elif name == "miskin_belum_pernah":
                    before = tahun < ledger.years[0]
                    value = (
                        ledger.stable[area.kode]["keluarga_miskin"]
                        if before
                        else ledger.yearly[(area.kode, ledger.years[-1])][name]
                    )
                else:
                    value = 0
                truth[(area.level, area.kode, name, tahun)] = value
                row[name] = value
            pub.values = {
                key: (
                    ledger.stable[key[1]][key[2]]
                    if key[3] is None
                    else ledger.yearly[(key[1], key[3])][key[2]]
                )
                for key in decision
                if key[0] != sc.REACH
            }
            shown = pub.row(area.level, row, tahun)
            for name in (*COUNTS, "kesenjangan"):
                if name in shown:
                    out.see((area.level, area.kode, name, tahun), shown[name])
    for reach in ledger.reach:
        status = decision[(sc.REACH, (reach.program_id, reach.kecamatan), "reached", reach.tahun)]
        out.reach[(reach.program_id, reach.kecamatan, reach.tahun)] = sc.present(reach.value, status)
    out.complete_reach = set(ledger.complete_reach)
    return out, truth


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers())
def test_random_ledgers_keep_every_small_count_between_one_and_four(drawn):
    ledger = _ledger(*drawn)
    assert sc.violations(ledger) == []
    decision = sc.protect(ledger)
    out, truth = _published(ledger, decision)
    _assert_held(out, truth, {(r.program_id, r.kecamatan, r.tahun): r.value for r in ledger.reach})


def test_the_old_one_complement_rule_is_broken_by_the_attacker():
    """A desa with 3 poor reached beside one with 9 in a kecamatan whose total shows: hiding the 9 alone is not
    enough, because 9 is also every poor family of that desa (poor reached ≤ poor families)."""
    years = [2026]
    areas = [
        sc.Area(sc.KABUPATEN, "K"),
        sc.Area(sc.KECAMATAN, "K.0", "K"),
        sc.Area(sc.DESA, "K.0.0", "K.0"),
        sc.Area(sc.DESA, "K.0.1", "K.0"),
    ]
    households = [("K.0", "K.0.0", "poor", {2026: 0})] * 3 + [("K.0", "K.0.0", "rich", {2026: None})] * 20
    households += [("K.0", "K.0.1", "poor", {2026: 0})] * 9 + [("K.0", "K.0.1", "rich", {2026: None})] * 20
    ledger = _ledger(years, areas, households)
    naive = {
        **{cell: sc.EXACT for cell in sc.protect(ledger)},
        ("desa", "K.0.0", "miskin_terjangkau", 2026): sc.SMALL_CELL,
        ("desa", "K.0.1", "miskin_terjangkau", 2026): sc.HIDDEN,
    }
    assert sc.audit(ledger, naive)[("desa", "K.0.0", "miskin_terjangkau", 2026)] == (3, 3)
    # The test's own attacker finds it too, from the published figures alone, with both ends exact.
    naive_out, _truth = _published(ledger, naive)
    cells = [("desa", desa, "miskin_terjangkau", 2026) for desa in ("K.0.0", "K.0.1")]
    assert narrowed(naive_out, cells) == {cells[0]: (3, 3), cells[1]: (9, 9)}
    protected = sc.protect(ledger)
    low, high = sc.audit(ledger, protected)[("desa", "K.0.0", "miskin_terjangkau", 2026)]
    assert low <= 1
    assert high >= 4
    out, truth = _published(ledger, protected)
    _assert_held(out, truth)
