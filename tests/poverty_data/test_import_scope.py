"""A partial file never empties the registry, a mass deactivation needs confirming, every import can be
undone (newest first), and period labels are real periods."""

import importlib
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from poverty_data.importing.periods import period_order, period_parse
from poverty_data.importing.readers import ImportRefused
from poverty_data.models import Household, HouseholdChange, ImportBatch
from poverty_data.services import ImportUndoError, import_undo
from programs.models import Beneficiary
from tests.poverty_data.files import DTSEN_HEADER, dtsen_row, import_file, kk, write_csv, write_xlsx
from tests.programs.factories import ProgramFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

BUNTOI = "6211052001"  # Kahayan Hilir
MINTIN = "6211052002"  # Kahayan Hilir
TAHAI_JAYA = "6211062001"  # Maliku


def dtsen(path: Path, rows: list[tuple[int, str]], **kwargs) -> Path:
    """A DTSEN file of (serial, desa code) rows."""
    return write_xlsx(
        path, [DTSEN_HEADER] + [dtsen_row(serial, desa=desa, **kwargs) for serial, desa in rows]
    )


def run(path: Path, period: str, **kwargs):
    return import_file(path, source="dtsen", period=period, **kwargs)


def regency(tmp_path) -> ImportBatch:
    """20 households: 5 in Buntoi, 5 in Mintin, 10 in Tahai Jaya (Maliku)."""
    rows = [(n, BUNTOI) for n in range(1, 6)] + [(n, MINTIN) for n in range(6, 11)]
    rows += [(n, TAHAI_JAYA) for n in range(11, 21)]
    result = run(dtsen(tmp_path / "regency.xlsx", rows), "2026-01")
    assert result.created == 20
    return result.batch


# --- scoped deactivation -----------------------------------------------------------------------------------


def test_a_newer_file_of_one_desa_deactivates_only_in_that_desa(wilayah, tmp_path):
    regency(tmp_path)
    # A per-desa export of Buntoi: household 5 left it, household 21 is new.
    path = dtsen(tmp_path / "buntoi.xlsx", [(1, BUNTOI), (2, BUNTOI), (3, BUNTOI), (4, BUNTOI), (21, BUNTOI)])

    result = run(path, "2026-02")

    assert result.applied
    assert (result.created, result.unchanged, result.deactivated) == (1, 4, 1)
    assert not Household.objects.get(no_kk=kk(5)).is_active
    assert Household.objects.active().count() == 20
    assert Household.objects.filter(desa__kode="62.11.06.2001", is_active=True).count() == 10
    assert result.batch.desa_count == 1


def test_the_six_row_file_of_a_newer_period_leaves_the_rest_of_the_regency_active(wilayah, tmp_path):
    regency(tmp_path)
    path = dtsen(tmp_path / "six.xlsx", [(n, TAHAI_JAYA) for n in range(11, 17)])

    result = run(path, "2026-02", allow_mass_deactivation=True)

    assert result.applied
    assert result.deactivated == 4  # 17-20 of Tahai Jaya only
    assert Household.objects.active().count() == 16


def test_a_complete_regency_file_deactivates_in_every_desa(wilayah, tmp_path):
    regency(tmp_path)
    path = dtsen(tmp_path / "all.xlsx", [(n, TAHAI_JAYA) for n in range(11, 17)])

    result = run(path, "2026-02", complete=True, allow_mass_deactivation=True)

    assert result.deactivated == 14
    assert result.batch.complete
    assert Household.objects.active().count() == 6


