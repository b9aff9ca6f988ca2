"""The register import: the layouts lists come in, hostile files, and check-then-apply as a whole."""

from pathlib import Path

import pytest
from openpyxl import Workbook

from cycle.importing import register_read
from cycle.models import ObligatedCompany, RegisterEvent, RegisterImport
from cycle.services import CycleError
from cycle.services.register import register_import_apply, register_import_check
from poverty_data.importing.readers import ImportRefused
from tests.companies.factories import CompanyFactory

pytestmark = pytest.mark.django_db

OSS_HEADER = ["NO", "NIB", "NAMA PERUSAHAAN", "KBLI", "ALAMAT USAHA", "KECAMATAN", "EMAIL", "TELEPON"]


def xlsx(tmp_path: Path, rows: list[list], title_rows: int = 2, name: str = "daftar.xlsx") -> Path:
    workbook = Workbook()
    sheet = workbook.active
    for index in range(title_rows):
        sheet.append([f"DAFTAR PERUSAHAAN KABUPATEN PULANG PISAU {index}"])
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


def csv_file(tmp_path: Path, text: str, name: str = "daftar.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def apply(path: Path, source: str = "oss") -> RegisterImport:
    record = register_import_check(path=path, file_name=path.name, source=source, user=None)
    return register_import_apply(record=record, user=None)


def test_oss_workbook_with_title_rows_is_read_by_its_aliases(tmp_path, wilayah):
    path = xlsx(
        tmp_path,
        [
            OSS_HEADER,
            [
                1,
                "9120000000101",
                "PT Sawit Kahayan Lestari",
                "01262",
                "Jl. Trans Kalimantan",
                "Kahayan Hilir",
                "csr@skl.example",
                "0513-61000",
            ],
            [2, "9120 0000 0010 2", "CV Maju Jaya", "46900", "Jl. Pasar", "Kec. Maliku", "", "0812"],
        ],
    )
    read = register_read(path)
    assert read.errors == []
    assert [row["nib"] for row in read.rows] == ["9120000000101", "9120000000102"]
    assert read.rows[0]["kecamatan"] is not None
    assert read.rows[1]["legal_form"] == "CV"
    assert len(read.warnings) == 1
    assert "No e-mail address" in read.warnings[0][3]


def test_csv_with_pelaku_usaha_and_nomor_induk_berusaha_aliases(tmp_path, wilayah):
    path = csv_file(
        tmp_path,
        "NOMOR INDUK BERUSAHA;NAMA PELAKU USAHA;ALAMAT;KECAMATAN;E-MAIL\n"
        "9120000000201;PT Tambang Maliku Jaya;Desa Maliku;Maliku;info@tmj.example\n",
    )
    read = register_read(path)
    assert read.errors == []
    assert read.rows[0]["name"] == "PT Tambang Maliku Jaya"
    assert read.rows[0]["email"] == "info@tmj.example"


def test_bad_rows_are_rejected_with_reasons(tmp_path, wilayah):
    path = xlsx(
        tmp_path,
        [
            OSS_HEADER,
            [1, "912000000030", "PT Pendek", "", "", "Kahayan Hilir", "", ""],
            [2, "9120000000302", "PT Dobel A", "", "", "Kahayan Hilir", "", ""],
            [3, "9120000000302", "PT Dobel B", "", "", "Kahayan Hilir", "", ""],
            [4, "9120000000304", "PT Entah", "", "", "Kahayan Tengah Jauh", "", ""],
            [5, "9120000000305", "PT Surel", "", "", "", "bukan-surel", ""],
            [6, "9120000000306", "", "", "", "", "", ""],
        ],
    )
    read = register_read(path)
    reasons = {(row, reason) for row, _column, _value, reason in read.errors}
    assert (4, "NIB must be exactly 13 digits.") in reasons
    assert (5, "This NIB appears more than once in the file (first on row 5).") in reasons
    assert (6, "This NIB appears more than once in the file (first on row 5).") in reasons
    assert (7, "No kecamatan of Pulang Pisau has this name.") in reasons
    assert (8, "This is not an e-mail address.") in reasons
    assert (9, "The company name is empty.") in reasons
    assert read.rows == []


def test_file_with_rejected_rows_is_not_applied_at_all(tmp_path, wilayah):
    path = xlsx(
        tmp_path,
        [
            OSS_HEADER,
            [1, "9120000000401", "PT Baik", "", "", "", "a@b.example", ""],
            [2, "123", "PT Buruk", "", "", "", "", ""],
        ],
    )
    record = register_import_check(path=path, file_name=path.name, source="oss", user=None)
    assert not record.can_apply
    with pytest.raises(CycleError, match="1 rejected rows"):
        register_import_apply(record=record, user=None)
    assert not ObligatedCompany.objects.exists()


def test_reimporting_the_same_file_changes_nothing(tmp_path, wilayah):
    rows = [
        OSS_HEADER,
        [1, "9120000000501", "PT Satu", "01262", "Jl. A", "Kahayan Hilir", "a@satu.example", ""],
    ]
    first = apply(xlsx(tmp_path, rows))
    assert (first.created, first.updated, first.unchanged) == (1, 0, 0)
    second = apply(xlsx(tmp_path, rows, name="lagi.xlsx"))
    assert (second.created, second.updated, second.unchanged) == (0, 0, 1)
    assert ObligatedCompany.objects.count() == 1
    assert RegisterEvent.objects.filter(kind=RegisterEvent.Kind.UPDATED).count() == 0


def test_changed_row_updates_data_but_empty_cells_keep_what_is_known(tmp_path, wilayah):
    apply(
        xlsx(
            tmp_path,
            [
                OSS_HEADER,
                [1, "9120000000601", "PT Satu", "01262", "Jl. A", "Kahayan Hilir", "a@satu.example", "0513"],
            ],
        )
    )
    record = apply(
        xlsx(
            tmp_path,
            [["NIB", "NAMA PERUSAHAAN", "EMAIL"], ["9120000000601", "PT Satu Baru", ""]],
            name="b.xlsx",
        )
    )
    assert record.updated == 1
    entry = ObligatedCompany.objects.get()
    assert (entry.name, entry.email, entry.sector) == ("PT Satu Baru", "a@satu.example", "01262")


def test_nib_already_registered_on_the_portal_is_linked_not_duplicated(tmp_path, company):
    record = apply(xlsx(tmp_path, [OSS_HEADER, [1, company.nib, "PT Lain Nama", "", "", "", "", ""]]))
    assert record.created == 1
    entry = ObligatedCompany.objects.get(nib=company.nib)
    assert entry.company == company
    assert entry.status == ObligatedCompany.Status.VERIFIED


def test_no_header_row_refuses_the_file(tmp_path, wilayah):
    path = csv_file(tmp_path, "a,b,c\n1,2,3\n")
    with pytest.raises(ImportRefused, match="No header row"):
        register_read(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty"),
        (b"%PDF-1.4 not a sheet", "not a valid Excel workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old Excel"),
    ],
)
def test_hostile_files_are_refused_as_a_whole(tmp_path, wilayah, content, message):
    path = tmp_path / "daftar.xlsx"
    path.write_bytes(content)
    record = register_import_check(path=path, file_name=path.name, source="oss", user=None)
    assert record.state == RegisterImport.State.REFUSED
    assert message in record.refused


