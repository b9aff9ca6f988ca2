"""The household import: reading real-looking files, validating values, applying atomically."""

import gc
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from poverty_data.importing import staging
from poverty_data.importing.validation import Validator
from poverty_data.models import Desa, Household, HouseholdChange, ImportBatch, Member
from poverty_data.services import imports as import_module
from tests.poverty_data.files import (
    DTKS_HEADER,
    DTSEN_HEADER,
    dtsen_file,
    dtsen_row,
    import_file,
    kk,
    nik,
    write_csv,
    write_xlsx,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def run(path: Path, source="dtsen", period="2026-01", **kwargs):
    # These tests use registries of a few households, where any deactivation is a "mass" one; the guard
    # has its own tests (test_import_scope.py).
    kwargs.setdefault("allow_mass_deactivation", True)
    return import_file(path, source=source, period=period, **kwargs)


def test_dtsen_xlsx_below_title_rows_creates_households(wilayah, dinsos, tmp_path):
    rows = [DTSEN_HEADER, dtsen_row(1, desil=3), dtsen_row(2, desil=1)]
    path = write_xlsx(tmp_path / "dtsen.xlsx", rows, title_rows=3)

    result = run(path, user=dinsos)

    assert result.applied
    assert (result.rows_read, result.created, result.rejected) == (2, 2, 0)
    household = Household.objects.get(no_kk=kk(1))
    assert household.nik_kepala == nik(1)
    assert household.nama_kepala == "Kepala 1"
    assert household.alamat == "Jl. Mawar No. 1"
    assert (household.rt, household.rw) == ("001", "002")
    assert household.desa.kode == "62.11.05.2001"
    assert household.desil == 3
    assert household.is_active
    assert household.source == ImportBatch.Source.DTSEN
    assert household.source_id == "K1"
    batch = result.batch
    assert batch.state == ImportBatch.State.APPLIED
    assert batch.created_by == dinsos
    assert len(batch.checksum) == 64
    assert batch.created_count == 2
    assert household.last_batch == batch
    assert household.first_batch == batch
    assert not household.changes.exists()


@pytest.mark.parametrize(
    ("delimiter", "encoding"), [(",", "utf-8"), (";", "utf-8-sig"), (";", "cp1252"), (",", "cp1252")]
)
def test_csv_with_either_delimiter_and_encoding_is_read(wilayah, tmp_path, delimiter, encoding):
    rows = [DTSEN_HEADER, dtsen_row(1, name="Siti Fāṭimah".replace("ā", "a").replace("ṭ", "t") + " Müller")]
    path = write_csv(tmp_path / "dtsen.csv", rows, delimiter=delimiter, encoding=encoding)

    result = run(path)

    assert result.created == 1, result.refused
    assert Household.objects.get().nama_kepala == "Siti Fatimah Müller"


def test_p3ke_aliases_are_matched_and_unknown_columns_listed(wilayah, tmp_path):
    header = [
        "ID Keluarga P3KE",
        "Provinsi",
        "Kecamatan",
        "Desa/Kelurahan",
        "Kode Kemendagri",
        "Desil Kesejahteraan",
        "Alamat",
        "Kepala Keluarga",
        "No. Kartu Keluarga",
        "NIK KEPALA KELUARGA",
        "Penerima PKH",
        "Jenis Atap",
        "Jenis Dinding",
        "Jenis Lantai",
        "Sumber Air Minum",
        "Memiliki Fasilitas Buang Air Besar",
        "Warna Rumah",
    ]
    row = [
        "P1",
        "KALTENG",
        "KAHAYAN HILIR",
        "BUNTOI",
        "62.11.05.2001",
        "Desil 1",
        "RT 01",
        "Ahmad",
        kk(1),
        nik(1),
        "Ya",
        "Jerami/ijuk/daun/rumbia",
        "Bambu",
        "Tanah",
        "Sungai/danau/waduk",
        "Tidak",
        "hijau",
    ]
    path = write_xlsx(tmp_path / "p3ke.xlsx", [header, row])

    result = run(path, source="p3ke")

    assert result.created == 1, (result.refused, result.errors)
    assert result.unknown_columns == ["Warna Rumah"]
    household = Household.objects.get()
    assert household.desil == 1
    assert household.nama_kepala == "Ahmad"
    assert household.receives_pkh is True
    assert household.source_id == "P1"
    assert (household.needs_house, household.needs_water, household.needs_toilet) == (True, True, True)
    assert household.needs_count == 3


def test_header_names_match_ignoring_case_spaces_and_punctuation(wilayah, tmp_path):
    header = ["  nomor kk ", "Nomor-NIK", "nama kepala keluarga", "KODE DESA", "desil"]
    path = write_xlsx(tmp_path / "f.xlsx", [header, [kk(1), nik(1), "Ani", "6211052001", 2]])

    assert run(path).created == 1


@pytest.mark.parametrize("value", ["12345", "62110501019000031", "6211O50101900003"])
def test_identity_numbers_must_have_16_digits(wilayah, tmp_path, value):
    row = dtsen_row(1)
    row[2] = value
    result = run(
        dtsen_file(tmp_path / "f.csv", []) if False else write_csv(tmp_path / "f.csv", [DTSEN_HEADER, row])
    )

    assert result.rejected == 1
    assert result.errors[0].column == "nik"
    assert not Household.objects.exists()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("3", 3), ("3.0", 3), ("Desil 3", 3), ("DESIL 10", 10), (" 1 ", 1), (2, 2), (4.0, 4)],
)
def test_desil_spellings(wilayah, tmp_path, raw, expected):
    path = write_xlsx(tmp_path / "d.xlsx", [DTSEN_HEADER, dtsen_row(1, desil=raw)])

    run(path)

    assert Household.objects.get().desil == expected


