"""The synthetic registry: realistic shapes, importable as DTSEN, P3KE and DTKS files, and the demo seed."""

import re
from collections import Counter

import pytest
from django.core.management import call_command

from demo.registry import households_generate, registry_file_write
from poverty_data.models import Household, ImportBatch, Member
from tests.poverty_data.files import import_file

pytestmark = pytest.mark.django_db


def test_generated_identity_numbers_have_the_right_structure(wilayah):
    households = list(households_generate(count=300, with_members=True))

    for household in households:
        assert re.fullmatch(r"6211\d{12}", household.no_kk)
        assert household.no_kk[:6] == household.desa_kode.replace(".", "")[:6]
        for person in household.members:
            day = int(person.nik[6:8])
            assert (41 <= day <= 71) if person.female else (1 <= day <= 31)
            assert person.nik[10:12] == f"{person.born.year % 100:02d}"
    niks = [person.nik for household in households for person in household.members]
    assert len(set(niks)) == len(niks)
    assert len({household.no_kk for household in households}) == 300


def test_desil_is_skewed_and_needs_follow_desil(wilayah):
    households = list(households_generate(count=4000))

    desil = Counter(household.desil for household in households)
    assert set(desil) == set(range(1, 11))
    poor = [h for h in households if h.desil <= 2]
    rich = [h for h in households if h.desil >= 9]

    def share(group):
        return sum(h.pkh or h.water.startswith(("Sungai", "Sumur tak")) for h in group) / len(group)

    assert share(poor) > 2 * share(rich)


@pytest.mark.parametrize(("shape", "suffix"), [("dtsen", ".xlsx"), ("p3ke", ".csv"), ("dtks", ".xlsx")])
def test_generated_files_import_without_rejections(wilayah, tmp_path, shape, suffix):
    path = tmp_path / f"{shape}{suffix}"
    registry_file_write(path, shape=shape, count=200)

    result = import_file(path, source=shape, period="2026-01")

    assert (result.created, result.rejected) == (200, 0), result.errors[:3]
    if shape == "dtks":
        assert Member.objects.count() > 200
        assert not Household.objects.filter(desil__isnull=False).exists()
    else:
        assert not Household.objects.filter(desil__isnull=True).exists()
    if shape == "p3ke":
        assert Household.objects.filter(needs_count__gt=0).exists()


def test_seed_demo_fills_the_registry_once(wilayah):
    call_command("seed_demo", "--households", "500")
    call_command("seed_demo", "--households", "500")

    assert Household.objects.count() == 500
    assert ImportBatch.objects.filter(source=ImportBatch.Source.P3KE).count() == 1


def test_the_fast_xlsx_writer_writes_a_workbook_the_importer_and_openpyxl_read(wilayah, tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "dtsen.xlsx"
    registry_file_write(path, shape="dtsen", count=50, fast=True)

    sheet = load_workbook(path, read_only=True).worksheets[0]
    assert sum(1 for _row in sheet.iter_rows()) == 53
    result = import_file(path, source="dtsen", period="2026-01")
    assert (result.created, result.rejected) == (50, 0)
