from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from etalase.models import Need, NeedEvent

HEADER = [
    "No",
    "Kecamatan",
    "Desa/Kelurahan",
    "Usulan Kegiatan",
    "Bidang",
    "Bentuk",
    "Pagu Indikatif (Rp)",
    "Jumlah KK",
    "Kode RKPD",
    "Prioritas",
]
GOOD = [
    [
        1,
        "Kahayan Hilir",
        "Pulang Pisau",
        "Sumur bor RT 03",
        "Infrastruktur",
        "Bina lingkungan dan sosial",
        "Rp 85.000.000",
        "45",
        "1.03.01",
        "Tinggi",
    ],
    [2, "Maliku", "Maliku Baru", "Beasiswa SD desil 1", "Pendidikan", "", 50000000, 20, "", "2"],
    [3, "Kahayan Hilir", "semua", "Posyandu keliling", "kesehatan", "", "30.000.000,-", "", "", ""],
]


def workbook(path, rows, title_rows=True):
    book = Workbook()
    sheet = book.active
    if title_rows:
        sheet.append(["DAFTAR USULAN MUSRENBANG KECAMATAN TAHUN 2027"])
        sheet.append([])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_import_adds_open_needs_from_a_musrenbang_list_below_title_rows(dinsos, tmp_path):
    out = StringIO()
    call_command("import_needs", workbook(tmp_path / "musrenbang.xlsx", GOOD), stdout=out)
    assert "needs added: 3" in out.getvalue()
    sumur = Need.objects.get(title="Sumur bor RT 03")
    assert (
        sumur.desa.nama,
        sumur.budget,
        sumur.families,
        sumur.source_ref,
        sumur.priority,
        sumur.status,
    ) == ("Pulang Pisau", 85_000_000, 45, "1.03.01", 1, Need.Status.OPEN)
    assert Need.objects.get(title="Beasiswa SD desil 1").kecamatan.nama == "Maliku"
    assert Need.objects.get(title="Posyandu keliling").desa is None
    assert sumur.events.get().action == NeedEvent.Action.IMPORT


def test_importing_the_same_list_twice_adds_nothing(dinsos, tmp_path):
    path = workbook(tmp_path / "musrenbang.xlsx", GOOD)
    call_command("import_needs", path, stdout=StringIO())
    out = StringIO()
    call_command("import_needs", path, stdout=out)
    assert "already in the etalase: 3" in out.getvalue()
    assert Need.objects.count() == 3


def test_unknown_desa_or_bidang_is_a_row_error_and_nothing_is_applied(dinsos, tmp_path):
    bad = [
        *GOOD,
        [
            4,
            "Kahayan Hilir",
            "Desa Khayalan",
            "Jalan usaha tani",
            "Infrastruktur",
            "",
            "100000000",
            "",
            "",
            "",
        ],
        [5, "Kahayan Hilir", "Pulang Pisau", "Lomba", "Pariwisata", "", "10000000", "", "", ""],
    ]
    err = StringIO()
    with pytest.raises(CommandError, match="Not applied"):
        call_command("import_needs", workbook(tmp_path / "bad.xlsx", bad), stdout=StringIO(), stderr=err)
    assert "Row 7: unknown desa “Desa Khayalan”" in err.getvalue()
    assert "Row 8: unknown bidang “Pariwisata”" in err.getvalue()
    assert not Need.objects.exists()


def test_a_number_of_families_in_superscript_digits_is_a_row_error(dinsos, tmp_path):
    rows = [[4, "Maliku", "Maliku Baru", "Sumur bor", "Infrastruktur", "", 50000000, "²⁰", "", ""]]
    err = StringIO()
    with pytest.raises(CommandError, match="Not applied"):
        call_command("import_needs", workbook(tmp_path / "sup.xlsx", rows), stdout=StringIO(), stderr=err)
    assert "the number of families “²⁰” is not a whole number" in err.getvalue()
    assert not Need.objects.exists()


def test_dry_run_writes_nothing(dinsos, tmp_path):
    out = StringIO()
    call_command("import_needs", workbook(tmp_path / "m.xlsx", GOOD), "--dry-run", stdout=out)
    assert "Rows valid: 3" in out.getvalue()
    assert not Need.objects.exists()


def test_a_file_without_the_columns_is_refused(dinsos, tmp_path):
    path = tmp_path / "lain.csv"
    path.write_text("nama,alamat\nBudi,Jl. Melati\n", encoding="utf-8")
    with pytest.raises(CommandError, match="No header row found"):
        call_command("import_needs", path, stdout=StringIO())


def test_csv_with_semicolons_as_excel_saves_it(dinsos, tmp_path):
    path = tmp_path / "usulan.csv"
    path.write_text(
        "Kecamatan;Desa;Judul;Bidang;Anggaran\nKahayan Hilir;Pulang Pisau;Jamban sehat;Kesehatan;60.000.000\n",
        encoding="utf-8",
    )
    call_command("import_needs", path, stdout=StringIO())
    assert Need.objects.get().budget == 60_000_000


def test_dinsos_checks_then_applies_on_the_page(login, dinsos, tmp_path):
    client = login(dinsos)
    path = workbook(tmp_path / "musrenbang.xlsx", GOOD)
    with path.open("rb") as handle:
        page = client.post(reverse("etalase:import"), {"file": handle, "source": "musrenbang_desa"})
    assert page.status_code == 200
    assert len(page.context["result"].needs) == 3
    assert not Need.objects.exists()
    response = client.post(reverse("etalase:import"), {"apply": "1"})
    assert response.status_code == 302
    assert Need.objects.count() == 3


def test_the_page_shows_row_errors_and_offers_no_apply(login, dinsos, tmp_path):
    bad = [[9, "Kahayan Hilir", "Desa Khayalan", "Jalan", "Infrastruktur", "", "1000000", "", "", ""]]
    with workbook(tmp_path / "bad.xlsx", bad).open("rb") as handle:
        page = login(dinsos).post(reverse("etalase:import"), {"file": handle, "source": "musrenbang_desa"})
    assert "unknown desa" in page.content.decode()
    assert 'name="apply"' not in page.content.decode()


@pytest.mark.parametrize("persona", ["camat", "owner", "pimpinan"])
def test_only_dinsos_opens_the_import_page(login, personas, persona):
    assert login(personas[persona]).get(reverse("etalase:import")).status_code == 403