@pytest.mark.parametrize("raw", ["0", "11", "3.5", "tinggi"])
def test_invalid_desil_is_a_row_error_for_dtsen(wilayah, tmp_path, raw):
    path = write_xlsx(tmp_path / "d.xlsx", [DTSEN_HEADER, dtsen_row(1, desil=raw), dtsen_row(2)])

    result = run(path)

    assert [error.row for error in result.errors] == [2]
    assert result.errors[0].column == "desil_nasional"
    assert Household.objects.count() == 1


@pytest.mark.parametrize("raw", ["", "NULL", "-", "null"])
def test_family_without_desil_is_kept_unranked_and_counted(wilayah, tmp_path, raw):
    path = write_xlsx(tmp_path / "d.xlsx", [DTSEN_HEADER, dtsen_row(1, desil=raw), dtsen_row(2)])

    result = run(path)

    assert (result.created, result.rejected, result.unranked) == (2, 0, 1)
    assert result.batch.unranked_count == 1
    assert Household.objects.get(no_kk=kk(1)).desil is None


def test_other_source_without_desil_leaves_household_unranked(wilayah, tmp_path):
    header = ["NO KK", "NIK", "NAMA KEPALA KELUARGA", "ID WILAYAH", "DESIL"]
    path = write_csv(tmp_path / "o.csv", [header, [kk(1), nik(1), "Ani", "6211052001", ""]])

    run(path, source="other")

    assert Household.objects.get().desil is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Ya", True),
        ("Y", True),
        ("1", True),
        ("TRUE", True),
        ("ya ", True),
        ("Tidak", False),
        ("-", False),
        ("", False),
        ("0", False),
        ("T", False),
        ("FALSE", False),
    ],
)
def test_yes_no_flags_in_their_usual_spellings(wilayah, tmp_path, raw, expected):
    header = [*DTSEN_HEADER, "PKH"]
    path = write_csv(tmp_path / "f.csv", [header, [*dtsen_row(1), raw]])

    result = run(path)

    assert result.created == 1, result.errors
    assert Household.objects.get().receives_pkh is expected


def test_unreadable_flag_is_a_row_error(wilayah, tmp_path):
    header = [*DTSEN_HEADER, "PKH"]
    path = write_csv(tmp_path / "f.csv", [header, [*dtsen_row(1), "mungkin"]])

    result = run(path)

    assert result.errors[0].column == "PKH"
    assert not Household.objects.exists()


