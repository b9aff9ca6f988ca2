import datetime
import threading

import pytest
from django.db import IntegrityError, connection, transaction

from poverty_data.models import Desa, Household
from programs.models import AssistanceClaim, Beneficiary, BidangRule, Program, ProgramEvent
from programs.selectors.matching import claim_years, targeting_preview
from programs.services import matching
from tests.poverty_data.factories import HouseholdFactory, ImportBatchFactory
from tests.programs.factories import ProgramFactory
from tslp_portal.privacy import mask_identity

S = Program.Status
B = Beneficiary.State
DESA_A = "62.11.05.2001"
DESA_B = "62.11.05.2002"


@pytest.fixture
def batch(db):
    return ImportBatchFactory()


@pytest.fixture
def make_household(batch, wilayah):
    def make(desa=DESA_A, **values):
        return HouseholdFactory(desa=Desa.objects.get(kode=desa), last_batch=batch, **values)

    return make


@pytest.fixture
def approved(company):
    return ProgramFactory(
        company=company, status=S.APPROVED, bidang="pendidikan", max_desil=3, target_households=10, needs=[]
    )


def proposed_ids(program):
    return list(
        Beneficiary.objects.filter(program=program, state=B.PROPOSED)
        .order_by("rank")
        .values_list("household_id", flat=True)
    )


def test_candidates_meet_desa_desil_needs_and_exclusions(approved, dinsos, make_household):
    approved.needs = ["no_clean_water"]
    approved.excluded_assistance = ["pkh"]
    approved.save()
    good = make_household(desil=2, needs_water=True)
    make_household(desil=4, needs_water=True)  # too well off
    make_household(desil=1, needs_water=False)  # lacks the need
    make_household(desil=1, needs_water=True, receives_pkh=True)  # excluded assistance
    make_household(desil=1, needs_water=True, is_active=False)  # no longer in the registry
    make_household(desa="62.11.06.2001", desil=1, needs_water=True)  # another desa
    make_household(desil=None, needs_water=True)  # unranked households are never guessed poor
    result = matching.beneficiaries_propose(program=approved, actor=dinsos)
    assert proposed_ids(approved) == [good.pk]
    assert result.proposed == 1 and result.eligible == 1 and result.short


def test_order_is_poorest_then_most_needs_then_least_csr(approved, dinsos, make_household):
    rich_in_needs = make_household(desil=2, needs_count=3)
    poorest = make_household(desil=1, needs_count=0)
    helped_before = make_household(desil=2, needs_count=1)
    never_helped = make_household(desil=2, needs_count=1)
    for state in (B.CONFIRMED, B.DELIVERED, B.NOT_DELIVERED):  # received twice; not delivered counts nothing
        earlier = ProgramFactory(company=approved.company, tahun=approved.tahun - 1, bidang="kesehatan")
        delivered_on = datetime.date(earlier.tahun, 6, 1) if state == B.DELIVERED else None
        Beneficiary.objects.create(
            program=earlier, household=helped_before, state=state, delivered_on=delivered_on
        )
        Beneficiary.objects.create(program=earlier, household=never_helped, state=B.NOT_DELIVERED)
    matching.beneficiaries_propose(program=approved, actor=dinsos)
    assert proposed_ids(approved) == [poorest.pk, rich_in_needs.pk, never_helped.pk, helped_before.pk]


@pytest.mark.parametrize("spread", ["proportional", "ranked"])
def test_a_short_target_takes_the_poorest_then_most_needs_then_least_csr(
    approved, dinsos, make_household, spread
):
    approved.target_households = 3
    approved.save()
    chosen = [
        make_household(desil=1, needs_count=0),
        make_household(desil=2, needs_count=3),
        make_household(desil=2, needs_count=2),
    ]
    left_out = [make_household(desil=2, needs_count=1), make_household(desil=3, needs_count=3)]
    helped_before = make_household(desil=2, needs_count=2)
    earlier = ProgramFactory(company=approved.company, tahun=approved.tahun - 1, bidang="kesehatan")
    Beneficiary.objects.create(program=earlier, household=helped_before, state=B.CONFIRMED)
    matching.beneficiaries_propose(program=approved, actor=dinsos, spread=spread)
    assert proposed_ids(approved) == [household.pk for household in chosen]
    assert not {household.pk for household in [*left_out, helped_before]} & set(proposed_ids(approved))


def test_tie_break_is_reproducible(approved, dinsos, make_household):
    for _ in range(30):
        make_household(desil=2, needs_count=1)
    approved.target_households = 12
    approved.save()
    matching.beneficiaries_propose(program=approved, actor=dinsos)
    first = proposed_ids(approved)
    matching.beneficiaries_propose(program=approved, actor=dinsos)
    assert proposed_ids(approved) == first
    assert len(first) == 12
    assert first != sorted(first)  # ties are spread, not simply the oldest rows


