"""How program rupiah are spread over desa: whole rupiah that add up to every program exactly."""

import pytest
from django.urls import reverse

from dashboards.selectors.figures import desa_figures, kecamatan_figures, regency_figures
from dashboards.selectors.shares import largest_remainder
from dashboards.services.summary import figures_rebuild
from programs.models import Beneficiary, Bidang, Program, RealisationReport
from tests.dashboards.ledger import BUNTOI, MINTIN, TAHAI_JAYA, YEAR, build, household, receive
from tests.programs.factories import ProgramFactory

pytestmark = pytest.mark.django_db
S = Program.Status
B = Beneficiary.State


def by_kode(rows):
    return {row["kode"]: row for row in rows}


def verified(program, amount):
    RealisationReport.objects.create(
        program=program,
        period="S1",
        amount_spent=amount,
        description="x",
        state=RealisationReport.State.VERIFIED,
    )


def test_largest_remainder_gives_the_leftover_to_the_largest_remainders_then_the_lower_key():
    assert largest_remainder(10, [("b", 1), ("a", 1), ("c", 1)]) == {"a": 4, "b": 3, "c": 3}
    assert largest_remainder(8_397_500_000, [(k, 1) for k in "abc"]) == {
        "a": 2_799_166_667,
        "b": 2_799_166_667,
        "c": 2_799_166_666,
    }
    assert largest_remainder(100, [("a", 2), ("b", 0), ("c", 1)]) == {"a": 67, "b": 0, "c": 33}
    assert largest_remainder(5, [("a", 0), ("b", 0)]) == {"a": 3, "b": 2}
    assert largest_remainder(7, []) == {}


@pytest.mark.parametrize("budget", [8_397_500_000, 1, 2, 1_189_999_999, 1_190_000_000])
def test_regency_bidang_and_trend_totals_equal_the_whole_budget(company, pimpinan, login, wilayah, budget):
    ProgramFactory(
        company=company,
        tahun=YEAR,
        status=S.RUNNING,
        budget=budget,
        bidang=Bidang.LINGKUNGAN,
        desa_codes=[BUNTOI, MINTIN, TAHAI_JAYA],
    )

    response = login(pimpinan).get(reverse("dashboards:regency"), {"tahun": YEAR})

    assert regency_figures(tahun=YEAR)["anggaran_rencana"] == budget
    assert sum(row["anggaran_rencana"] for row in kecamatan_figures(tahun=YEAR)) == budget
    bidang = {row["bidang"]: row for row in response.context["bidang"]}
    assert bidang[Bidang.LINGKUNGAN]["anggaran_rencana"] == budget
    trend = {row["tahun"]: row for row in response.context["trend"]}
    assert trend[YEAR]["anggaran_rencana"] == budget


def test_realisation_follows_the_households_delivered_in_each_desa(company, wilayah):
    program = ProgramFactory(
        company=company, tahun=YEAR, status=S.RUNNING, budget=300, desa_codes=[BUNTOI, MINTIN, TAHAI_JAYA]
    )
    verified(program, 100)
    receive(program, household(BUNTOI, 1), B.DELIVERED)
    receive(program, household(BUNTOI, 2), B.DELIVERED)
    receive(program, household(MINTIN, 1), B.DELIVERED)
    receive(program, household(TAHAI_JAYA, 1), B.CONFIRMED)  # confirmed, nothing delivered yet

    rows = by_kode(desa_figures(kecamatan=program.locations.first().desa.kecamatan_id, tahun=YEAR))
    tahai = by_kode(kecamatan_figures(tahun=YEAR))["62.11.06"]

    assert (rows[BUNTOI]["realisasi"], rows[MINTIN]["realisasi"], tahai["realisasi"]) == (67, 33, 0)
    assert (rows[BUNTOI]["anggaran_rencana"], tahai["anggaran_rencana"]) == (100, 100)


def test_realisation_is_spread_evenly_while_no_delivery_is_reported(company, wilayah):
    program = ProgramFactory(
        company=company, tahun=YEAR, status=S.RUNNING, budget=3, desa_codes=[BUNTOI, MINTIN]
    )
    verified(program, 101)
    receive(program, household(BUNTOI, 1), B.CONFIRMED)

    rows = by_kode(desa_figures(kecamatan=program.locations.first().desa.kecamatan_id, tahun=YEAR))

    assert (rows[BUNTOI]["realisasi"], rows[MINTIN]["realisasi"]) == (51, 50)
    assert (rows[BUNTOI]["anggaran_rencana"], rows[MINTIN]["anggaran_rencana"]) == (2, 1)


def test_desa_page_says_which_rupiah_are_this_desas_share(company, camat, login):
    ledger = build(company)

    response = login(camat).get(reverse("dashboards:desa", args=[MINTIN]), {"tahun": YEAR})
    content = response.content.decode()

    assert "bagian desa ini" in content
    programs = {row["pk"]: row for row in response.context["programs"]}
    # p1 spans Buntoi and Mintin: the whole budget beside Mintin's half of it.
    assert (programs[ledger["p1"].pk]["budget"], programs[ledger["p1"].pk]["share_budget"]) == (
        1_000_000_001,
        500_000_000,
    )
    assert "Rp 500.000.000" in content and "Rp 1.000.000.001" in content


def test_a_program_of_a_later_year_leaves_the_never_assisted_of_a_year_alone(company, kahayan_hilir):
    ledger = build(company)
    before = by_kode(desa_figures(kecamatan=kahayan_hilir, tahun=YEAR))[BUNTOI]["miskin_belum_pernah"]

    later = ProgramFactory(company=company, tahun=YEAR + 1, status=S.APPROVED, desa_codes=[BUNTOI])
    receive(later, ledger["h2"])  # until now only on a cancelled program: never assisted
    figures_rebuild()

    assert by_kode(desa_figures(kecamatan=kahayan_hilir, tahun=YEAR))[BUNTOI]["miskin_belum_pernah"] == before
    assert (
        by_kode(desa_figures(kecamatan=kahayan_hilir, tahun=YEAR + 1))[BUNTOI]["miskin_belum_pernah"]
        == before - 1
    )


def test_kecamatan_page_says_its_rupiah_are_this_kecamatans_share(company, camat, login):
    build(company)

    response = login(camat).get(reverse("dashboards:kecamatan", args=["62.11.05"]), {"tahun": YEAR})
    content = response.content.decode()

    assert "bagian kecamatan ini" in content
    # p3 spans Mintin (Kahayan Hilir) and Tahai Jaya (Maliku): Kahayan Hilir's bidang table counts Mintin's share.
    bidang = {row["bidang"]: row for row in response.context["bidang"]}
    assert bidang[Bidang.KESEHATAN]["anggaran_rencana"] == 45_000_001