@pytest.mark.parametrize(
    ("code", "name", "kecamatan", "expected"),
    [
        ("62.11.05.2001", "", "", "62.11.05.2001"),
        ("6211052001", "", "", "62.11.05.2001"),
        ("", "BUNTOI", "Kahayan Hilir", "62.11.05.2001"),
        ("", "Ds. Buntoi", "KAHAYAN  HILIR", "62.11.05.2001"),
        ("", "Desa Anjir  Pulang-Pisau", "Kahayan Hilir", "62.11.05.2004"),
        ("", "Sungai Baru Tewu", "Maliku", "62.11.06.2005"),
        ("", "Papuyu II Sungai Barunai", "Kec. Kahayan Kuala", "62.11.02.2002"),
        ("", "Sei. Rungun", "Kahayan Kuala", "62.11.02.2006"),
        ("", "Kel. Pulang Pisau", "", "62.11.05.1005"),
    ],
)
def test_desa_found_by_code_or_by_name_within_kecamatan(wilayah, tmp_path, code, name, kecamatan, expected):
    row = dtsen_row(1, desa=code, desa_name=name)
    row[9] = kecamatan
    path = write_csv(tmp_path / "f.csv", [DTSEN_HEADER, row])

    result = run(path)

    assert result.created == 1, result.errors
    assert Household.objects.get().desa.kode == expected


@pytest.mark.parametrize(
    ("code", "name", "kecamatan"),
    [
        ("6211992001", "", ""),
        ("", "Buntoi", "Maliku"),
        ("", "Atlantis", "Kahayan Hilir"),
        ("", "Buntoi", "Xyz"),
        ("", "", ""),
    ],
)
def test_unknown_desa_is_a_row_error(wilayah, tmp_path, code, name, kecamatan):
    row = dtsen_row(1, desa=code, desa_name=name)
    row[9] = kecamatan
    result = run(write_csv(tmp_path / "f.csv", [DTSEN_HEADER, row, dtsen_row(2)]))

    assert [error.row for error in result.errors] == [2]
    assert Household.objects.count() == 1


def test_a_desa_written_under_the_wrong_kecamatan_is_a_row_error_naming_both(wilayah, tmp_path):
    row = dtsen_row(1, desa="", desa_name="Buntoi")
    row[9] = "Maliku"
    missing = dtsen_row(3, desa="", desa_name="Atlantis")
    result = run(write_csv(tmp_path / "f.csv", [DTSEN_HEADER, row, dtsen_row(2), missing]))

    assert [(error.row, error.column, error.value, error.reason) for error in result.errors] == [
        (
            2,
            "kelurahan",
            "Buntoi",
            "Desa “Buntoi” is not in Kecamatan Maliku; that desa is in Kecamatan Kahayan Hilir. Correct the "
            "desa or the kecamatan.",
        ),
        (
            4,
            "kelurahan",
            "Atlantis",
            "Desa “Atlantis” is not in Kecamatan Kahayan Hilir, nor anywhere else in this regency.",
        ),
    ]
    assert list(Household.objects.values_list("no_kk", flat=True)) == [kk(2)]


def test_duplicate_no_kk_first_row_wins_and_the_other_is_reported(wilayah, tmp_path):
    path = write_xlsx(
        tmp_path / "f.xlsx",
        [DTSEN_HEADER, dtsen_row(1, name="Pertama"), dtsen_row(2), dtsen_row(1, name="Kedua")],
    )

    result = run(path)

    assert Household.objects.get(no_kk=kk(1)).nama_kepala == "Pertama"
    assert [(error.row, error.column) for error in result.errors] == [(4, "no_kk")]
    assert "row 2" in result.errors[0].reason


def test_same_file_twice_changes_nothing(wilayah, tmp_path):
    path = dtsen_file(tmp_path / "f.xlsx", range(1, 6))
    first = run(path)
    before = list(Household.objects.order_by("pk").values())

    second = run(path)

    assert (first.created, second.created, second.updated, second.unchanged, second.deactivated) == (
        5,
        0,
        0,
        5,
        0,
    )
    assert list(Household.objects.order_by("pk").values()) == before
    assert HouseholdChange.objects.filter(batch=second.batch).count() == 0