def test_the_check_counts_per_kecamatan(wilayah, tmp_path):
    regency(tmp_path)
    rows = [(1, BUNTOI), (2, BUNTOI), (22, MINTIN)] + [(n, TAHAI_JAYA) for n in range(11, 20)]
    rows_changed = [DTSEN_HEADER] + [dtsen_row(serial, desa=desa) for serial, desa in rows]
    rows_changed[1][12] = 9  # household 1 changes desil
    path = write_xlsx(tmp_path / "check.xlsx", rows_changed)

    result = run(path, "2026-02", dry_run=True)

    assert result.batch.state == ImportBatch.State.VALIDATED
    # Kahayan Hilir: 22 new, 1 changed, 3-5 (Buntoi) and 6-10 (Mintin) gone; Maliku: 20 gone.
    assert result.batch.summary == [
        ["62.11.05", "Kahayan Hilir", 1, 1, 8],
        ["62.11.06", "Maliku", 0, 0, 1],
    ]
    assert result.batch.deactivated_count == 9
    assert result.batch.source_active_count == 20
    assert result.batch.needs_confirmation
    assert Household.objects.active().count() == 20


def test_applying_a_mass_deactivation_is_refused_unless_allowed(wilayah, tmp_path):
    regency(tmp_path)
    path = dtsen(tmp_path / "buntoi.xlsx", [(1, BUNTOI), (2, BUNTOI)])  # 3 of 20 = 15 %

    refused = run(path, "2026-02")

    assert refused.batch.state == ImportBatch.State.REFUSED
    assert "would deactivate 3 of the 20 active households" in refused.refused
    assert Household.objects.active().count() == 20
    applied = run(path, "2026-02", allow_mass_deactivation=True)
    assert applied.deactivated == 3


def test_a_confirmed_number_allows_exactly_that_many_deactivations(wilayah, tmp_path):
    regency(tmp_path)
    path = dtsen(tmp_path / "buntoi.xlsx", [(1, BUNTOI), (2, BUNTOI)])

    assert run(path, "2026-02", confirmed_deactivations=2).batch.state == ImportBatch.State.REFUSED
    assert run(path, "2026-02", confirmed_deactivations=3).deactivated == 3


def test_a_deactivation_within_ten_percent_needs_no_confirmation(wilayah, tmp_path):
    regency(tmp_path)
    path = dtsen(tmp_path / "buntoi.xlsx", [(n, BUNTOI) for n in range(1, 5)])  # 1 of 20

    assert run(path, "2026-02").deactivated == 1


def test_command_refuses_a_mass_deactivation_and_writes_nothing(wilayah, tmp_path, capsys):
    regency(tmp_path)
    path = dtsen(tmp_path / "maliku.xlsx", [(n, TAHAI_JAYA) for n in range(11, 14)])
    args = ["import_households", str(path), "--source", "dtsen", "--period", "2026-02", "--quiet-progress"]

    with pytest.raises(CommandError, match="would deactivate 7 of the 20"):
        call_command(*args)
    assert Household.objects.active().count() == 20

    call_command(*args, "--allow-mass-deactivation")
    assert "Deactivated:  7" in capsys.readouterr().out
    assert Household.objects.active().count() == 13


def test_command_complete_deactivates_outside_the_file(wilayah, tmp_path, capsys):
    regency(tmp_path)
    path = dtsen(tmp_path / "all.xlsx", [(n, BUNTOI) for n in range(1, 6)])
    args = ["import_households", str(path), "--source", "dtsen", "--period", "2026-02", "--quiet-progress"]

    call_command(*args, "--complete", "--allow-mass-deactivation")

    printed = capsys.readouterr().out
    assert "Deactivated:  15" in printed
    assert "Maliku" in printed
    assert Household.objects.active().count() == 5


# --- undo --------------------------------------------------------------------------------------------------


