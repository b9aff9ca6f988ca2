"""A newer program recipient list clears the flag of the households an earlier list named and it does not."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from poverty_data.models import Household, HouseholdChange
from poverty_data.services import import_undo
from tests.poverty_data.factories import HouseholdFactory
from tests.poverty_data.files import import_file, kk, nik, write_xlsx

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

HEADER = ["NO", "NMKEC", "NMKEL", "NOKK_DTKS", "NIK_KTP", "NAMA_PENERIMA"]
BUNTOI, MINTIN, TAHAI_JAYA = "62.11.05.2001", "62.11.05.2002", "62.11.06.2001"
PLACES = {
    BUNTOI: ("KAHAYAN HILIR", "BUNTOI"),
    MINTIN: ("KAHAYAN HILIR", "MINTIN"),
    TAHAI_JAYA: ("MALIKU", "TAHAI JAYA"),
}


@pytest.fixture
def registry(wilayah):
    """Households 1-3 in Buntoi, 4 in Mintin, 5 in Tahai Jaya (Maliku), none receiving PKH yet."""
    from poverty_data.models import Desa

    desa = {kode: Desa.objects.get(kode=kode) for kode in PLACES}
    places = [BUNTOI, BUNTOI, BUNTOI, MINTIN, TAHAI_JAYA]
    return {
        n: HouseholdFactory(no_kk=kk(n), nik_kepala=nik(n), desa=desa[kode], receives_pkh=False)
        for n, kode in enumerate(places, start=1)
    }


def pkh_list(path, serials, source="pkh", period="2026-Q1", **kwargs):
    rows = [HEADER]
    for number, serial in enumerate(serials, start=1):
        kecamatan, desa = PLACES[Household.objects.get(no_kk=kk(serial)).desa.kode]
        rows.append([number, kecamatan, desa, kk(serial), nik(serial), f"IBU {serial}"])
    return import_file(write_xlsx(path, rows), source=source, period=period, **kwargs)


def flagged() -> list[str]:
    return sorted(Household.objects.filter(receives_pkh=True).values_list("no_kk", flat=True))


def test_a_newer_list_clears_the_flag_of_households_that_dropped_off_in_the_desa_it_covers(
    registry, tmp_path
):
    pkh_list(tmp_path / "q1.xlsx", [1, 2, 4, 5])
    assert flagged() == [kk(1), kk(2), kk(4), kk(5)]

    # The Q2 list of Kahayan Hilir: household 2 dropped off, 3 joined; Maliku (household 5) is not in it.
    check = pkh_list(tmp_path / "q2.xlsx", [1, 3, 4], period="2026-Q2", dry_run=True)
    applied = pkh_list(tmp_path / "q2.xlsx", [1, 3, 4], period="2026-Q2")

    for result in (check, applied):
        assert result.batch.summary == [["62.11.05", "Kahayan Hilir", 0, 1, 1]]
        assert (result.batch.flags_set, result.batch.flags_cleared, result.deactivated) == (1, 1, 0)
    assert flagged() == [kk(1), kk(3), kk(4), kk(5)]
    dropped = registry[2]
    assert dropped.changes.get(batch=applied.batch).previous["receives_pkh"]
    dropped.refresh_from_db()
    assert (dropped.is_active, dropped.last_batch_id) == (True, applied.batch.pk)


def test_a_complete_list_clears_the_flag_everywhere(registry, tmp_path):
    pkh_list(tmp_path / "q1.xlsx", [1, 2, 4, 5])

    result = pkh_list(tmp_path / "q2.xlsx", [1], period="2026-Q2", complete=True)

    assert result.batch.summary == [["62.11.05", "Kahayan Hilir", 0, 0, 2], ["62.11.06", "Maliku", 0, 0, 1]]
    assert flagged() == [kk(1)]


def test_only_households_an_earlier_list_of_the_same_program_named_are_cleared(registry, tmp_path):
    # Household 3 has PKH from a DTSEN file, never from a list; household 2 is on the BPNT list only.
    Household.objects.filter(pk=registry[3].pk).update(receives_pkh=True)
    pkh_list(tmp_path / "bpnt.xlsx", [2], source="bpnt")
    pkh_list(tmp_path / "q1.xlsx", [1])

    result = pkh_list(tmp_path / "q2.xlsx", [1], period="2026-Q2")

    assert result.batch.flags_cleared == 0
    assert flagged() == [kk(1), kk(3)]
    assert Household.objects.get(no_kk=kk(2)).receives_bpnt


def test_undo_gives_the_cleared_flags_back(registry, tmp_path):
    pkh_list(tmp_path / "q1.xlsx", [1, 2])
    later = pkh_list(tmp_path / "q2.xlsx", [1, 3], period="2026-Q2")
    assert flagged() == [kk(1), kk(3)]

    import_undo(batch=later.batch)

    assert flagged() == [kk(1), kk(2)]
    assert registry[2].changes.order_by("pk").last().kind == HouseholdChange.Kind.UNDONE
    # The undone list no longer counts as an earlier list: the next one clears what Q1 named.
    again = pkh_list(tmp_path / "q3.xlsx", [1], period="2026-Q3")
    assert again.batch.flags_cleared == 1
    assert flagged() == [kk(1)]


def test_the_check_page_shows_the_cleared_flags_per_kecamatan(registry, tmp_path, dinsos, login):
    pkh_list(tmp_path / "q1.xlsx", [1, 2, 4])
    check = pkh_list(tmp_path / "q2.xlsx", [1], period="2026-Q2", dry_run=True)
    client = login(dinsos)

    with translation.override("id"):
        page = client.get(reverse("registry:import_detail", args=[check.batch.pk]))

    html = page.content.decode()
    assert 'id="flags-cleared-warning"' in html
    # Household 2 of Buntoi dropped off; household 4 of Mintin is outside the desa the list covers.
    assert "Daftar penerima PKH sebelumnya mencantumkan 1 keluarga yang tidak ada di daftar ini" in html
    assert "Tanda dicabut" in html
    assert "Kahayan Hilir" in html


def test_the_command_prints_flags_set_and_cleared_per_kecamatan(registry, tmp_path, capsys):
    pkh_list(tmp_path / "q1.xlsx", [1, 2])
    rows = [HEADER, [1, "KAHAYAN HILIR", "BUNTOI", kk(3), nik(3), "IBU 3"]]

    with translation.override("en"):
        call_command(
            "import_households", str(write_xlsx(tmp_path / "q2.xlsx", rows)), "--source", "pkh",
            "--period", "2026-Q2", "--quiet-progress",
        )  # fmt: skip

    assert "62.11.05 Kahayan Hilir: flag set on 1, cleared on 2" in capsys.readouterr().out
