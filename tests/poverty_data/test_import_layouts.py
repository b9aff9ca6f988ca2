"""Files of the shapes real systems export, filled with invented families of Pulang Pisau.

The layouts follow public descriptions of the exports: SIKS-NG DTKS (one row per person, `|`-separated,
``DESA/KELUARAHAN`` sic, ``HUB KELUARGA``, backtick text markers), BPS DTSEN (snake_case family file with
desil and coded values, member file with ``nomor_induk_kependudukan`` and coded
``status_hubungan_keluarga``, database dumps with ``NULL``), P3KE (title rows, numbered headers, no
No. KK, ``ID Keluarga P3KE``, ``Kode Kemdagri``, ``Desil Kesejahteraan``), OpenSID downloads (HTML saved as
.xls) and workbooks with a cover sheet.
"""

import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from poverty_data.importing.columns import ALIASES, normalize_header
from poverty_data.models import Household, ImportBatch, Member
from tests.poverty_data.files import DTSEN_HEADER, dtsen_row, import_file, kk, nik, write_csv, write_xlsx

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def run(path: Path, source: str, period: str = "2026-01", **kwargs):
    kwargs.setdefault("allow_mass_deactivation", True)
    return import_file(path, source=source, period=period, **kwargs)


def write_pipe(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- SIKS-NG DTKS ------------------------------------------------------------------------------------------

SIKS_HEADER = (
    "ID DTKS|PROVINSI|KABUPATEN/KOTA|KECAMATAN|DESA/KELUARAHAN|ALAMAT|NOMOR KK|NOMOR NIK|NAMA|"
    "TANGGAL LAHIR|HUB KELUARGA|BANSOS BPNT|BANSOS PKH|PBI JKN"
)


def siks_line(
    family: int, person: int, name: str, relation: str, born: str, *, desa="BUNTOI", pkh="YA"
) -> str:
    return (
        f"DTKS{family:05d}|KALIMANTAN TENGAH|PULANG PISAU|KAHAYAN HILIR|{desa}|RT 003 DESA {desa}|"
        f"`{kk(family)}|`{nik(family * 10 + person)}|{name}|{born}|{relation}|TIDAK|{pkh}|YA"
    )


def test_siks_ng_pipe_separated_per_person_export(wilayah, tmp_path):
    path = write_pipe(
        tmp_path / "DTKS_KAHAYAN_HILIR.csv",
        [
            SIKS_HEADER,
            siks_line(1, 0, "SUPRIADI", "KEPALA KELUARGA", "12-05-1970"),
            siks_line(1, 1, "MARLINA", "ISTRI", "03-08-1975"),
            siks_line(1, 2, "RIZKY", "ANAK", "01-02-2022"),
            siks_line(2, 0, "NORHAYATI", "KEPALA KELUARGA", "10-10-1950", desa="KAHAYAN HILIR", pkh="TIDAK"),
            siks_line(2, 1, "AHMAD", "blm ditentukan", "04-04-1990", desa="KAHAYAN HILIR", pkh="TIDAK"),
        ],
    )

    result = run(path, "dtks")

    assert (result.created, result.rejected) == (2, 0), result.errors
    first = Household.objects.get(no_kk=kk(1))
    assert (first.nik_kepala, first.nama_kepala, first.member_count) == (nik(10), "SUPRIADI", 3)
    assert (first.receives_pkh, first.receives_bpnt, first.receives_pbi_jkn) == (True, False, True)
    assert first.has_toddler
    assert first.desa.kode == "62.11.05.2001"
    # The former name of kelurahan Pulang Pisau, still written by exports.
    second = Household.objects.get(no_kk=kk(2))
    assert second.desa.kode == "62.11.05.1005"
    assert second.has_elderly
    assert Member.objects.get(nik=nik(21)).hubungan == "blm ditentukan"


def test_a_per_person_file_without_a_relation_column_is_refused(wilayah, tmp_path):
    # A PBI-JK style list: one row per insured person, the No. KK repeats, nobody is marked head.
    header = ["NOKK_DTKS", "NIK_KTP", "NAMA_PENERIMA", "NMKEC", "NMKEL"]
    rows = [header]
    for family in (1, 2, 3):
        for person in range(4):
            rows.append(
                [kk(family), nik(family * 10 + person), f"Anggota {person}", "KAHAYAN HILIR", "BUNTOI"]
            )

    result = run(write_xlsx(tmp_path / "pbi.xlsx", rows), "other")

    assert result.batch.state == ImportBatch.State.REFUSED
    assert "one row per person" in result.refused
    assert "HUBUNGAN KELUARGA" in result.refused
    assert not Household.objects.exists()


def test_a_family_with_two_heads_is_rejected_with_every_row(wilayah, tmp_path):
    path = write_pipe(
        tmp_path / "dtks.csv",
        [
            SIKS_HEADER,
            siks_line(1, 0, "SUPRIADI", "KEPALA KELUARGA", "12-05-1970"),
            siks_line(1, 1, "MARLINA", "KEPALA KELUARGA", "03-08-1975"),
            siks_line(1, 2, "RIZKY", "ANAK", "01-02-2022"),
            siks_line(2, 0, "NORHAYATI", "KEPALA KELUARGA", "10-10-1950"),
        ],
    )

    result = run(path, "dtks")

    assert sorted(error.row for error in result.errors) == [2, 3, 4]
    assert list(Household.objects.values_list("no_kk", flat=True)) == [kk(2)]


# --- BPS DTSEN ---------------------------------------------------------------------------------------------

DTSEN_FAMILY = (
    "id_keluarga|no_kk|nama_kepala_keluarga|kode_kelurahan_desa|alamat|desil_nasional|pkh_nas|pbi_nas"
)
DTSEN_MEMBER = (
    "id_keluarga|no_kk|nomor_induk_kependudukan|nama|status_hubungan_keluarga|jenis_kelamin|tanggal_lahir|"
    "kode_kelurahan_desa"
)


def test_dtsen_family_dump_with_null_and_coded_flags(wilayah, tmp_path):
    path = write_pipe(
        tmp_path / "dtsen_keluarga.csv",
        [
            DTSEN_FAMILY,
            f"D1|{kk(1)}|SUPRIADI|6211052001|RT 001|2|1|2",
            f"D2|{kk(2)}|NORHAYATI|6211052001|NULL|NULL|2|1",
            f"D3|{kk(3)}|ISMAIL|6211052002|RT 004|-|NULL|NULL",
        ],
    )

    result = run(path, "dtsen")

    assert (result.created, result.rejected, result.unranked) == (3, 0, 2), result.errors
    one, two = Household.objects.get(no_kk=kk(1)), Household.objects.get(no_kk=kk(2))
    assert (one.desil, one.receives_pkh, one.receives_pbi_jkn) == (2, True, False)
    assert (two.desil, two.alamat, two.receives_pkh, two.receives_pbi_jkn) == (None, "", False, True)
    assert one.nik_kepala == ""
    assert result.batch.unranked_count == 2


def test_dtsen_member_file_gives_the_head_and_members_with_decoded_codes(wilayah, tmp_path):
    run(
        write_pipe(tmp_path / "k.csv", [DTSEN_FAMILY, f"D1|{kk(1)}|SUPRIADI|6211052001|RT 001|2|1|2"]),
        "dtsen",
    )
    members = write_pipe(
        tmp_path / "dtsen_anggota.csv",
        [
            DTSEN_MEMBER,
            f"D1|{kk(1)}|{nik(11)}|MARLINA|2|2|1975-08-03|6211052001",
            f"D1|{kk(1)}|{nik(10)}|SUPRIADI|1|1|1970-05-12|6211052001",
            f"D1|{kk(1)}|{nik(12)}|RIZKY|3|1|2022-02-01|6211052001",
        ],
    )

    result = run(members, "dtsen", period="2026-01")

    assert (result.updated, result.rejected, result.deactivated) == (1, 0, 0), result.errors
    household = Household.objects.get()
    assert (household.nik_kepala, household.nama_kepala, household.desil) == (nik(10), "SUPRIADI", 2)
    assert household.member_count == 3
    head = household.members.get(nik=nik(10))
    assert (head.hubungan, head.jenis_kelamin) == ("Kepala Keluarga", "Laki-laki")
    assert household.members.get(nik=nik(11)).hubungan == "Istri/Suami"


def test_dtsen_family_without_no_kk_is_keyed_by_id_keluarga_and_reimport_is_idempotent(wilayah, tmp_path):
    lines = [DTSEN_FAMILY, "D7|NULL|SUPRIADI|6211052001|RT 001|2|1|2"]
    path = write_pipe(tmp_path / "k.csv", lines)

    first = run(path, "dtsen")
    again = run(path, "dtsen", period="2026-02")

    assert first.created == 1
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert Household.objects.get().no_kk == "dtsen:D7"


# --- P3KE --------------------------------------------------------------------------------------------------

P3KE_HEADER = [
    "No (1)",
    "ID Keluarga P3KE (2)",
    "Provinsi (3)",
    "Kabupaten/Kota (4)",
    "Kecamatan (5)",
    "Desa/Kelurahan (6)",
    "Kode Kemdagri (7)",
    "Desil Kesejahteraan (8)",
    "Alamat (9)",
    "Kepala Keluarga (10)",
    "NIK Kepala Keluarga (11)",
    "Penerima BPNT (12)",
    "Penerima PKH (13)",
    "Jenis Atap (14)",
    "Jenis Dinding (15)",
    "Jenis Lantai (16)",
]


def p3ke_row(number: int, family: str, head: str, head_nik: str, desil, desa="62.11.06.2001") -> list:
    return [
        number, family, "KALIMANTAN TENGAH", "PULANG PISAU", "MALIKU", "TAHAI JAYA", desa, desil,
        "RT 002", head, f"'{head_nik}", "Ya", "Tidak", "Daun", "Kayu kualitas rendah", "Tanah",
    ]  # fmt: skip


def p3ke_workbook(path: Path, rows: list[list]) -> Path:
    """A cover sheet first, then the data sheet below two title rows, as the P3KE application exports it."""
    workbook = Workbook()
    cover = workbook.active
    cover.title = "Keterangan"
    cover.append(["Data P3KE Kabupaten Pulang Pisau"])
    cover.append(["Sumber: Kemenko PMK"])
    data = workbook.create_sheet("Data Keluarga")
    data.append(["DATA KELUARGA P3KE"])
    data.append(["KABUPATEN PULANG PISAU, KECAMATAN MALIKU"])
    data.append(P3KE_HEADER)
    for row in rows:
        data.append(row)
    workbook.save(path)
    return path


def test_p3ke_family_list_without_no_kk_from_the_data_sheet(wilayah, tmp_path):
    path = p3ke_workbook(
        tmp_path / "p3ke.xlsx",
        [p3ke_row(1, "P3KE-0001", "Rusdi", nik(1), "Desil 1"), p3ke_row(2, "P3KE-0002", "Wati", nik(2), "-")],
    )

    result = run(path, "p3ke")

    assert (result.created, result.rejected, result.unranked) == (2, 0, 1), (result.refused, result.errors)
    rusdi = Household.objects.get(nik_kepala=nik(1))
    assert (rusdi.no_kk, rusdi.source_id, rusdi.desil, rusdi.needs_house) == (
        "p3ke:P3KE-0001",
        "P3KE-0001",
        1,
        True,
    )
    assert rusdi.receives_bpnt and not rusdi.receives_pkh
    assert result.unknown_columns == []


def test_p3ke_family_joins_the_household_whose_head_has_the_same_nik(wilayah, tmp_path):
    rows = [DTSEN_HEADER, dtsen_row(1, desil=4, desa="6211062001")]
    run(write_xlsx(tmp_path / "dtsen.xlsx", rows), "dtsen")
    path = p3ke_workbook(tmp_path / "p3ke.xlsx", [p3ke_row(1, "P3KE-0001", "Kepala 1", nik(1), 1)])

    result = run(path, "p3ke")
    again = run(path, "p3ke", period="2026-02")

    assert (result.created, result.updated) == (0, 1)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    household = Household.objects.get()
    assert (household.no_kk, household.desil, household.source) == (kk(1), 1, "p3ke")


# --- program recipient lists, OpenSID, hostile workbooks -----------------------------------------------------


def test_html_saved_as_xls_is_refused_with_what_to_do(wilayah, tmp_path):
    path = tmp_path / "penduduk.xls"
    path.write_text(
        "<html><head><meta charset='utf-8'></head><body><table><tr><th>No. KK</th><th>NIK</th>"
        "<th>Nama</th><th>Hub. Keluarga</th></tr></table></body></html>",
        encoding="utf-8",
    )

    result = run(path, "other")

    assert result.batch.state == ImportBatch.State.REFUSED
    assert "Open it in Excel and save it as .xlsx" in result.refused


@pytest.mark.parametrize(
    "part", ["xl/styles.xml", "xl/workbook.xml", "xl/sharedStrings.xml", "docProps/app.xml"]
)
def test_a_dtd_in_any_xml_part_is_refused_before_parsing(wilayah, tmp_path, part):
    clean = write_xlsx(tmp_path / "clean.xlsx", [DTSEN_HEADER, dtsen_row(1)])
    hostile = tmp_path / "hostile.xlsx"
    dtd = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    with zipfile.ZipFile(clean) as source, zipfile.ZipFile(hostile, "w", zipfile.ZIP_DEFLATED) as target:
        names = source.namelist()
        for name in names:
            data = source.read(name)
            if name == part:
                data = dtd.encode() + data.split(b"?>", 1)[-1]
            target.writestr(name, data)
        if part not in names:
            target.writestr(part, dtd + "<sst/>")

    result = run(hostile, "dtsen")

    assert result.batch.state == ImportBatch.State.REFUSED
    assert "entity" in result.refused
    assert not Household.objects.exists()


def test_every_listed_alias_of_the_issue_is_in_the_one_table():
    known = {normalize_header(alias) for aliases in ALIASES.values() for alias in aliases}
    for alias in [
        "DESA/KELUARAHAN", "NOKK", "NOMOR KK", "NOMOR NIK", "HUB KELUARGA", "hub_keluarga",
        "status_hubungan_keluarga", "nomor_induk_kependudukan", "kode_kelurahan_desa", "Kode Kemdagri",
        "NOKK_DTKS", "NIK_KTP", "NAMA_PENERIMA", "NMKEC", "NMKEL", "BANSOS BPNT", "BANSOS PKH", "PBI JKN",
        "pbi_nas", "Desil Kesejahteraan", "desil_nasional", "No. KK (3)",
    ]:  # fmt: skip
        assert normalize_header(alias) in known, alias


def test_comma_csv_with_backtick_markers_and_numbered_headers(wilayah, tmp_path):
    header = [
        "NO KK (1)",
        "NIK KEPALA KELUARGA (2)",
        "NAMA KEPALA KELUARGA (3)",
        "ID WILAYAH (4)",
        "DESIL (5)",
    ]
    rows = [header, [f"`{kk(1)}", f"`{nik(1)}", "Ayu", "62.11.05.2001", "3"]]

    result = run(write_csv(tmp_path / "f.csv", rows), "dtsen")

    assert result.created == 1, (result.refused, result.errors)
    assert Household.objects.get().nik_kepala == nik(1)


# --- program recipient lists ---------------------------------------------------------------------------------

PBI_HEADER = ["NO", "NMPROP", "NMKAB", "NMKEC", "NMKEL", "NOKK_DTKS", "NIK_KTP", "NAMA_PENERIMA", "PBI APBN"]


def pbi_row(number: int, family: int | None, person_nik: str, name: str) -> list:
    return [
        number, "KALIMANTAN TENGAH", "PULANG PISAU", "KAHAYAN HILIR", "BUNTOI",
        kk(family) if family else "", person_nik, name, "Y",
    ]  # fmt: skip


def test_a_recipient_list_sets_the_flag_and_never_touches_the_head(wilayah, tmp_path):
    from tests.poverty_data.factories import HouseholdFactory, MemberFactory

    first = HouseholdFactory(no_kk=kk(1), nik_kepala=nik(10), nama_kepala="SUPRIADI", receives_pbi_jkn=False)
    second = HouseholdFactory(
        no_kk=kk(2), nik_kepala=nik(20), nama_kepala="NORHAYATI", receives_pbi_jkn=False
    )
    child = MemberFactory(household=second, nik=nik(22), nama="RIZKY")
    rows = [PBI_HEADER]
    # Every insured member of family 1 (by No. KK), the child of family 2 by NIK only, and a stranger.
    rows += [pbi_row(n, 1, nik(10 + n), f"ANGGOTA {n}") for n in range(4)]
    rows += [pbi_row(5, None, child.nik, "RIZKY"), pbi_row(6, None, nik(99), "ORANG LAIN")]

    result = import_file(write_xlsx(tmp_path / "pbi.xlsx", rows), source="pbi", period="2026-03")

    assert result.applied, result.refused
    assert (result.created, result.updated, result.deactivated) == (0, 2, 0)
    assert [error.row for error in result.errors] == [7]
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.receives_pbi_jkn and second.receives_pbi_jkn
    assert (first.nama_kepala, first.nik_kepala, first.source) == ("SUPRIADI", nik(10), "dtsen")
    assert (second.nama_kepala, second.is_active) == ("NORHAYATI", True)
    assert Household.objects.count() == 2
    assert result.batch.summary == [["62.11.05", "Kahayan Hilir", 0, 2, 0]]


def test_a_recipient_list_can_be_undone(wilayah, tmp_path):
    from poverty_data.services import import_undo
    from tests.poverty_data.factories import HouseholdFactory

    household = HouseholdFactory(no_kk=kk(1), receives_pkh=False)
    rows = [["NOKK_DTKS", "NIK_KTP", "NAMA_PENERIMA", "NMKEC"], [kk(1), nik(1), "IBU", "KAHAYAN HILIR"]]
    result = import_file(write_xlsx(tmp_path / "pkh.xlsx", rows), source="pkh", period="2026-Q1")
    household.refresh_from_db()
    assert household.receives_pkh

    import_undo(batch=result.batch)

    household.refresh_from_db()
    assert not household.receives_pkh


def test_dtsen_member_file_without_wilayah_completes_the_families_of_the_family_file(wilayah, tmp_path):
    family = [DTSEN_FAMILY] + [f"D{n}|{kk(n)}|KEPALA {n}|6211052001|RT 001|2|1|2" for n in (1, 2, 3)]
    run(write_pipe(tmp_path / "keluarga.csv", family), "dtsen")
    header = "id_keluarga|no_kk|nomor_induk_kependudukan|nama|status_hubungan_keluarga|jenis_kelamin"
    members = write_pipe(
        tmp_path / "anggota.csv",
        [
            header,
            f"D1|{kk(1)}|{nik(10)}|KEPALA 1|1|1",
            f"D1|{kk(1)}|{nik(11)}|ISTRI 1|2|2",
            f"D9|{kk(9)}|{nik(90)}|KEPALA 9|1|1",
            f"D9|{kk(9)}|{nik(91)}|ANAK 9|3|1",
        ],
    )

    result = run(members, "dtsen")

    assert (result.created, result.updated, result.deactivated) == (0, 1, 0), result.errors
    assert sorted(error.row for error in result.errors) == [4, 5]
    assert "import that file first" in result.errors[0].reason
    one = Household.objects.get(no_kk=kk(1))
    assert (one.nik_kepala, one.member_count, one.desil, one.desa.kode) == (nik(10), 2, 2, "62.11.05.2001")
    assert Household.objects.active().count() == 3


# --- P3KE individual list ----------------------------------------------------------------------------------

P3KE_PERSON_HEADER = [
    "No", "ID Keluarga P3KE", "Provinsi", "Kabupaten/Kota", "Kecamatan", "Desa/Kelurahan", "Kode Kemdagri",
    "Desil Kesejahteraan", "Alamat", "ID Individu", "Nama", "NIK", "Padan Dukcapil", "Jenis Kelamin",
    "Hubungan dengan Kepala Keluarga", "Tanggal Lahir", "Status Kawin", "Pekerjaan", "Pendidikan",
    "Penerima BPNT", "Penerima BPUM", "Penerima BST", "Penerima PKH", "Penerima SEMBAKO",
]  # fmt: skip


def p3ke_person(number: int, family: str, name: str, person_nik: str, relation: str, born: str) -> list:
    return [
        number, family, "KALIMANTAN TENGAH", "PULANG PISAU", "MALIKU", "TAHAI JAYA", "6211062001", 1,
        "RT 002", f"{family}-{number}", name, f"'{person_nik}", "Padan", "Perempuan", relation, born,
        "Kawin", "Petani", "Tamat SD", "Ya", "Tidak", "Tidak", "Tidak", "Ya",
    ]  # fmt: skip


def p3ke_individual_workbook(path: Path, rows: list[list]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Data Individu"
    sheet.append(["DATA INDIVIDU P3KE"])
    sheet.append(["KABUPATEN PULANG PISAU"])
    sheet.append(P3KE_PERSON_HEADER)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_p3ke_individual_list_groups_persons_by_family_id_and_joins_a_head_by_nik(wilayah, tmp_path):
    # Family 1's head is already in the registry from DTSEN (with its No. KK); family P3KE-0002 is not.
    run(
        write_xlsx(tmp_path / "dtsen.xlsx", [DTSEN_HEADER, dtsen_row(1, desil=4, desa="6211062001")]), "dtsen"
    )
    rows = [
        p3ke_person(1, "P3KE-0001", "Kepala 1", nik(1), "Kepala Keluarga", "1970-05-12"),
        p3ke_person(2, "P3KE-0001", "Istri 1", nik(101), "Istri", "1975-08-03"),
        p3ke_person(3, "P3KE-0002", "Anak 2", nik(202), "Anak", "2023-02-01"),
        p3ke_person(4, "P3KE-0002", "Wati", nik(2), "Kepala Keluarga", "1950-10-10"),
        p3ke_person(5, "P3KE-0002", "Famili 2", nik(203), "Lainnya", "1990-01-01"),
    ]
    path = p3ke_individual_workbook(tmp_path / "p3ke_individu.xlsx", rows)

    result = run(path, "p3ke", period="2026-02")
    again = run(path, "p3ke", period="2026-03")

    assert (result.created, result.updated, result.rejected) == (1, 1, 0), (result.refused, result.errors)
    assert result.unknown_columns == []
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2), (again.refused, again.errors)
    joined = Household.objects.get(no_kk=kk(1))
    assert (joined.nik_kepala, joined.desil, joined.source, joined.member_count) == (nik(1), 1, "p3ke", 2)
    assert sorted(joined.members.values_list("nik", flat=True)) == [nik(1), nik(101)]
    wati = Household.objects.get(no_kk="p3ke:P3KE-0002")
    assert (wati.nik_kepala, wati.nama_kepala, wati.source_id, wati.member_count) == (
        nik(2),
        "Wati",
        "P3KE-0002",
        3,
    )
    assert wati.has_toddler and wati.has_elderly and wati.receives_bpnt and not wati.receives_pkh
    assert wati.members.get(nik=nik(202)).hubungan == "Anak"
    assert Household.objects.count() == 2
    assert Member.objects.count() == 5


def test_p3ke_individual_family_without_a_head_is_rejected_with_every_row(wilayah, tmp_path):
    rows = [
        p3ke_person(1, "P3KE-0003", "Istri 3", nik(301), "Istri", "1975-08-03"),
        p3ke_person(2, "P3KE-0003", "Anak 3", nik(302), "Anak", "2010-08-03"),
        p3ke_person(3, "P3KE-0004", "Kepala 4", nik(4), "Kepala Keluarga", "1960-01-01"),
    ]

    result = run(p3ke_individual_workbook(tmp_path / "p.xlsx", rows), "p3ke")

    assert sorted(error.row for error in result.errors) == [4, 5]
    assert "head of the family" in result.errors[0].reason
    assert list(Household.objects.values_list("no_kk", flat=True)) == ["p3ke:P3KE-0004"]


# --- DTSEN coded housing -------------------------------------------------------------------------------------

DTSEN_HOUSING = (
    "id_keluarga|no_kk|nama_kepala_keluarga|kode_kelurahan_desa|desil_nasional|status_kepemilikan_rumah|"
    "jenis_lantai_terluas|luas_lantai|jenis_dinding_terluas|jenis_atap_terluas|sumber_air_minum_utama|"
    "sumber_penerangan_utama|daya_terpasang|bahan_bakar_utama_memasak|fasilitas_bab|jenis_kloset|"
    "pembuangan_akhir_tinja"
)


def test_dtsen_coded_housing_is_decoded_before_the_needs_are_derived(wilayah, tmp_path):
    path = write_pipe(
        tmp_path / "dtsen_keluarga.csv",
        [
            DTSEN_HOUSING,
            # Floor of earth, bamboo walls, thatch roof, river water, no toilet, no electricity.
            f"D1|{kk(1)}|SUPRIADI|6211052001|1|1|8|24|6|7|9|4|NULL|10|6|NULL|NULL",
            # Ceramic floor, brick walls, tiled roof, piped water written "03", own toilet: no need at all
            # (read raw, roof "2" and wall "1" would count as substandard).
            f"D2|{kk(2)}|NORHAYATI|6211052001|4|2|2|36|1|2|03|1|2|4|1|1|1",
            # Wooden house with zinc roof, unprotected well, a toilet the family does not use.
            f"D3|{kk(3)}|ISMAIL|6211052001|2|3|5|30|3|3|6|2|1|10|5|4|4",
            f"D4|{kk(4)}|WATI|6211052001|2|1|8|20|6|12|9|4|NULL|10|6|NULL|NULL",
        ],
    )

    result = run(path, "dtsen")

    assert (result.created, result.rejected) == (3, 1), result.errors
    assert result.unknown_columns == []
    [error] = result.errors
    assert (error.row, error.column, error.value) == (5, "jenis_atap_terluas", "12")
    assert "1 Beton, 2 Genteng, 3 Seng" in error.reason
    one, two, three = (Household.objects.get(no_kk=kk(n)) for n in (1, 2, 3))
    assert (one.floor, one.wall, one.roof) == ("Tanah", "Bambu", "Jerami/ijuk/daun-daunan/rumbia")
    assert (one.drinking_water, one.lighting, one.toilet, one.house_ownership) == (
        "Air permukaan (sungai/danau/waduk/kolam/irigasi)",
        "Bukan listrik",
        "Tidak ada fasilitas",
        "Milik sendiri",
    )
    assert (one.needs_house, one.needs_water, one.needs_toilet, one.needs_count) == (True, True, True, 3)
    assert (two.roof, two.wall, two.drinking_water, two.house_ownership) == (
        "Genteng",
        "Tembok",
        "Leding",
        "Kontrak/sewa",
    )
    assert (two.needs_house, two.needs_water, two.needs_toilet) == (False, False, False)
    assert (three.needs_house, three.needs_water, three.needs_toilet) == (False, True, True)
    assert three.toilet == "Ada, anggota keluarga tidak menggunakan"


def test_bare_numbers_in_housing_columns_of_an_uncoded_source_never_make_a_need(wilayah, tmp_path):
    header = ["NO KK", "NAMA KEPALA KELUARGA", "ID WILAYAH", "Jenis Atap", "Jenis Dinding", "Jenis Lantai"]
    rows = [header, [kk(1), "Ayu", "6211052001", "7", "6", "9"]]

    result = run(write_csv(tmp_path / "bdt.csv", rows), "other")

    assert result.created == 1, result.errors
    household = Household.objects.get()
    assert (household.roof, household.wall, household.needs_house) == ("7", "6", False)
