"""Undo gives households back the members they had before the batch, for per-person and DTSEN member files."""

import datetime

import pytest

from poverty_data.models import Household, HouseholdChange, ImportBatch
from poverty_data.services import import_undo
from tests.poverty_data.files import import_file, kk, nik, write_csv

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

HEADER = ["NOMOR KK", "NOMOR NIK", "NAMA", "HUB KELUARGA", "TANGGAL LAHIR", "DESA/KELUARAHAN", "KECAMATAN"]


def person(family: int, serial: int, name: str, relation: str, born: str) -> list:
    return [kk(family), nik(serial), name, relation, born, "BUNTOI", "KAHAYAN HILIR"]


def members(household: Household) -> list[tuple]:
    return sorted(household.members.values_list("nik", "nama", "hubungan", "tanggal_lahir"))


def run(path, period: str, **kwargs):
    return import_file(path, source="dtks", period=period, **kwargs)


def test_undo_restores_the_members_a_per_person_reimport_changed(wilayah, tmp_path):
    first = [
        HEADER,
        person(1, 10, "SUPRIADI", "KEPALA KELUARGA", "12-05-1970"),
        person(1, 11, "MARLINA", "ISTRI", "03-08-1975"),
        person(1, 12, "RIZKY", "ANAK", "01-02-2010"),
        person(2, 20, "NORHAYATI", "KEPALA KELUARGA", "10-10-1950"),
        person(2, 21, "AHMAD", "ANAK", "04-04-1990"),
    ]
    run(write_csv(tmp_path / "a.csv", first), "2026-01")
    family_one, family_two = Household.objects.get(no_kk=kk(1)), Household.objects.get(no_kk=kk(2))
    before_one, before_two = members(family_one), members(family_two)
    # Family 1: the child left, a baby was born, the wife's name was corrected. Family 2: only AHMAD's date
    # of birth was corrected (no household field changes).
    second = [
        HEADER,
        person(1, 10, "SUPRIADI", "KEPALA KELUARGA", "12-05-1970"),
        person(1, 11, "MARLINA SARI", "ISTRI", "03-08-1975"),
        person(1, 13, "BAYU", "ANAK", "01-01-2025"),
        person(2, 20, "NORHAYATI", "KEPALA KELUARGA", "10-10-1950"),
        person(2, 21, "AHMAD", "ANAK", "05-04-1990"),
    ]
    check = run(write_csv(tmp_path / "b.csv", second), "2026-02", dry_run=True)
    later = run(write_csv(tmp_path / "b.csv", second), "2026-02")

    assert (check.updated, check.unchanged) == (2, 0)
    assert (later.updated, later.unchanged, later.created) == (2, 0, 0), later.errors
    assert [row[0] for row in members(family_one)] == [nik(10), nik(11), nik(13)]
    assert family_one.members.get(nik=nik(11)).nama == "MARLINA SARI"
    assert family_two.members.get(nik=nik(21)).tanggal_lahir == datetime.date(1990, 4, 5)

    undone = import_undo(batch=later.batch)

    assert undone.restored == 2
    assert members(family_one) == before_one
    assert members(family_two) == before_two
    family_one.refresh_from_db()
    assert (family_one.member_count, family_one.has_toddler) == (3, False)
    assert ImportBatch.objects.get(pk=later.batch.pk).state == ImportBatch.State.UNDONE
    assert family_two.changes.order_by("pk").last().kind == HouseholdChange.Kind.UNDONE


def test_undo_removes_the_members_a_dtsen_member_file_attached(wilayah, tmp_path):
    family = [
        "id_keluarga|no_kk|nama_kepala_keluarga|kode_kelurahan_desa|desil_nasional",
        f"D1|{kk(1)}|SUPRIADI|6211052001|2",
    ]
    path = tmp_path / "keluarga.csv"
    path.write_text("\n".join(family) + "\n", encoding="utf-8")
    import_file(path, source="dtsen", period="2026-01")
    lines = [
        "id_keluarga|no_kk|nomor_induk_kependudukan|nama|status_hubungan_keluarga",
        f"D1|{kk(1)}|{nik(10)}|SUPRIADI|1",
        f"D1|{kk(1)}|{nik(11)}|MARLINA|2",
    ]
    members_path = tmp_path / "anggota.csv"
    members_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    attached = import_file(members_path, source="dtsen", period="2026-01")
    household = Household.objects.get()
    assert household.members.count() == 2

    import_undo(batch=attached.batch)

    household.refresh_from_db()
    assert household.members.count() == 0
    assert (household.nik_kepala, household.member_count, household.desil) == ("", None, 2)