def test_changed_rows_are_updated_and_recorded(wilayah, tmp_path):
    run(dtsen_file(tmp_path / "a.xlsx", [1, 2]))
    rows = [DTSEN_HEADER, dtsen_row(1, desil=3), dtsen_row(2, desil=1)]
    rows[1][4] = "Jl. Baru"

    result = run(write_xlsx(tmp_path / "b.xlsx", rows), period="2026-02")

    assert (result.created, result.updated, result.unchanged) == (0, 2, 0)
    assert Household.objects.get(no_kk=kk(1)).alamat == "Jl. Baru"
    assert Household.objects.get(no_kk=kk(2)).desil == 1
    household = Household.objects.get(no_kk=kk(2))
    assert list(household.changes.values_list("kind", flat=True)) == [HouseholdChange.Kind.UPDATED]
    assert household.first_batch != household.last_batch == result.batch


def test_newer_period_deactivates_missing_households_without_deleting(wilayah, tmp_path):
    run(dtsen_file(tmp_path / "a.xlsx", [1, 2, 3]), period="2026-01")

    result = run(dtsen_file(tmp_path / "b.xlsx", [1, 2, 4]), period="2026-02")

    assert (result.created, result.unchanged, result.deactivated) == (1, 2, 1)
    gone = Household.objects.get(no_kk=kk(3))
    assert gone.is_active is False
    assert gone.changes.filter(kind=HouseholdChange.Kind.DEACTIVATED, batch=result.batch).exists()
    assert Household.objects.count() == 4
    assert Household.objects.active().count() == 3


def test_a_household_back_in_the_file_is_reactivated(wilayah, tmp_path):
    run(dtsen_file(tmp_path / "a.xlsx", [1, 2]), period="2026-01")
    run(dtsen_file(tmp_path / "b.xlsx", [1]), period="2026-02")

    result = run(dtsen_file(tmp_path / "c.xlsx", [1, 2]), period="2026-03")

    assert result.updated == 1
    assert Household.objects.get(no_kk=kk(2)).is_active


def test_other_sources_households_are_not_deactivated(wilayah, tmp_path):
    run(dtsen_file(tmp_path / "a.xlsx", [1]), source="p3ke", period="2026-01")

    result = run(dtsen_file(tmp_path / "b.xlsx", [2]), source="dtsen", period="2026-02")

    assert result.deactivated == 0
    assert Household.objects.get(no_kk=kk(1)).is_active


def test_household_on_a_rejected_row_is_not_deactivated(wilayah, tmp_path):
    run(dtsen_file(tmp_path / "a.xlsx", [1, 2]), period="2026-01")

    result = run(
        write_xlsx(tmp_path / "b.xlsx", [DTSEN_HEADER, dtsen_row(1), dtsen_row(2, desil=77)]),
        period="2026-02",
    )

    assert (result.rejected, result.deactivated) == (1, 0)
    assert Household.objects.get(no_kk=kk(2)).is_active


def test_older_period_of_the_same_source_is_refused(wilayah, tmp_path):
    run(dtsen_file(tmp_path / "a.xlsx", [1]), period="Maret 2026")

    result = run(dtsen_file(tmp_path / "b.xlsx", [2]), period="2026-01")

    assert result.batch.state == ImportBatch.State.REFUSED
    assert "older" in result.refused
    assert not Household.objects.filter(no_kk=kk(2)).exists()


def dtks_row(no_kk, member_nik, name, relation, born="01-01-1980", pkh="Tidak", desa="BUNTOI"):
    return [
        "D1",
        "KALTENG",
        "PULANG PISAU",
        "KAHAYAN HILIR",
        desa,
        "Jl. Sawit",
        no_kk,
        member_nik,
        name,
        born,
        relation,
        pkh,
        "Tidak",
    ]


