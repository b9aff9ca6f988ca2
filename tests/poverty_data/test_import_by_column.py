"""Validation by column stages exactly what validation row by row does, and gives way to it for any block
that holds a row it does not take (a rejection, a repeat, a numeric cell, a NULL)."""

import random

import pytest

from poverty_data.importing import validation
from poverty_data.importing.validation import Validator
from poverty_data.models import Household, ImportBatch
from tests.poverty_data.files import (
    DTSEN_HEADER,
    Number,
    dtsen_row,
    import_file,
    kk,
    write_calc_xlsx,
    write_csv,
    write_xlsx,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

EXTRA = ["jenis_atap_terluas", "jenis_dinding_terluas", "jenis_lantai_terluas", "Sumber Air Minum"]
EXTRA += ["RUTILAHU", "PKH", "Jumlah ART", "DISABILITAS"]
HEADER = DTSEN_HEADER + EXTRA
# Fields as stored; ids, timestamps and batches differ between two imports of one file.
FIELDS = [
    field.name
    for field in Household._meta.concrete_fields
    if field.name not in {"id", "created_at", "updated_at", "first_batch", "last_batch"}
]


@pytest.fixture
def blocks(monkeypatch):
    """Blocks of 4 rows; how many of them validation took column by column."""
    monkeypatch.setattr(validation, "BLOCK", 4)
    taken = []
    by_column = Validator._by_column

    def counted(self, block):
        staged = by_column(self, block)
        taken.append(staged)
        return staged

    monkeypatch.setattr(Validator, "_by_column", counted)
    return taken


def varied_rows(count: int, seed: int = 7) -> list[list]:
    """Valid DTSEN rows with the values exports really hold: codes and words, flags in several spellings,
    desil written as numbers, words or not at all, names with spaces around them, rows without their last
    cells."""
    rng = random.Random(seed)
    rows = []
    for serial in range(1, count + 1):
        row = dtsen_row(
            serial,
            desil=rng.choice(["3", "3.0", "Desil 7", "", "10", 1]),
            name=rng.choice([f"  Kepala {serial} ", f"Kepala {serial}", "Panjang " * 30]),
        )
        row += [
            rng.choice(["1", "7", "Seng", ""]),
            rng.choice(["1", "4", ""]),
            rng.choice(["2", "8", "Tanah"]),
            rng.choice(["3", "9", "Sungai"]),
            rng.choice(["Ya", "TIDAK", "1", "2", "y", "", " Ya "]),
            rng.choice(["Ya", "Tidak", "ya", "0"]),
            rng.choice(["4", " 5 ", "", "3.0"]),
            rng.choice(["Ada", "Tidak", ""]),
        ]
        if rng.random() < 0.2:
            while row and row[-1] == "":
                row.pop()
        rows.append(row)
    return rows


def stored() -> list[tuple]:
    return list(Household.objects.order_by("no_kk").values_list(*FIELDS))


def outcome(result) -> tuple:
    return (
        result.created,
        result.rejected,
        result.unranked,
        result.summary,
        [(error.row, error.column, error.value, error.reason) for error in result.errors],
    )


def both_ways(path, monkeypatch, **options):
    """Import ``path`` validated row by row, then (into an emptied registry) column by column."""
    options.setdefault("source", "dtsen")
    options.setdefault("period", "2026-01")
    with monkeypatch.context() as patch:
        patch.setattr(Validator, "_by_column", lambda self, block: False)
        by_row = import_file(path, **options)
    rows = stored()
    Household.objects.all().delete()
    ImportBatch.objects.all().delete()
    by_column = import_file(path, **options)
    return (outcome(by_row), rows), (outcome(by_column), stored())


@pytest.mark.parametrize("name", ["f.xlsx", "f.csv"])
def test_valid_rows_are_staged_column_by_column_as_row_by_row(wilayah, tmp_path, monkeypatch, blocks, name):
    rows = [HEADER, *varied_rows(24)]
    path = write_xlsx(tmp_path / name, rows) if name.endswith("xlsx") else write_csv(tmp_path / name, rows)

    by_row, by_column = both_ways(path, monkeypatch)

    assert by_column == by_row
    assert blocks == [True] * 6
    assert by_row[0][:2] == (24, 0)
    households = Household.objects.all()
    assert {h.needs_house for h in households} == {True, False}
    assert {h.desil for h in households} >= {None, 1, 3, 7, 10}
    assert all(h.row_digest is not None for h in households)


def test_a_block_with_a_row_it_does_not_take_is_validated_row_by_row(wilayah, tmp_path, monkeypatch, blocks):
    rows = [HEADER, *varied_rows(24)]
    rows[2][12] = "11"  # block 1: a desil out of range
    rows[6][1] = rows[5][1]  # block 2: a No. KK repeated within the block
    rows[11][4] = "NULL"  # block 3: a database dump's NULL for an empty address
    rows[15][11] = "6299999999"  # block 4: a desa code of another regency
    rows[19][len(DTSEN_HEADER)] = "99"  # block 5: a housing code no table has
    rows[23][1] = kk(1)  # block 6: a No. KK of an earlier block
    path = write_xlsx(tmp_path / "f.xlsx", rows)

    by_row, by_column = both_ways(path, monkeypatch)

    assert by_column == by_row
    # Each of the six blocks fell back; the NULL row alone is valid, and its address is empty.
    assert blocks == [False] * 6
    assert Household.objects.get(no_kk=rows[11][1]).alamat == ""
    assert [error[0] for error in by_row[0][4]] == [3, 7, 16, 20, 24]
    assert by_row[0][:2] == (19, 5)


def test_identity_numbers_that_need_reading_are_read_row_by_row(wilayah, tmp_path, monkeypatch, blocks):
    rows = [HEADER, *varied_rows(12)]
    rows[1][1] = f"'{rows[1][1]}"  # block 1: the text marker before a No. KK
    rows[5][2] = f" {rows[5][2]}"  # block 2: a space before a NIK
    rows[9][1] = Number(rows[9][1][:15] + "0")  # block 3: a No. KK typed as a number
    path = write_calc_xlsx(tmp_path / "f.xlsx", rows)

    by_row, by_column = both_ways(path, monkeypatch)

    assert by_column == by_row
    assert blocks == [False] * 3
    assert [error[0] for error in by_row[0][4]] == [10]
    assert "written as a number" in by_row[0][4][0][3]


def test_the_rounding_check_counts_the_rows_taken_by_column(wilayah, tmp_path, monkeypatch, blocks):
    # A CSV keeps no cell types: a column of No. KK all ending in 0 is how Excel's rounding shows.
    rows = [HEADER, *varied_rows(24)]
    for serial, row in enumerate(rows[1:], start=1):
        row[1] = f"{6211050101900000 + serial * 10}"
    path = write_csv(tmp_path / "f.csv", rows)

    result = import_file(path, source="dtsen", period="2026-01")

    assert blocks == [True] * 6
    assert "24 of 24 values of No. KK end in 0" in result.refused
    assert not Household.objects.exists()
