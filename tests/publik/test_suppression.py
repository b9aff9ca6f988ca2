"""The suppression choke point, rule by rule, then as a property over random tables."""

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from publik.suppression import FIGURES, SMALL, is_hidden, suppress_table

COUNTS = FIGURES.counts


def row(
    kode, *, keluarga=100, miskin=40, tanpa_desil=5, terjangkau=30, miskin_terjangkau=20, belum=10, **extra
):
    return {
        "kode": kode,
        "nama": kode,
        "keluarga": keluarga,
        "keluarga_miskin": miskin,
        "tanpa_desil": tanpa_desil,
        "terjangkau": terjangkau,
        "miskin_terjangkau": miskin_terjangkau,
        "cakupan": miskin_terjangkau / miskin if miskin else None,
        "miskin_belum_pernah": belum,
        "kesenjangan": miskin - miskin_terjangkau,
        "program": 2,
        "anggaran_rencana": 3_000_000,
        "realisasi": 1_000_000,
        **extra,
    }


def total_of(rows):
    total = {
        name: sum(r[name] for r in rows) for name in (*COUNTS, "program", "anggaran_rencana", "realisasi")
    }
    total["cakupan"] = (
        total["miskin_terjangkau"] / total["keluarga_miskin"] if total["keluarga_miskin"] else None
    )
    return total


def leaks(rows, total, published_rows, published_total):
    """Relations with exactly one hidden cell: each gives that cell away."""
    found = []
    for key, r in enumerate([*published_rows, published_total]):
        cells = [r["keluarga_miskin"], r["miskin_terjangkau"], r["kesenjangan"]]
        if sum(map(is_hidden, cells)) == 1:
            found.append(("row", key))
    for name in COUNTS:
        cells = [r[name] for r in published_rows] + [published_total[name]]
        if sum(map(is_hidden, cells)) == 1:
            found.append(("column", name))
    return found


def test_counts_from_one_to_four_show_as_less_than_five():
    rows = [row("a", tanpa_desil=3, terjangkau=4), row("b", tanpa_desil=1, terjangkau=8)]
    published, _ = suppress_table(rows)
    assert published[0]["tanpa_desil"] == SMALL
    assert published[0]["terjangkau"] == SMALL
    assert published[1]["tanpa_desil"] == SMALL


def test_zero_and_five_are_shown():
    published, _ = suppress_table([row("a", tanpa_desil=0, terjangkau=5)])
    assert published[0]["tanpa_desil"] == 0
    assert published[0]["terjangkau"] == 5


def test_money_and_program_counts_are_never_suppressed():
    published, _ = suppress_table([row("a", program=3, anggaran_rencana=2, realisasi=1)])
    assert (published[0]["program"], published[0]["anggaran_rencana"], published[0]["realisasi"]) == (3, 2, 1)


def test_gap_is_hidden_when_it_would_give_away_a_small_poor_reached_count():
    published, _ = suppress_table([row("a", miskin=40, miskin_terjangkau=3)])
    assert published[0]["miskin_terjangkau"] == SMALL
    assert published[0]["kesenjangan"] is None
    assert published[0]["keluarga_miskin"] == 40


def test_a_hidden_cell_in_a_column_with_a_total_hides_a_second_row_in_that_column():
    rows = [row("a", tanpa_desil=2), row("b", tanpa_desil=9), row("c", tanpa_desil=6)]
    published, total = suppress_table(rows, total_of(rows))
    assert [r["tanpa_desil"] for r in published] == [SMALL, 9, None]
    assert total["tanpa_desil"] == 17


def test_the_second_cell_is_the_smallest_other_count_never_the_total():
    rows = [row("a", terjangkau=3), row("b", terjangkau=50), row("c", terjangkau=20)]
    published, total = suppress_table(rows, total_of(rows))
    assert [r["terjangkau"] for r in published] == [SMALL, 50, None]
    assert total["terjangkau"] == 73


def test_coverage_is_null_when_either_count_is_hidden():
    rows = [row("a", miskin=30, miskin_terjangkau=2), row("b", miskin=3, miskin_terjangkau=0), row("c")]
    published, _ = suppress_table(rows)
    assert published[0]["cakupan"] is None
    assert published[1]["cakupan"] is None
    assert published[2]["cakupan"] == 0.5