def test_quota_spreads_proportionally_over_desa(approved, dinsos, make_household):
    approved.target_households = 8
    approved.save()
    approved.locations.create(desa=Desa.objects.get(kode=DESA_B))
    for _ in range(30):
        make_household(desa=DESA_A, desil=1)
    for _ in range(10):
        make_household(desa=DESA_B, desil=3)
    result = matching.beneficiaries_propose(program=approved, actor=dinsos)
    per_desa = {row["nama"]: row["proposed"] for row in result.per_desa.values()}
    assert sorted(per_desa.values()) == [2, 6]
    # Ranked across all desa instead, the poorer desa takes every place.
    matching.beneficiaries_propose(program=approved, actor=dinsos, spread="ranked")
    desa = set(Household.objects.filter(pk__in=proposed_ids(approved)).values_list("desa__kode", flat=True))
    assert desa == {DESA_A}


def test_empty_pool_says_why(approved, dinsos, make_household):
    approved.max_desil = 2
    approved.needs = ["no_clean_water"]
    approved.save()
    make_household(desil=2, needs_water=False)
    make_household(desil=5, needs_water=True)
    result = matching.beneficiaries_propose(program=approved, actor=dinsos)
    assert result.proposed == 0
    assert "desil ≤ 2" in result.empty_reason
    assert "air minum bersih" in result.empty_reason
    assert "Buntoi" in result.empty_reason


def confirm(program, dinsos):
    matching.beneficiaries_propose(program=program, actor=dinsos)
    return matching.beneficiaries_confirm(program=program, actor=dinsos)


def test_confirming_starts_the_program_and_records_the_claim(approved, dinsos, make_household):
    household = make_household(desil=1)
    assert confirm(approved, dinsos) == 1
    approved.refresh_from_db()
    assert approved.status == S.RUNNING
    assert Beneficiary.objects.get(program=approved).state == B.CONFIRMED
    assert AssistanceClaim.objects.filter(
        household=household, bidang="pendidikan", year=approved.tahun
    ).exists()
    assert approved.events.filter(action=ProgramEvent.Action.CONFIRM).exists()


