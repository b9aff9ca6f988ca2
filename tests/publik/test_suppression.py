"""The choke point's rules one by one; tests/publik/test_attack.py runs the attack on whole portals."""

from publik import suppression as sc
from tests.publik.test_suppression_attack import _ledger

AREAS = [
    sc.Area(sc.KABUPATEN, "K"),
    sc.Area(sc.KECAMATAN, "K.0", "K"),
    sc.Area(sc.DESA, "K.0.0", "K.0"),
    sc.Area(sc.DESA, "K.0.1", "K.0"),
    sc.Area(sc.DESA, "K.0.2", "K.0"),
]


def families(desa, n, kind="poor", reached=None):
    return [("K.0", desa, kind, {2026: reached})] * n


def published(households, tahun=2026):
    ledger = _ledger([2026], AREAS, households)
    pub = sc.Publication(
        years=[2026],
        status=sc.protect(ledger),
        values={
            **{(a.level, a.kode, n, None): ledger.stable[a.kode][n] for a in AREAS for n in sc.STABLE},
            **{
                (a.level, a.kode, n, 2026): ledger.yearly[(a.kode, 2026)][n] for a in AREAS for n in sc.YEARLY
            },
        },
    )
    rows = {}
    for area in AREAS:
        row = {"kode": area.kode, **ledger.stable[area.kode], **ledger.yearly[(area.kode, 2026)]}
        row.update(program=2, anggaran_rencana=3, realisasi=1)
        rows[area.kode] = pub.row(area.level, row, tahun)
    return rows


BIG = families("K.0.1", 40, reached=0) + families("K.0.1", 60, "rich") + families("K.0.2", 50, reached=0)
BIG += (
    families("K.0.2", 30)
    + families("K.0.2", 70, "rich")
    + families("K.0.0", 30)
    + families("K.0.0", 60, "rich")
)


def test_counts_from_one_to_four_show_as_fewer_than_five_and_zero_and_large_counts_as_they_are():
    rows = published(BIG + families("K.0.0", 3, reached=0))
    assert rows["K.0.0"]["miskin_terjangkau"] == sc.SMALL
    assert rows["K.0.1"]["keluarga"] == 100
    assert rows["K.0.0"]["keluarga"] == 93


def test_money_and_program_counts_are_never_suppressed():
    rows = published(BIG + families("K.0.0", 3, reached=0))
    assert (rows["K.0.0"]["program"], rows["K.0.0"]["anggaran_rencana"], rows["K.0.0"]["realisasi"]) == (
        2,
        3,
        1,
    )


def test_gap_and_coverage_are_hidden_when_they_would_give_away_a_small_count():
    rows = published(BIG + families("K.0.0", 3, reached=0))
    assert rows["K.0.0"]["kesenjangan"] is None
    assert rows["K.0.0"]["cakupan"] is None
    assert rows["K.0.1"]["cakupan"] == 40 / 40 or rows["K.0.1"]["cakupan"] is None


def test_a_desa_row_publishes_only_families_poor_families_and_poor_reached():
    rows = published(BIG)
    assert set(rows["K.0.0"]) & set(sc.COUNTS) == set(sc.DESA_COUNTS)
    assert set(rows["K.0"]) >= set(sc.COUNTS)


def test_a_small_desa_count_is_never_left_recoverable_from_its_kecamatan():
    rows = published(BIG + families("K.0.0", 3, reached=0))
    kecamatan = rows["K.0"]["miskin_terjangkau"]
    others = [rows[k]["miskin_terjangkau"] for k in ("K.0.1", "K.0.2")]
    # With the kecamatan and both other desa shown, 3 would follow by subtraction.
    assert sc.is_hidden(kecamatan) or any(sc.is_hidden(v) for v in others)
