"""A re-import recognises the rows it repeats unchanged by their fingerprint, and stays exactly as strict."""

import pytest

from poverty_data.importing.validation import Validator
from poverty_data.models import Household, HouseholdChange
from poverty_data.services import import_undo
from tests.poverty_data.files import (
    DTSEN_HEADER,
    dtsen_file,
    dtsen_row,
    import_file,
    kk,
    nik,
    write_xlsx,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

MINTIN = "6211052002"


@pytest.fixture
def validated(monkeypatch):
    """The No. KK of every row validation turns into a household, in order (row by row, or a block of them
    column by column)."""
    seen = []
    original = Validator._household
    by_column = Validator._by_column

    def household(self, cells, no_kk, number, fingerprint=None):
        seen.append(no_kk)
        return original(self, cells, no_kk, number, fingerprint)

    def block(self, rows):
        staged = by_column(self, rows)
        if staged:
            seen.extend(cells[self.i_kk] for _number, cells in rows)
        return staged

    monkeypatch.setattr(Validator, "_household", household)
    monkeypatch.setattr(Validator, "_by_column", block)
    return seen


def run(path, period="2026-01", source="dtsen", **kwargs):
    kwargs.setdefault("allow_mass_deactivation", True)
    return import_file(path, source=source, period=period, **kwargs)


@pytest.mark.parametrize("name", ["f.xlsx", "f.csv"])
def test_an_unchanged_file_is_imported_again_without_validating_a_row(wilayah, tmp_path, validated, name):
    path = dtsen_file(tmp_path / name, range(1, 6))
    run(path)
    assert len(validated) == 5
    assert Household.objects.filter(row_digest__isnull=True).count() == 0
    before = list(Household.objects.order_by("pk").values())

    again = run(path, period="2026-02")

    assert len(validated) == 5
    assert (again.created, again.updated, again.unchanged, again.deactivated, again.rejected) == (
        0,
        0,
        5,
        0,
        0,
    )
    assert list(Household.objects.order_by("pk").values()) == before
    assert again.desa_count == 1


def test_a_changed_row_is_validated_and_updated_and_then_recognised(wilayah, tmp_path, validated):
    run(dtsen_file(tmp_path / "a.xlsx", range(1, 5)))
    rows = [DTSEN_HEADER] + [dtsen_row(n) for n in range(1, 5)]
    rows[2][3] = "Nama Baru"
    changed = write_xlsx(tmp_path / "b.xlsx", rows)
    validated.clear()

    result = run(changed, period="2026-02")

    assert validated == [kk(2)]
    assert (result.updated, result.unchanged) == (1, 3)
    assert Household.objects.get(no_kk=kk(2)).nama_kepala == "Nama Baru"
    validated.clear()
    assert run(changed, period="2026-03").unchanged == 4
    assert validated == []


def test_a_column_no_field_reads_does_not_count(wilayah, tmp_path, validated):
    header = [*DTSEN_HEADER, "tanggal_ekspor"]
    run(write_xlsx(tmp_path / "a.xlsx", [header] + [[*dtsen_row(n), "2026-01-05"] for n in (1, 2)]))
    validated.clear()

    result = run(
        write_xlsx(tmp_path / "b.xlsx", [header] + [[*dtsen_row(n), "2026-04-02"] for n in (1, 2)]),
        period="2026-02",
    )

    assert (result.updated, result.unchanged) == (0, 2)
    assert validated == []


@pytest.mark.parametrize("changed_first", [True, False])
def test_a_repeated_no_kk_keeps_the_first_row_whichever_row_is_unchanged(wilayah, tmp_path, changed_first):
    run(dtsen_file(tmp_path / "a.xlsx", [1, 2]))
    same, changed = dtsen_row(1), dtsen_row(1, name="Ganti Nama")
    rows = [DTSEN_HEADER, *([changed, same] if changed_first else [same, changed]), dtsen_row(2)]

    result = run(write_xlsx(tmp_path / "b.xlsx", rows), period="2026-02")

    assert [(error.row, error.column) for error in result.errors] == [(3, "no_kk")]
    assert "row 2" in result.errors[0].reason
    expected = "Ganti Nama" if changed_first else "Kepala 1"
    assert Household.objects.get(no_kk=kk(1)).nama_kepala == expected
    assert (result.updated, result.unchanged) == ((1, 1) if changed_first else (0, 2))


def test_households_the_file_no_longer_lists_are_deactivated_only_in_the_desa_it_covers(wilayah, tmp_path):
    everyone = (
        [DTSEN_HEADER] + [dtsen_row(n) for n in (1, 2, 3)] + [dtsen_row(n, desa=MINTIN) for n in (4, 5)]
    )
    run(write_xlsx(tmp_path / "a.xlsx", everyone))
    one_desa = write_xlsx(tmp_path / "b.xlsx", [DTSEN_HEADER, dtsen_row(1), dtsen_row(2)])

    checked = run(one_desa, period="2026-02", dry_run=True)
    scoped = run(one_desa, period="2026-02")

    assert (checked.unchanged, checked.deactivated) == (scoped.unchanged, scoped.deactivated) == (2, 1)
    assert sorted(Household.objects.filter(is_active=False).values_list("no_kk", flat=True)) == [kk(3)]
    complete = run(one_desa, period="2026-03", complete=True)
    assert (complete.unchanged, complete.deactivated) == (2, 2)
    assert sorted(Household.objects.filter(is_active=True).values_list("no_kk", flat=True)) == [kk(1), kk(2)]


def test_a_no_kk_stored_as_a_number_is_refused_even_when_its_digits_are_those_imported_before(
    wilayah, tmp_path
):
    run(dtsen_file(tmp_path / "a.xlsx", [1, 2]))
    rows = [DTSEN_HEADER, dtsen_row(1), dtsen_row(2)]
    rows[1][1] = int(kk(1))  # the same digits, in a cell formatted as a number

    result = run(write_xlsx(tmp_path / "b.xlsx", rows), period="2026-02")

    assert [(error.row, error.column) for error in result.errors] == [(2, "no_kk")]
    assert "number" in result.errors[0].reason
    # As for any row whose No. KK cannot be read: its household counts as no longer listed.
    assert (result.unchanged, result.deactivated) == (1, 1)


def test_a_recipient_list_clears_the_fingerprint_so_the_family_file_sets_the_flag_again(wilayah, tmp_path):
    header = ["ID Keluarga P3KE", "Kode Kemendagri", "Desil Kesejahteraan", "Kepala Keluarga"]
    header += ["No. Kartu Keluarga", "NIK KEPALA KELUARGA", "Penerima PKH"]
    family = [header] + [[f"P{n}", "62.11.05.2001", 2, f"Kepala {n}", kk(n), nik(n), "Tidak"] for n in (1, 2)]
    path = write_xlsx(tmp_path / "p3ke.xlsx", family)
    run(path, source="p3ke")
    recipients = [["NO", "NMKEC", "NMKEL", "NOKK_DTKS", "NIK_KTP", "NAMA_PENERIMA"]]
    recipients.append([1, "KAHAYAN HILIR", "BUNTOI", kk(1), nik(1), "IBU 1"])
    run(write_xlsx(tmp_path / "pkh.xlsx", recipients), source="pkh", period="2026-Q1")
    assert Household.objects.get(no_kk=kk(1)).receives_pkh

    again = run(path, source="p3ke", period="2026-02")

    assert (again.updated, again.unchanged) == (1, 1)
    assert not Household.objects.get(no_kk=kk(1)).receives_pkh


def test_undo_restores_the_fingerprint_with_the_fields(wilayah, tmp_path):
    run(dtsen_file(tmp_path / "a.xlsx", [1, 2]))
    newer = write_xlsx(tmp_path / "b.xlsx", [DTSEN_HEADER, dtsen_row(1, name="Nama Baru"), dtsen_row(2)])
    applied = run(newer, period="2026-02")
    import_undo(batch=applied.batch)
    assert Household.objects.get(no_kk=kk(1)).nama_kepala == "Kepala 1"

    again = run(newer, period="2026-02")

    assert (again.updated, again.unchanged) == (1, 1)
    assert Household.objects.get(no_kk=kk(1)).nama_kepala == "Nama Baru"


def test_households_imported_before_fingerprints_take_one_on_their_next_import(wilayah, tmp_path, validated):
    path = dtsen_file(tmp_path / "a.xlsx", range(1, 4))
    run(path)
    Household.objects.update(row_digest=None)
    validated.clear()

    result = run(path, period="2026-02")

    assert (result.updated, result.unchanged) == (0, 3)
    assert len(validated) == 3
    assert Household.objects.filter(row_digest__isnull=True).count() == 0
    assert HouseholdChange.objects.filter(batch=result.batch).count() == 0
    validated.clear()
    run(path, period="2026-03")
    assert validated == []


def test_rows_without_their_last_cells_are_recognised_and_counted_unranked_again(
    wilayah, tmp_path, validated
):
    # openpyxl, like Excel, writes no cell for an empty value: the rows end before the desil column.
    rows = [DTSEN_HEADER] + [dtsen_row(n, desil=None) for n in (1, 2)] + [dtsen_row(3)]
    path = write_xlsx(tmp_path / "a.xlsx", rows)
    first = run(path)
    validated.clear()

    again = run(path, period="2026-02")

    assert validated == []
    assert first.unranked == again.unranked == 2
    assert again.unchanged == 3