def test_dtks_per_person_rows_become_households_with_members(wilayah, tmp_path):
    rows = [
        DTKS_HEADER,
        dtks_row(kk(1), nik(11), "Anak Satu", "Anak", born="2024-05-05"),
        dtks_row(kk(1), nik(10), "Bapak Satu", "Kepala Keluarga"),
        dtks_row(kk(2), nik(20), "Ibu Dua", "KEPALA KELUARGA", born="12/03/1950", pkh="Ya"),
        dtks_row(kk(1), nik(12), "Ibu Satu", "Istri", pkh="Y"),
    ]
    result = run(write_xlsx(tmp_path / "dtks.xlsx", rows), source="dtks")

    assert (result.created, result.rejected) == (2, 0), result.errors
    first = Household.objects.get(no_kk=kk(1))
    assert (first.nik_kepala, first.nama_kepala, first.member_count) == (nik(10), "Bapak Satu", 3)
    assert first.desil is None
    assert first.receives_pkh is True
    assert first.has_toddler is True
    assert first.has_elderly is False
    assert set(first.members.values_list("nik", flat=True)) == {nik(10), nik(11), nik(12)}
    assert first.members.get(nik=nik(11)).hubungan == "Anak"
    second = Household.objects.get(no_kk=kk(2))
    assert second.has_elderly is True
    assert Member.objects.count() == 4


def test_dtks_reimport_keeps_desil_from_dtsen_and_syncs_members(wilayah, tmp_path):
    run(dtsen_file(tmp_path / "a.xlsx", [1], desil=2))
    rows = [
        DTKS_HEADER,
        dtks_row(kk(1), nik(1), "Kepala 1", "Kepala Keluarga"),
        dtks_row(kk(1), nik(5), "A", "Anak"),
    ]
    run(write_xlsx(tmp_path / "b.xlsx", rows), source="dtks")
    rows = [
        DTKS_HEADER,
        dtks_row(kk(1), nik(1), "Kepala 1", "Kepala Keluarga"),
        dtks_row(kk(1), nik(6), "B", "Anak"),
    ]

    run(write_xlsx(tmp_path / "c.xlsx", rows), source="dtks")

    household = Household.objects.get()
    assert household.desil == 2
    assert sorted(household.members.values_list("nama", flat=True)) == ["B", "Kepala 1"]


def test_dtks_family_without_head_or_with_two_heads_is_reported(wilayah, tmp_path):
    rows = [
        DTKS_HEADER,
        dtks_row(kk(1), nik(10), "Anak", "Anak"),
        dtks_row(kk(2), nik(20), "Kepala A", "Kepala Keluarga"),
        dtks_row(kk(2), nik(21), "Kepala B", "Kepala Keluarga"),
        dtks_row(kk(2), nik(20), "Kembar", "Anak"),
    ]
    result = run(write_xlsx(tmp_path / "dtks.xlsx", rows), source="dtks")

    assert not Household.objects.exists()
    assert sorted(error.row for error in result.errors) == [2, 3, 4, 5]
    reasons = {error.row: error.reason for error in result.errors}
    assert "No row of this No. KK is the head" in reasons[2]
    assert "2 heads of family (rows 3, 4)" in reasons[3]
    assert reasons[3] == reasons[4]
    assert "NIK already on row 3" in reasons[5]


def test_dry_run_counts_but_changes_nothing(wilayah, tmp_path):
    run(dtsen_file(tmp_path / "a.xlsx", [1, 2]), period="2026-01")

    result = run(dtsen_file(tmp_path / "b.xlsx", [2, 3], desil=5), period="2026-02", dry_run=True)

    assert result.batch.state == ImportBatch.State.VALIDATED
    assert (result.created, result.updated, result.deactivated) == (1, 1, 1)
    assert set(Household.objects.values_list("no_kk", "desil", "is_active")) == {
        (kk(1), 3, True),
        (kk(2), 3, True),
    }


def test_strict_refuses_the_whole_file_on_one_invalid_row(wilayah, tmp_path):
    path = write_xlsx(tmp_path / "f.xlsx", [DTSEN_HEADER, dtsen_row(1), dtsen_row(2, desil="x")])

    result = run(path, strict=True)

    assert result.batch.state == ImportBatch.State.REFUSED
    assert "Row 3" in result.refused
    assert not Household.objects.exists()


def test_missing_required_columns_refuse_the_file_and_say_which(wilayah, tmp_path):
    path = write_csv(tmp_path / "f.csv", [["NO KK", "NIK", "ALAMAT", "RT"], [kk(1), nik(1), "x", "1"]])

    result = run(path)

    assert result.batch.state == ImportBatch.State.REFUSED
    assert "NAMA KEPALA KELUARGA" in result.refused
    assert "DESA/KELURAHAN" in result.refused
    assert "DESIL" in result.refused