def test_undo_restores_changed_households_reactivates_and_removes_what_it_created(wilayah, dinsos, tmp_path):
    first = regency(tmp_path).pk
    before = {h.no_kk: h for h in Household.objects.all()}
    rows = [DTSEN_HEADER] + [dtsen_row(n, desa=BUNTOI) for n in (1, 2, 3, 4, 30)]
    rows[1][12] = 9
    rows[2][3] = "Nama Baru"
    second = run(write_xlsx(tmp_path / "b.xlsx", rows), "2026-02", allow_mass_deactivation=True)
    assert (second.created, second.updated, second.deactivated) == (1, 2, 1)

    undone = import_undo(batch=second.batch, user=dinsos)

    assert (undone.restored, undone.removed, undone.deactivated) == (3, 1, 0)
    assert not Household.objects.filter(no_kk=kk(30)).exists()
    one, two, five = (Household.objects.get(no_kk=kk(n)) for n in (1, 2, 5))
    assert one.desil == 3
    assert two.nama_kepala == "Kepala 2"
    assert five.is_active
    for household in (one, two, five):
        assert household.last_batch_id == first
        assert household.updated_at == before[household.no_kk].updated_at
        kinds = list(household.changes.order_by("pk").values_list("kind", flat=True))
        assert kinds[-1] == HouseholdChange.Kind.UNDONE
    batch = ImportBatch.objects.get(pk=second.batch.pk)
    assert batch.state == ImportBatch.State.UNDONE
    assert batch.undone_by == dinsos
    assert batch.undone_at is not None
    assert "3 households restored, 1 removed" in batch.message
    assert Household.objects.active().count() == 20


def test_undo_of_a_first_import_empties_what_it_created(wilayah, tmp_path):
    batch = regency(tmp_path)

    result = import_undo(batch=batch)

    assert result.removed == 20
    assert not Household.objects.exists()
    assert not HouseholdChange.objects.exists()


def test_undo_deactivates_a_created_household_a_program_lists(wilayah, tmp_path, company):
    batch = regency(tmp_path)
    program = ProgramFactory(company=company)
    listed = Household.objects.get(no_kk=kk(1))
    Beneficiary.objects.create(program=program, household=listed)

    result = import_undo(batch=batch)

    assert (result.removed, result.deactivated) == (19, 1)
    listed.refresh_from_db()
    assert not listed.is_active
    assert listed.changes.get().kind == HouseholdChange.Kind.UNDONE


def test_undo_goes_newest_first_and_names_the_later_batch(wilayah, tmp_path):
    first = regency(tmp_path)
    later = run(dtsen(tmp_path / "b.xlsx", [(n, BUNTOI) for n in range(1, 6)]), "2026-02").batch

    with pytest.raises(ImportUndoError, match=f"Import {later.pk} .*undo it first"):
        import_undo(batch=first)

    import_undo(batch=later)
    import_undo(batch=first)
    assert not Household.objects.exists()


def test_undo_is_refused_when_another_source_changed_a_household_since(wilayah, tmp_path):
    first = regency(tmp_path)
    rows = [DTSEN_HEADER, dtsen_row(1, desa=BUNTOI, desil=1)]
    other = import_file(write_xlsx(tmp_path / "p.xlsx", rows), source="p3ke", period="2026-02")
    assert other.updated == 1

    with pytest.raises(ImportUndoError, match=f"Import {other.batch.pk} "):
        import_undo(batch=first)
    assert Household.objects.count() == 20


def test_only_an_applied_batch_can_be_undone(wilayah, tmp_path):
    dry = run(dtsen(tmp_path / "a.xlsx", [(1, BUNTOI)]), "2026-01", dry_run=True).batch
    applied = regency(tmp_path)
    import_undo(batch=applied)

    for batch in (dry, applied):
        with pytest.raises(ImportUndoError, match="Only an applied import"):
            import_undo(batch=batch)


def test_an_undone_file_can_be_applied_again_and_older_periods_follow_the_undo(wilayah, tmp_path):
    regency(tmp_path)
    path = dtsen(tmp_path / "b.xlsx", [(n, BUNTOI) for n in range(1, 6)])
    newer = run(path, "2026-06").batch
    assert run(path, "2026-03").batch.state == ImportBatch.State.REFUSED

    import_undo(batch=newer)

    assert run(path, "2026-03").applied


