import pytest

from etalase.models import Adoption, Need, NeedEvent
from etalase.services import TRANSITIONS, NeedError, need_adopt, need_create, need_transition, need_update
from poverty_data.models import Desa
from programs.models import Program
from programs.services import program_withdraw
from tests.etalase.factories import NeedFactory

S = Need.Status
A = NeedEvent.Action


def test_camat_proposal_waits_for_dinsos_and_is_recorded(camat, kahayan_hilir):
    need = NeedFactory.build(kecamatan=kahayan_hilir, desa=kahayan_hilir.desa_set.first())
    need_create(need=need, actor=camat)
    assert need.status == S.PROPOSED
    assert list(need.events.values_list("action", "to_status")) == [(A.PROPOSE, S.PROPOSED)]


def test_dinsos_adds_an_open_need(dinsos, maliku):
    need = need_create(need=NeedFactory.build(kecamatan=maliku, desa=None), actor=dinsos)
    assert need.status == S.OPEN
    assert need.events.get().action == A.ADD


def test_camat_cannot_propose_for_another_kecamatan(camat, maliku):
    with pytest.raises(NeedError, match="your own kecamatan"):
        need_create(need=NeedFactory.build(kecamatan=maliku, desa=None), actor=camat)


def test_desa_must_lie_in_the_kecamatan(dinsos, kahayan_hilir, maliku):
    need = NeedFactory.build(kecamatan=kahayan_hilir, desa=maliku.desa_set.first())
    with pytest.raises(NeedError, match="not in the kecamatan"):
        need_create(need=need, actor=dinsos)


@pytest.mark.parametrize("action", list(TRANSITIONS))
@pytest.mark.parametrize("status", list(S))
def test_every_decision_from_every_status(dinsos, kahayan_hilir, action, status):
    need = NeedFactory(status=status)
    transition = TRANSITIONS[action]
    if status in transition.allowed_from:
        need_transition(need=need, actor=dinsos, action=action, note="Bukan prioritas tahun ini")
        assert need.status == transition.to_status
        assert need.events.get().from_status == status
    else:
        with pytest.raises(NeedError, match="cannot be done while the need is"):
            need_transition(need=need, actor=dinsos, action=action, note="x")
        assert Need.objects.get(pk=need.pk).status == status


def test_reject_needs_a_reason(dinsos, kahayan_hilir):
    need = NeedFactory(status=S.PROPOSED)
    with pytest.raises(NeedError, match="Write the reason"):
        need_transition(need=need, actor=dinsos, action=A.REJECT, note="  ")


def test_only_dinsos_decides(camat, kahayan_hilir):
    need = NeedFactory(status=S.PROPOSED)
    with pytest.raises(NeedError, match="Only Dinsos"):
        need_transition(need=need, actor=camat, action=A.APPROVE)


def test_stale_page_fails_clearly(dinsos, kahayan_hilir):
    need = NeedFactory(status=S.OPEN)
    with pytest.raises(NeedError, match="changed meanwhile"):
        need_transition(need=need, actor=dinsos, action=A.APPROVE, expected_status=S.PROPOSED)


def test_edit_records_each_changed_field(camat, kahayan_hilir):
    need = NeedFactory(status=S.OPEN)
    need.budget = 120_000_000
    need.title = "Sumur bor dua titik"
    changes = need_update(need=need, actor=camat)
    assert {c["field"] for c in changes} == {"title", "budget"}
    assert {"field": "budget", "old": "Rp 100.000.000", "new": "Rp 120.000.000"} in changes
    assert need.events.get(action=A.EDIT).changes == changes


def test_camat_of_another_kecamatan_cannot_edit(other_camat, kahayan_hilir):
    need = NeedFactory()
    need.title = "x"
    with pytest.raises(NeedError, match="may not edit"):
        need_update(need=need, actor=other_camat)


def test_done_need_cannot_be_edited(dinsos, kahayan_hilir):
    need = NeedFactory(status=S.DONE)
    with pytest.raises(NeedError, match="can no longer be edited"):
        need_update(need=need, actor=dinsos)


def test_adopt_makes_a_linked_draft_program_prefilled_from_the_need(owner, kahayan_hilir):
    need = NeedFactory(budget=100_000_000, families=40)
    program = need_adopt(need=need, actor=owner)
    assert program.status == Program.Status.DRAFT
    assert program.company == owner.company
    assert (program.title, program.bidang, program.bentuk, program.budget, program.target_households) == (
        need.title,
        need.bidang,
        need.bentuk,
        100_000_000,
        40,
    )
    assert list(program.desa.all()) == [need.desa]
    assert Adoption.objects.get().program == program
    need.refresh_from_db()
    assert need.status == S.ADOPTED
    assert need.events.get(action=A.ADOPT).from_status == S.OPEN


def test_whole_kecamatan_need_locates_the_program_in_every_desa(owner, kahayan_hilir):
    need = NeedFactory(desa=None)
    program = need_adopt(need=need, actor=owner)
    assert program.desa.count() == Desa.objects.filter(kecamatan=kahayan_hilir).count()


def test_several_adoptions_until_the_budget_is_covered(owner, other_owner, kahayan_hilir):
    need = NeedFactory(budget=100_000_000)
    first = need_adopt(need=need, actor=owner)
    first.budget = 60_000_000
    first.save()
    second = need_adopt(need=need, actor=other_owner)
    assert second.budget == 40_000_000
    with pytest.raises(NeedError, match="already covered"):
        need_adopt(need=need, actor=owner)
    assert Program.objects.count() == 2


def test_a_withdrawn_program_frees_its_share(owner, kahayan_hilir):
    need = NeedFactory(budget=100_000_000)
    program = need_adopt(need=need, actor=owner)
    program_withdraw(program=program, actor=owner, note="Anggaran dialihkan")
    again = need_adopt(need=need, actor=owner)
    assert again.budget == 100_000_000


@pytest.mark.parametrize("status", [S.PROPOSED, S.REJECTED, S.DONE])
def test_closed_need_cannot_be_adopted_and_no_program_is_created(owner, kahayan_hilir, status):
    need = NeedFactory(status=status)
    with pytest.raises(NeedError, match=r"can no longer be adopted.*No program was created"):
        need_adopt(need=need, actor=owner)
    assert not Program.objects.exists()


def test_unverified_company_cannot_adopt(owner, kahayan_hilir):
    owner.company.status = "pending"
    owner.company.save()
    with pytest.raises(NeedError, match="must be verified"):
        need_adopt(need=NeedFactory(), actor=owner)


def test_adopted_need_cannot_be_deleted(owner, kahayan_hilir):
    from django.db.models import ProtectedError

    need = NeedFactory()
    need_adopt(need=need, actor=owner)
    with pytest.raises(ProtectedError, match="protected foreign keys"):
        need.delete()