def test_crash_while_applying_leaves_the_registry_as_it_was(wilayah, tmp_path, monkeypatch):
    run(dtsen_file(tmp_path / "a.xlsx", [1, 2]), period="2026-01")
    before = list(Household.objects.order_by("pk").values())
    original = import_module._finish

    def crash(batch, result, state, started, message=""):
        if state == ImportBatch.State.APPLIED:
            raise RuntimeError("killed")
        return original(batch, result, state, started, message)

    monkeypatch.setattr(import_module, "_finish", crash)

    with pytest.raises(RuntimeError):
        run(dtsen_file(tmp_path / "b.xlsx", [2, 3], desil=9), period="2026-02")

    assert list(Household.objects.order_by("pk").values()) == before
    assert not Household.objects.filter(no_kk=kk(3)).exists()
    assert ImportBatch.objects.order_by("-pk").first().state == ImportBatch.State.FAILED


def test_command_applies_and_prints_the_summary(wilayah, tmp_path, capsys):
    path = write_xlsx(tmp_path / "f.xlsx", [DTSEN_HEADER, dtsen_row(1), dtsen_row(2, desil="x")])
    out = tmp_path / "errors.xlsx"

    call_command(
        "import_households", str(path), "--source", "dtsen", "--period", "2026-01", "--errors", str(out)
    )

    printed = capsys.readouterr().out
    assert "Created:      1" in printed
    assert "Rejected:     1" in printed
    assert "rows/s" in printed
    sheet = load_workbook(out).active
    assert [cell.value for cell in sheet[2]][:3] == [3, "desil_nasional", "x"]


def test_command_dry_run_exits_zero_and_changes_nothing(wilayah, tmp_path, capsys):
    call_command(
        "import_households",
        str(dtsen_file(tmp_path / "f.xlsx", [1])),
        "--source",
        "dtsen",
        "--period",
        "2026-01",
        "--dry-run",
    )

    assert "Created:      1" in capsys.readouterr().out
    assert not Household.objects.exists()