def test_a_total_hidden_by_the_parent_table_stays_hidden_and_a_row_beside_it_too():
    rows = [row("a", terjangkau=30), row("b", terjangkau=40)]
    parent = {**total_of(rows), "terjangkau": None}
    published, total = suppress_table(rows, total_of(rows), fixed_total=parent)
    assert total["terjangkau"] is None
    assert [r["terjangkau"] for r in published] == [None, 40]


def test_year_independent_counts_are_hidden_alike_whatever_the_year_dependent_ones():
    base = [row("a", miskin=40, miskin_terjangkau=3), row("b", miskin=12, miskin_terjangkau=10)]
    other_year = [row("a", miskin=40, miskin_terjangkau=20), row("b", miskin=12, miskin_terjangkau=0)]
    one, _ = suppress_table(base, total_of(base))
    two, _ = suppress_table(other_year, total_of(other_year))
    for name in FIGURES.stable:
        assert [is_hidden(r[name]) for r in one] == [is_hidden(r[name]) for r in two]


def test_no_relation_is_left_with_a_single_hidden_cell_in_a_hand_made_table():
    rows = [
        row("a", keluarga=3, miskin=2, tanpa_desil=1, terjangkau=1, miskin_terjangkau=1, belum=1),
        row("b", keluarga=60, miskin=30, tanpa_desil=0, terjangkau=7, miskin_terjangkau=6, belum=20),
        row("c", keluarga=200, miskin=90, tanpa_desil=12, terjangkau=44, miskin_terjangkau=40, belum=33),
    ]
    total = total_of(rows)
    published, published_total = suppress_table(rows, total)
    assert leaks(rows, total, published, published_total) == []


@st.composite
def tables(draw):
    n = draw(st.integers(min_value=1, max_value=6))
    rows = []
    for i in range(n):
        keluarga = draw(st.integers(0, 60))
        miskin = draw(st.integers(0, keluarga))
        tanpa = draw(st.integers(0, keluarga - miskin))
        mt = draw(st.integers(0, miskin))
        terjangkau = draw(st.integers(mt, mt + (keluarga - miskin)))
        belum = draw(st.integers(0, miskin - mt))
        rows.append(
            row(
                str(i),
                keluarga=keluarga,
                miskin=miskin,
                tanpa_desil=tanpa,
                terjangkau=terjangkau,
                miskin_terjangkau=mt,
                belum=belum,
            )
        )
    return rows


@settings(max_examples=300, deadline=None)
@given(tables())
def test_any_table_shows_no_small_count_leaks_nothing_and_keeps_every_shown_figure(rows):
    total = total_of(rows)
    published, published_total = suppress_table(rows, total)
    for original, shown in itertools.chain(zip(rows, published, strict=True), [(total, published_total)]):
        for name in COUNTS:
            value = shown[name]
            assert value in (SMALL, None) or not 1 <= value <= 4
            if not is_hidden(value):
                assert value == original[name]
            if original[name] and 1 <= original[name] <= 4:
                assert value == SMALL
        if is_hidden(shown["keluarga_miskin"]) or is_hidden(shown["miskin_terjangkau"]):
            assert shown["cakupan"] is None
        else:
            assert shown["cakupan"] == original["cakupan"]
    assert leaks(rows, total, published, published_total) == []


@settings(max_examples=200, deadline=None)
@given(tables(), st.randoms(use_true_random=False))
def test_any_year_hides_the_same_year_independent_cells(rows, random):
    other_year = []
    for r in rows:
        mt = random.randint(0, r["keluarga_miskin"])
        other_year.append(
            row(
                r["kode"],
                keluarga=r["keluarga"],
                miskin=r["keluarga_miskin"],
                tanpa_desil=r["tanpa_desil"],
                terjangkau=mt,
                miskin_terjangkau=mt,
                belum=r["miskin_belum_pernah"],
            )
        )
    one, one_total = suppress_table(rows, total_of(rows))
    two, two_total = suppress_table(other_year, total_of(other_year))
    for name in FIGURES.stable:
        assert [r[name] for r in [*one, one_total]] == [r[name] for r in [*two, two_total]]