def test_nib_typed_as_a_number_is_rejected(tmp_path, wilayah):
    path = csv_file(tmp_path, "NIB,NAMA PERUSAHAAN\n9.12E+12,PT Angka\n")
    read = register_read(path)
    assert (
        read.errors[0][3] == "The NIB was stored as a number and has lost digits; format the column as text."
    )


def test_command_dry_run_changes_nothing_and_apply_imports(tmp_path, wilayah, capsys):
    from django.core.management import call_command

    path = xlsx(tmp_path, [OSS_HEADER, [1, "9120000000701", "PT Perintah", "", "", "", "p@x.example", ""]])
    call_command("import_companies", str(path), "--source", "oss", "--dry-run")
    assert not ObligatedCompany.objects.exists()
    assert "1 new" in capsys.readouterr().out
    call_command("import_companies", str(path), "--source", "oss")
    assert ObligatedCompany.objects.get().source == "oss"


def test_company_registering_later_joins_its_register_entry(tmp_path, wilayah):
    apply(xlsx(tmp_path, [OSS_HEADER, [1, "9120000000801", "PT Nanti", "", "", "", "n@x.example", ""]]))
    company = CompanyFactory(nib="9120000000801", status="pending")
    entry = ObligatedCompany.objects.get()
    assert entry.company == company
    assert entry.status == ObligatedCompany.Status.REGISTERED
    company.status = "verified"
    company.save(update_fields=["status"])
    entry.refresh_from_db()
    assert entry.status == ObligatedCompany.Status.VERIFIED
    assert list(entry.events.values_list("kind", flat=True)) == ["verified", "registered", "imported"]
