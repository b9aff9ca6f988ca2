"""Every identity number imported is exact: a NIK or No. KK that Excel or Calc kept as a number is a row error.

Excel and LibreOffice Calc keep 15 significant digits of a number: ``6211051505800013`` typed into a cell
formatted as a number is stored as ``6211051505800010``, and a No. KK shown as ``6.21105E+15`` is saved into
a CSV file as just that. The files below are written the way those programs save them.
"""

import pytest
from django.core.management import call_command
from django.utils import translation
from openpyxl import load_workbook

from poverty_data.importing.values import ValueError_, parse_identity
from poverty_data.models import Household, Member
from tests.poverty_data.factories import HouseholdFactory
from tests.poverty_data.files import (
    DTKS_HEADER,
    DTSEN_HEADER,
    Number,
    dtsen_row,
    import_file,
    kk,
    nik,
    write_calc_xlsx,
    write_xlsx,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

FIX = "Format the column as Text and type the number again."


def run(path, source="dtsen", period="2026-01", **kwargs):
    kwargs.setdefault("allow_mass_deactivation", True)
    return import_file(path, source=source, period=period, **kwargs)


def errors_by_row(result) -> dict[int, tuple[str, str, str]]:
    return {error.row: (error.column, error.value, error.reason) for error in result.errors}


def stored_identities() -> set[str]:
    return set(Household.objects.values_list("no_kk", flat=True)) | set(
        Household.objects.values_list("nik_kepala", flat=True)
    )


def test_identity_cells_excel_stored_as_numbers_are_row_errors_naming_the_column_and_the_fix(
    wilayah, tmp_path
):
    rows = [DTSEN_HEADER] + [dtsen_row(serial) for serial in range(1, 6)]
    rows[2][1] = int(kk(2))  # a number whose 16 digits survived: nothing in the cell says so
    rows[3][2] = float(nik(3))
    rows[4][1] = 6211051505800010  # 6211051505800013 typed into a number cell
    rows[5][2] = 6.21105e15  # a NIK typed as a number and shown as 6.21105E+15
    path = write_xlsx(tmp_path / "excel.xlsx", rows)

    result = run(path)

    errors = errors_by_row(result)
    assert sorted(errors) == [3, 4, 5, 6]
    assert [errors[row][0] for row in (3, 4, 5, 6)] == ["no_kk", "nik", "no_kk", "nik"]
    for column, _value, reason in errors.values():
        assert reason.startswith(f"{'No. KK' if column == 'no_kk' else 'NIK'} is written as a number")
        assert "Excel keeps only 15 significant digits" in reason and FIX in reason
    assert "(6211051505800010)" in errors[5][2]
    assert "(6211050000000000)" in errors[6][2]
    # The other rows still import, and nothing a spreadsheet may have rounded is stored.
    assert result.created == 1
    assert stored_identities() == {kk(1), nik(1)}


def test_a_numeric_cell_as_libreoffice_calc_writes_it_is_a_row_error_and_a_text_cell_is_kept(
    wilayah, tmp_path
):
    rows = [DTSEN_HEADER] + [dtsen_row(serial) for serial in range(1, 5)]
    rows[1][1] = "6211051505800013"  # a text cell: exact, whatever its last digit
    rows[2][1] = Number("6.21105150580001E+15")
    rows[3][1] = Number("6211051505800010")
    rows[4][2] = Number("6.211054101900004E+15")  # 16 significant digits, still a number cell
    path = write_calc_xlsx(tmp_path / "calc.xlsx", rows)

    result = run(path)

    errors = errors_by_row(result)
    assert sorted(errors) == [3, 4, 5]
    assert [errors[row][:2] for row in (3, 4, 5)] == [
        ("no_kk", "6.21105150580001E+15"),
        ("no_kk", "6211051505800010"),
        ("nik", "6.211054101900004E+15"),
    ]
    assert all(FIX in reason for _column, _value, reason in errors.values())
    assert "(6211051505800010)" in errors[3][2]
    assert result.created == 1
    assert Household.objects.get().no_kk == "6211051505800013"


def test_a_csv_as_excel_saves_it_with_long_numbers_in_scientific_notation(wilayah, tmp_path):
    # Excel with Indonesian settings saves CSV with ";" in Windows-1252 and a decimal comma; a No. KK
    # column left as a number comes out as 6,21105E+15 (English settings: 6.21105E+15).
    lines = [";".join(DTSEN_HEADER)]
    for serial in range(1, 5):
        row = [str(value) for value in dtsen_row(serial, name=f"Kepala Désa {serial}")]
        if serial == 2:
            row[1] = "6,21105E+15"
        if serial == 3:
            row[2] = "6.21105E+15"
        lines.append(";".join(row))
    path = tmp_path / "excel.csv"
    path.write_bytes("\r\n".join(lines).encode("cp1252") + b"\r\n")

    result = run(path)

    errors = errors_by_row(result)
    assert sorted(errors) == [3, 4]
    assert errors[3][:2] == ("no_kk", "6,21105E+15")
    assert errors[4][:2] == ("nik", "6.21105E+15")
    assert all("(6211050000000000)" in reason and FIX in reason for *_rest, reason in errors.values())
    assert result.created == 2
    assert stored_identities() == {kk(1), nik(1), kk(4), nik(4)}
    assert Household.objects.get(no_kk=kk(1)).nama_kepala == "Kepala Désa 1"


def dtks_row(no_kk, member_nik, name, relation) -> list:
    return [
        "D1", "KALTENG", "PULANG PISAU", "KAHAYAN HILIR", "BUNTOI", "Jl. Sawit",
        no_kk, member_nik, name, "01-01-1980", relation, "Tidak", "Tidak",
    ]  # fmt: skip


def test_a_member_whose_nik_excel_rounded_is_rejected_alone_not_the_family(wilayah, tmp_path):
    rows = [
        DTKS_HEADER,
        dtks_row(kk(1), nik(10), "Bapak Satu", "Kepala Keluarga"),
        dtks_row(kk(1), Number("6.21105410190001E+15"), "Anak Satu", "Anak"),
        dtks_row(kk(1), nik(12), "Ibu Satu", "Istri"),
    ]

    result = run(write_calc_xlsx(tmp_path / "dtks.xlsx", rows), source="dtks")

    assert [(error.row, error.column) for error in result.errors] == [(3, "NOMOR NIK")]
    assert FIX in result.errors[0].reason
    household = Household.objects.get()
    assert (household.no_kk, household.nik_kepala) == (kk(1), nik(10))
    assert set(Member.objects.values_list("nik", flat=True)) == {nik(10), nik(12)}


def test_a_recipient_list_with_a_nik_stored_as_a_number_reports_that_row(wilayah, tmp_path):
    for serial in (1, 2):
        HouseholdFactory(no_kk=kk(serial), nik_kepala=nik(serial), receives_pkh=False)
    rows = [
        ["NO", "NMKEC", "NMKEL", "NOKK_DTKS", "NIK_KTP", "NAMA_PENERIMA"],
        [1, "KAHAYAN HILIR", "BUNTOI", kk(1), nik(1), "IBU 1"],
        [2, "KAHAYAN HILIR", "BUNTOI", int(kk(2)), int(nik(2)), "IBU 2"],
    ]

    result = run(write_xlsx(tmp_path / "pkh.xlsx", rows), source="pkh", period="2026-Q1")

    assert [(error.row, error.column) for error in result.errors] == [(3, "NOKK_DTKS"), (3, "NIK_KTP")]
    assert all(FIX in error.reason for error in result.errors)
    assert list(Household.objects.filter(receives_pkh=True).values_list("no_kk", flat=True)) == [kk(1)]


def test_the_command_reports_the_row_in_indonesian(wilayah, tmp_path):
    rows = [DTSEN_HEADER, dtsen_row(1), dtsen_row(2)]
    rows[2][1] = Number("6.21105150580001E+15")
    path = write_calc_xlsx(tmp_path / "calc.xlsx", rows)
    out = tmp_path / "errors.xlsx"

    with translation.override("id"):
        call_command(
            "import_households", str(path), "--source", "dtsen", "--period", "2026-01", "--errors", str(out)
        )

    sheet = load_workbook(out).active
    assert [cell.value for cell in sheet[2]] == [
        3,
        "no_kk",
        "6.21105150580001E+15",
        "No. KK ditulis sebagai angka (6211051505800010); Excel hanya menyimpan 15 angka penting sehingga "
        "angka terakhir bisa hilang. Format kolom sebagai Teks dan ketik ulang angkanya.",
    ]
    assert list(Household.objects.values_list("no_kk", flat=True)) == [kk(1)]


def test_a_dtsen_member_file_row_with_a_rounded_nik_rejects_that_member_only(wilayah, tmp_path):
    family = tmp_path / "keluarga.csv"
    family.write_text(
        "id_keluarga|no_kk|nama_kepala_keluarga|kode_kelurahan_desa|desil_nasional\n"
        f"D1|{kk(1)}|KEPALA 1|6211052001|2\n"
        f"D2|{kk(2)}|KEPALA 2|6211052001|3\n",
        encoding="utf-8",
    )
    members = tmp_path / "anggota.csv"
    members.write_text(
        "id_keluarga|no_kk|nomor_induk_kependudukan|nama|status_hubungan_keluarga\n"
        f"D1|{kk(1)}|{nik(10)}|KEPALA 1|1\n"
        f"D1|{kk(1)}|6.21105410190001E+15|ANAK 1|3\n"
        f"D2|{kk(2)}|{nik(20)}|KEPALA 2|1\n",
        encoding="utf-8",
    )

    result = run(family, source="dtsen", member_path=members)

    assert [(error.row, error.column) for error in result.errors] == [
        (3, "anggota.csv: nomor_induk_kependudukan")
    ]
    assert FIX in result.errors[0].reason
    assert sorted(Household.objects.values_list("no_kk", "nik_kepala")) == [
        (kk(1), nik(10)),
        (kk(2), nik(20)),
    ]
    assert sorted(Member.objects.values_list("nik", flat=True)) == [nik(10), nik(20)]


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("6.21105E+15", "6211050000000000"),
        ("6,21105E+15", "6211050000000000"),
        ("6.211051505800013E+15", "6211051505800013"),  # all 16 digits, still not provably typed as text
        ("6211051505800013.0", "6211051505800013"),
    ],
)
def test_a_number_written_with_an_exponent_or_a_fraction_is_refused_showing_what_excel_kept(raw, shown):
    with pytest.raises(ValueError_, match=rf"^NIK is written as a number \({shown}\);.*{FIX}$"):
        parse_identity(raw, "NIK")


@pytest.mark.parametrize("raw", ["e5", "E+15", "1,5"])
def test_text_that_only_looks_like_an_exponent_is_not_taken_for_a_number(raw):
    with pytest.raises(ValueError_, match="must be exactly 16 digits"):
        parse_identity(raw, "NIK")


def test_full_width_digits_are_the_same_number_and_other_scripts_digits_are_refused():
    # A No. KK typed with an East Asian input method, or pasted from such a document, is the same family.
    assert parse_identity("６２１１０５０１０１９０００１２", "No. KK") == "6211050101900012"
    # Arabic-Indic digits are digits to Python's \d, but no export writes them: stored as typed, such a
    # No. KK would never match the family's.
    with pytest.raises(ValueError_, match="must be exactly 16 digits"):
        parse_identity("٦٢١١٠٥٠١٠١٩٠٠٠١٢", "No. KK")