def test_import_undo_command(wilayah, tmp_path, capsys):
    batch = regency(tmp_path)

    call_command("import_undo", str(batch.pk))

    assert "20" in capsys.readouterr().out
    assert not Household.objects.exists()
    with pytest.raises(CommandError, match="Only an applied import"):
        call_command("import_undo", str(batch.pk))
    with pytest.raises(CommandError, match="No import batch 999999"):
        call_command("import_undo", "999999")


def test_undo_restores_a_csv_import_on_a_per_person_file(wilayah, tmp_path):
    # Per-person files too: the household fields come back (members: test_import_undo_members.py).
    header = ["NOMOR KK", "NOMOR NIK", "NAMA", "HUB KELUARGA", "DESA/KELUARAHAN", "KECAMATAN"]
    first = [header, [kk(1), "6211054101900001", "Ayu", "KEPALA KELUARGA", "BUNTOI", "KAHAYAN HILIR"]]
    second = [
        header,
        [kk(1), "6211054101900001", "Ayu Lestari", "KEPALA KELUARGA", "BUNTOI", "KAHAYAN HILIR"],
    ]
    import_file(write_csv(tmp_path / "a.csv", first), source="dtks", period="2026-01")
    later = import_file(write_csv(tmp_path / "b.csv", second), source="dtks", period="2026-02")

    import_undo(batch=later.batch)

    assert Household.objects.get().nama_kepala == "Ayu"


# --- periods -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "canonical"),
    [("2026", "2026"), ("2026-03", "2026-03"), ("2026-3", "2026-03"), ("Maret 2026", "2026-03"),
     ("MAR 2026", "2026-03"), ("2026-S1", "2026-S1"), ("2026-Q2", "2026-Q2"), ("2025-III", "2025-Q3"),
     ("2025 IV", "2025-Q4"), ("Desember 2025", "2025-12")],
)  # fmt: skip
def test_accepted_period_labels(label, canonical):
    assert period_parse(label).label == canonical


@pytest.mark.parametrize("label", ["bad", "Semester I", "2026-13", "03/2026", "2026-Q5", "Maret", ""])
def test_other_labels_are_refused_listing_the_accepted_forms(label):
    with pytest.raises(ImportRefused, match="Accepted forms: 2026, 2026-03, Maret 2026, 2026-Q2"):
        period_parse(label)


def test_periods_are_ordered_by_their_end_then_their_start():
    labels = ["2026", "2026-06", "2025-IV", "2026-S1", "2026-03", "2026-Q1", "2025-12"]

    assert sorted(labels, key=period_order) == [
        "2025-IV", "2025-12", "2026-Q1", "2026-03", "2026-S1", "2026-06", "2026"
    ]  # fmt: skip


def test_an_import_with_a_label_that_is_no_period_is_refused(wilayah, tmp_path):
    regency(tmp_path)

    result = run(dtsen(tmp_path / "bad.xlsx", [(1, BUNTOI)]), "bad")

    assert result.batch.state == ImportBatch.State.REFUSED
    assert "“bad” is not a period" in result.refused
    assert Household.objects.active().count() == 20


def test_the_period_is_stored_in_its_accepted_form(wilayah, tmp_path):
    batch = run(dtsen(tmp_path / "a.xlsx", [(1, BUNTOI)]), "Maret 2026").batch

    assert (batch.period, batch.period_order) == ("2026-03", 20260303)


def test_the_data_migration_maps_existing_labels():
    migration = importlib.import_module("poverty_data.migrations.0006_import_period_order")

    assert migration.legacy_period("03/2026") == ("2026-03", 20260303)
    assert migration.legacy_period("DES 2025") == ("2025-12", 20251212)
    assert migration.legacy_period("Semester I 2026") == ("2026-S1", 20260601)
    assert migration.legacy_period("2026") == ("2026", 20261201)
    assert migration.legacy_period("bench") is None
    assert migration.legacy_period("bad") is None