def test_command_exits_non_zero_when_the_file_is_refused(wilayah, tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("hello\nworld\n")

    with pytest.raises(CommandError, match="No header row"):
        call_command("import_households", str(path), "--source", "dtsen", "--period", "2026-01")


def test_command_strict_exits_non_zero_on_an_invalid_row(wilayah, tmp_path):
    path = write_xlsx(tmp_path / "f.xlsx", [DTSEN_HEADER, dtsen_row(1), dtsen_row(2, desil="x")])

    with pytest.raises(CommandError, match="with --strict nothing is imported"):
        call_command("import_households", str(path), "--source", "dtsen", "--period", "2026-01", "--strict")
    assert not Household.objects.exists()


def test_desa_model_is_untouched_by_imports(wilayah, tmp_path):
    count = Desa.objects.count()
    run(dtsen_file(tmp_path / "f.xlsx", [1]))
    assert Desa.objects.count() == count


def test_files_larger_than_one_chunk_are_applied_chunk_by_chunk(wilayah, tmp_path, monkeypatch):
    monkeypatch.setattr(staging, "STAGE_BATCH", 3)
    run(dtsen_file(tmp_path / "a.xlsx", range(1, 11)), period="2026-01")
    rows = [DTSEN_HEADER] + [dtsen_row(n, desil=1 if n in (4, 9) else 3) for n in range(2, 13)]
    rows.append(dtsen_row(5))  # duplicate in a later chunk: rejected

    result = run(write_xlsx(tmp_path / "b.xlsx", rows), period="2026-02")

    assert (result.created, result.updated, result.unchanged, result.deactivated) == (2, 2, 7, 1)
    assert [error.row for error in result.errors] == [13]
    assert not Household.objects.get(no_kk=kk(1)).is_active
    assert Household.objects.filter(desil=1).count() == 2
    assert HouseholdChange.objects.filter(batch=result.batch).count() == 3


def test_a_first_import_stores_households_as_an_import_into_a_filled_registry_does(
    wilayah, tmp_path, monkeypatch
):
    # On PostgreSQL a file going into an empty registry is copied straight into the household table; into a
    # registry that holds anything it goes through the staging table. Both must store the same households.
    monkeypatch.setattr(staging, "STAGE_BATCH", 2)
    header = ["ID Keluarga P3KE", "Kode Kemendagri", "Desil Kesejahteraan", "Alamat", "Kepala Keluarga"]
    header += ["No. Kartu Keluarga", "NIK KEPALA KELUARGA", "Penerima PKH", "Jenis Atap", "Sumber Air Minum"]
    header += ["Jenis Dinding", "Jenis Lantai"]
    rows = [header]
    for serial, (roof, water) in enumerate(
        [("Genteng", "Air kemasan"), ("Jerami/ijuk/daun/rumbia", "Sungai/danau/waduk"), ("Seng", "Sumur bor")]
        * 2,
        start=1,
    ):
        rows.append(
            [f"P{serial}", "62.11.05.2001", serial % 4 + 1, f"Jl. A\\{serial}\tB", f"Kepala {serial}"]
        )
        rows[-1] += [kk(serial), nik(serial), "Ya" if serial % 2 else "Tidak", roof, water]
        rows[-1] += ["Bambu", "Tanah"] if roof.startswith("Jerami") else ["Tembok", "Keramik"]
    path = write_xlsx(tmp_path / "p3ke.xlsx", rows)
    fields = ["no_kk", "nik_kepala", "nama_kepala", "alamat", "desa_id", "desil", "source", "source_id"]
    fields += [
        "receives_pkh",
        "roof",
        "drinking_water",
        "needs_house",
        "needs_water",
        "needs_count",
        "is_active",
    ]

    def stored(batch):
        households = Household.objects.filter(first_batch=batch, last_batch=batch)
        assert all(h.created_at == h.updated_at for h in households)
        return list(households.order_by("no_kk").values_list(*fields))

    first = run(path, source="p3ke")
    assert (first.created, first.rejected) == (6, 0), first.errors
    assert first.summary == [["62.11.05", "Kahayan Hilir", 6, 0, 0]]
    into_empty = stored(first.batch)
    assert len(into_empty) == 6
    assert {row[fields.index("needs_count")] for row in into_empty} == {0, 2}
    Household.objects.all().delete()
    run(dtsen_file(tmp_path / "other.xlsx", [99]))

    second = run(path, source="p3ke", period="2026-02")

    assert (second.created, second.rejected) == (6, 0)
    assert stored(second.batch) == into_empty


def test_a_failure_in_the_writer_rolls_everything_back(wilayah, tmp_path, monkeypatch):
    monkeypatch.setattr(staging, "STAGE_BATCH", 2)
    original = staging.Stage._chunk
    calls = []

    def failing(self, cursor, rows):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return original(self, cursor, rows)

    monkeypatch.setattr(staging.Stage, "_chunk", failing)

    with pytest.raises(RuntimeError, match="disk full"):
        run(dtsen_file(tmp_path / "a.xlsx", range(1, 11)))

    assert not Household.objects.exists()
    assert not HouseholdChange.objects.exists()
    assert ImportBatch.objects.get().state == ImportBatch.State.FAILED


def test_the_garbage_collector_is_paused_while_reading_and_runs_again_after(wilayah, tmp_path, monkeypatch):
    # The worker process imports one file after another: whatever happens, it must not be left without
    # its garbage collector.
    states = []
    original = Validator.row

    def row(self, number, cells):
        states.append(gc.isenabled())
        if cells[3] == "Kepala 5":
            raise RuntimeError("disk full")
        return original(self, number, cells)

    monkeypatch.setattr(Validator, "row", row)
    assert gc.isenabled()

    run(dtsen_file(tmp_path / "a.xlsx", range(1, 4)))
    assert states == [False] * 3
    assert gc.isenabled()

    with pytest.raises(RuntimeError, match="disk full"):
        run(dtsen_file(tmp_path / "b.xlsx", range(4, 7)), period="2026-02")
    assert states == [False] * 5
    assert gc.isenabled()


def test_text_with_tabs_backslashes_and_line_breaks_is_stored_as_written(wilayah, tmp_path):
    row = dtsen_row(1, name="Ali\\Baba")
    row[4] = "Jl. Mawar\tNo. 1\nRT 2"
    run(write_csv(tmp_path / "f.csv", [DTSEN_HEADER, row]))

    household = Household.objects.get()
    assert household.nama_kepala == "Ali\\Baba"
    assert household.alamat == "Jl. Mawar\tNo. 1\nRT 2"


def test_excel_shared_strings_and_rich_text_are_read(wilayah, tmp_path):
    from tests.poverty_data.files import write_raw_xlsx

    strings = ["no_kk", "nik", "nama_kepala_keluarga", "id_wilayah", "desil_nasional", kk(1), nik(1)]
    shared = (
        '<?xml version="1.0" encoding="UTF-8"?><sst>'
        + "".join(f"<si><t>{text}</t></si>" for text in strings)
        + '<si><r><rPr><b/></rPr><t>Siti </t></r><r><t xml:space="preserve">&amp; Co</t></r></si></sst>'
    )
    header = "".join(f'<c r="{chr(65 + i)}1" t="s"><v>{i}</v></c>' for i in range(5))
    data = (
        '<c r="A2" s="1" t="s"><v>5</v></c><c r="B2" t="s"><v>6</v></c><c r="C2" t="s"><v>7</v></c>'
        '<c r="D2" t="n"><v>6211052001</v></c><c r="E2"><v>2</v></c>'
    )
    sheet = [
        f'<worksheet><sheetData><row r="1">{header}</row><row r="2">{data}</row></sheetData></worksheet>'
    ]
    result = run(write_raw_xlsx(tmp_path / "excel.xlsx", sheet, shared_strings=shared))

    assert result.created == 1, (result.refused, result.errors)
    household = Household.objects.get()
    assert (household.no_kk, household.nama_kepala, household.desil) == (kk(1), "Siti & Co", 2)


def test_a_column_excel_rounded_to_numbers_ending_in_0_is_refused(wilayah, tmp_path):
    # Excel keeps 15 significant digits: a No. KK column stored as numbers ends in 0 everywhere, and a CSV
    # file saved from it keeps no cell type that would tell (numeric cells of a workbook: see
    # test_import_identity.py).
    rows = [DTSEN_HEADER]
    for serial in range(1, 31):
        row = dtsen_row(serial)
        row[1] = str(int(row[1]) // 10 * 10)
        rows.append(row)
    result = run(write_csv(tmp_path / "rounded.csv", rows))
    assert result.refused
    assert "No. KK" in result.refused and "30" in result.refused
    assert not Household.objects.exists()


def test_genuine_numbers_ending_in_0_are_kept(wilayah, tmp_path):
    # One in ten real serials ends in 0: such a column is not taken for one Excel rounded.
    rows = [DTSEN_HEADER] + [dtsen_row(serial) for serial in range(1, 41)]
    result = run(write_csv(tmp_path / "exact.csv", rows))
    assert not result.refused
    assert Household.objects.count() == 40
    assert Household.objects.filter(no_kk=f"621105010190{10:04d}").exists()


def test_a_member_count_no_number_can_hold_is_a_row_error(wilayah, tmp_path):
    rows = [[*DTSEN_HEADER, "Jumlah ART"], [*dtsen_row(1), "inf"], [*dtsen_row(2), "4"]]

    result = run(write_xlsx(tmp_path / "f.xlsx", rows))

    assert result.created == 1
    assert [(error.row, error.value, error.reason) for error in result.errors] == [
        (2, "inf", "The number of members is not a number.")
    ]


def test_a_desil_no_number_can_hold_is_a_row_error_and_nan_is_unranked(wilayah, tmp_path):
    rows = [DTSEN_HEADER, dtsen_row(1, desil="inf"), dtsen_row(2, desil="nan"), dtsen_row(3, desil="1e999")]

    result = run(write_xlsx(tmp_path / "f.xlsx", rows))

    assert (result.created, result.unranked) == (1, 1)
    assert [(error.row, error.value) for error in result.errors] == [(2, "inf"), (4, "1e999")]
    assert Household.objects.get().desil is None