def test_each_claim_holds_its_beneficiarys_household_which_the_database_keeps(
    approved, dinsos, make_household
):
    households = [make_household(desil=1) for _ in range(3)]
    confirm(approved, dinsos)

    claims = list(AssistanceClaim.objects.select_related("beneficiary"))
    assert len(claims) == len(households) * len(claim_years(approved))
    assert all(claim.household_id == claim.beneficiary.household_id for claim in claims)
    # The claim's household is checked through its beneficiary: a household holding one cannot be deleted.
    with pytest.raises(IntegrityError, match="programs_beneficiary"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM poverty_data_household WHERE id = %s", [households[0].pk])
        connection.check_constraints()


def test_household_confirmed_for_same_bidang_and_year_is_not_proposed_again(
    approved, company, dinsos, make_household
):
    household = make_household(desil=1)
    confirm(approved, dinsos)
    second = ProgramFactory(
        company=company, status=S.APPROVED, bidang="pendidikan", max_desil=3, target_households=5
    )
    assert matching.beneficiaries_propose(program=second, actor=dinsos).proposed == 0
    other_bidang = ProgramFactory(company=company, status=S.APPROVED, bidang="kesehatan", target_households=5)
    matching.beneficiaries_propose(program=other_bidang, actor=dinsos)
    assert proposed_ids(other_bidang) == [household.pk]


def test_infrastructure_excludes_for_five_years_and_food_aid_may_repeat(company, dinsos, make_household):
    household = make_household(desil=1)
    house = ProgramFactory(
        company=company, status=S.APPROVED, bidang="infrastruktur", tahun=2026, target_households=1
    )
    confirm(house, dinsos)
    later = ProgramFactory(
        company=company, status=S.APPROVED, bidang="infrastruktur", tahun=2030, target_households=1
    )
    assert matching.beneficiaries_propose(program=later, actor=dinsos).proposed == 0
    much_later = ProgramFactory(
        company=company, status=S.APPROVED, bidang="infrastruktur", tahun=2031, target_households=1
    )
    matching.beneficiaries_propose(program=much_later, actor=dinsos)
    assert proposed_ids(much_later) == [household.pk]
    food = ProgramFactory(
        company=company, status=S.APPROVED, bidang="sosial_keagamaan", tahun=2026, target_households=1
    )
    confirm(food, dinsos)
    more_food = ProgramFactory(
        company=company, status=S.APPROVED, bidang="sosial_keagamaan", tahun=2026, target_households=1
    )
    matching.beneficiaries_propose(program=more_food, actor=dinsos)
    assert proposed_ids(more_food) == [household.pk]


def test_dinsos_configures_the_rule_per_bidang(approved, company, dinsos, make_household):
    make_household(desil=1)
    BidangRule.objects.filter(bidang="pendidikan").update(repeat_allowed=True)
    confirm(approved, dinsos)
    again = ProgramFactory(
        company=company, status=S.APPROVED, bidang="pendidikan", max_desil=3, target_households=1
    )
    assert matching.beneficiaries_propose(program=again, actor=dinsos).proposed == 1


def test_remove_needs_a_reason_and_the_household_stays_out(approved, dinsos, make_household):
    first, second = make_household(desil=1), make_household(desil=2)
    matching.beneficiaries_propose(program=approved, actor=dinsos)
    beneficiary = Beneficiary.objects.get(program=approved, household=first)
    with pytest.raises(matching.MatchingError, match="Tuliskan alasan"):
        matching.beneficiary_remove(beneficiary=beneficiary, actor=dinsos, reason=" ")
    matching.beneficiary_remove(
        beneficiary=beneficiary, actor=dinsos, reason="Sudah pindah ke Palangka Raya."
    )
    matching.beneficiaries_propose(program=approved, actor=dinsos)
    assert proposed_ids(approved) == [second.pk]
    assert (
        Beneficiary.objects.get(program=approved, household=first).removed_reason
        == "Sudah pindah ke Palangka Raya."
    )


def test_adding_a_household_that_breaks_the_rules_needs_a_recorded_override(approved, dinsos, make_household):
    too_rich = make_household(desil=7)
    with pytest.raises(matching.MatchingError, match="desil"):
        matching.beneficiary_add(program=approved, actor=dinsos, household=too_rich)
    beneficiary = matching.beneficiary_add(
        program=approved, actor=dinsos, household=too_rich, override_reason="Rumah terbakar bulan lalu."
    )
    assert beneficiary.override_reason == "Rumah terbakar bulan lalu."
    event = approved.events.filter(action=ProgramEvent.Action.PROPOSE).latest("created_at")
    assert mask_identity(too_rich.no_kk) in event.note
    assert "Rumah terbakar" in event.note
    eligible = make_household(desil=1)
    assert not matching.beneficiary_add(program=approved, actor=dinsos, household=eligible).override_reason


@pytest.mark.parametrize("persona", ["owner", "camat", "pimpinan"])
def test_only_dinsos_matches(approved, personas, persona, make_household):
    make_household(desil=1)
    with pytest.raises(matching.MatchingError, match="Hanya Dinsos yang mencocokkan"):
        matching.beneficiaries_propose(program=approved, actor=personas[persona])


@pytest.mark.parametrize("status", [S.SUBMITTED, S.RUNNING, S.COMPLETED, S.CANCELLED])
def test_matching_needs_an_approved_program(company, dinsos, status, make_household):
    make_household(desil=1)
    program = ProgramFactory(company=company, status=status, target_households=3)
    with pytest.raises(matching.MatchingError, match="selama program berstatus disetujui"):
        matching.beneficiaries_propose(program=program, actor=dinsos)


def test_confirm_fails_whole_when_another_program_took_a_household_meanwhile(
    approved, company, dinsos, make_household
):
    shared = make_household(desil=1)
    other = ProgramFactory(
        company=company, status=S.APPROVED, bidang="pendidikan", max_desil=3, target_households=5
    )
    matching.beneficiaries_propose(program=approved, actor=dinsos)
    matching.beneficiaries_propose(program=other, actor=dinsos)
    matching.beneficiaries_confirm(program=other, actor=dinsos)
    with pytest.raises(matching.MatchingError, match=shared.no_kk):
        matching.beneficiaries_confirm(program=approved, actor=dinsos)
    approved.refresh_from_db()
    assert approved.status == S.APPROVED
    assert Beneficiary.objects.get(program=approved).state == B.PROPOSED
    assert Beneficiary.objects.filter(household=shared, state__in=Beneficiary.RECEIVING).count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_staff_confirming_at_the_same_moment_cannot_both_give_the_same_household(
    wilayah, company, make_household
):
    from tests.accounts.factories import UserFactory

    staff = [UserFactory(role="dinsos", is_staff=True) for _ in range(2)]
    shared = make_household(desil=1)
    programs = [
        ProgramFactory(
            company=company, status=S.APPROVED, bidang="pendidikan", max_desil=3, target_households=1
        )
        for _ in range(2)
    ]
    for program, person in zip(programs, staff, strict=True):
        matching.beneficiaries_propose(program=program, actor=person)
    barrier = threading.Barrier(2)
    outcomes = []

    def run(program, person):
        from django.db import connections

        try:
            barrier.wait()
            matching.beneficiaries_confirm(program=program, actor=person)
            outcomes.append("confirmed")
        except matching.MatchingError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=pair) for pair in zip(programs, staff, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["confirmed", "refused"]
    assert AssistanceClaim.objects.filter(household=shared, bidang="pendidikan").count() == 1
    assert Beneficiary.objects.filter(household=shared, state=B.CONFIRMED).count() == 1


def test_preview_and_proposal_agree_over_the_bidang_rules_whole_window(company, dinsos, make_household):
    """A household held by a 2027 infrastructure program (2027-2031) is out of a 2026 one (2026-2030)."""
    held, free = make_household(desil=1), make_household(desil=2)
    later = ProgramFactory(
        company=company, status=S.APPROVED, bidang="infrastruktur", tahun=2027, target_households=1
    )
    Beneficiary.objects.create(program=later, household=held, state=B.PROPOSED, rank=1)
    matching.beneficiaries_confirm(program=later, actor=dinsos)
    earlier = ProgramFactory(
        company=company, status=S.APPROVED, bidang="infrastruktur", tahun=2026, target_households=2
    )
    preview = targeting_preview(program=earlier)
    result = matching.beneficiaries_propose(program=earlier, actor=dinsos)
    assert preview["same_bidang"] == 1
    assert preview["eligible"] == result.eligible == 1
    assert preview["meeting_desil"] - preview["same_bidang"] == result.eligible
    assert proposed_ids(earlier) == [free.pk]


def test_preview_counts_each_rule_as_the_proposal_applies_it(approved, company, dinsos, make_household):
    approved.needs = ["no_clean_water"]
    approved.excluded_assistance = ["pkh"]
    approved.save()
    good = make_household(desil=2, needs_water=True)
    make_household(desil=4, needs_water=True)  # above the desil limit
    make_household(desil=1, needs_water=False)  # lacks the need
    make_household(desil=1, needs_water=True, receives_pkh=True)  # excluded assistance
    make_household(desil=1, needs_water=True, is_active=False)  # not counted at all
    make_household(desa="62.11.06.2001", desil=1, needs_water=True)  # not counted at all
    removed = make_household(desil=1, needs_water=True)
    Beneficiary.objects.create(program=approved, household=removed, state=B.REMOVED, removed_reason="x")
    held = make_household(desil=1, needs_water=True)
    other = ProgramFactory(company=company, status=S.APPROVED, bidang="pendidikan", target_households=1)
    Beneficiary.objects.create(program=other, household=held, state=B.PROPOSED, rank=1)
    matching.beneficiaries_confirm(program=other, actor=dinsos)
    preview = targeting_preview(program=approved)
    result = matching.beneficiaries_propose(program=approved, actor=dinsos)
    assert preview == {
        "in_desa": 6,
        "meeting_desil": 5,
        "same_bidang": 1,
        "eligible": 1,
        "covers_target": False,
    }
    assert result.eligible == preview["eligible"]
    assert proposed_ids(approved) == [good.pk]


def test_removing_a_household_is_recorded_with_who_and_why(approved, dinsos, make_household):
    household = make_household(desil=1)
    matching.beneficiaries_propose(program=approved, actor=dinsos)
    beneficiary = Beneficiary.objects.get(program=approved, household=household)
    matching.beneficiary_remove(beneficiary=beneficiary, actor=dinsos, reason="Sudah pindah.")
    event = approved.events.get(action=ProgramEvent.Action.REMOVE)
    assert event.actor == dinsos
    assert event.note == f"Keluarga {mask_identity(household.no_kk)} dikeluarkan: Sudah pindah."


def test_confirming_goes_through_the_transition_table(approved, dinsos, make_household):
    make_household(desil=1)
    matching.beneficiaries_propose(program=approved, actor=dinsos)
    matching.beneficiaries_confirm(program=approved, actor=dinsos)
    event = approved.events.get(action=ProgramEvent.Action.CONFIRM)
    assert (event.from_status, event.to_status, event.actor) == (S.APPROVED, S.RUNNING, dinsos)


def test_preview_counts_in_one_query_over_a_literal_list_of_desa(
    approved, make_household, django_assert_max_num_queries
):
    """A subquery on program locations makes PostgreSQL scan every household (about 5 times slower at
    a million households, `make bench-matching`); four separate counts read the desa's households four times."""
    make_household(desil=1)
    with django_assert_max_num_queries(3) as captured:
        targeting_preview(program=approved)
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1
    assert "programlocation" not in counts[0].lower()
    assert "EXISTS" not in counts[0].upper()  # correlated: once per household inside FILTER
