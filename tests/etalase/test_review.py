from etalase.services import need_adopt
from programs.models import Program
from programs.services import program_submit
from tests.etalase.factories import NeedFactory
from tests.programs.factories import ProgramFactory


def review(login, dinsos, program):
    return login(dinsos).get(f"/admin/programs/program/{program.pk}/review/")


def test_review_shows_the_need_a_program_answers(login, dinsos, owner, kahayan_hilir):
    need = NeedFactory(title="Sumur bor RT 02")
    program = need_adopt(need=need, actor=owner)
    from programs.models import ProgramAttachment

    for kind in (ProgramAttachment.Kind.PROPOSAL, ProgramAttachment.Kind.RAB):
        ProgramAttachment.objects.create(
            program=program,
            kind=kind,
            file=f"p/{kind}.pdf",
            original_name=f"{kind}.pdf",
            content_type="x",
            size=1,
        )
    program_submit(program=program, actor=owner)
    page = review(login, dinsos, program)
    assert page.status_code == 200
    text = page.content.decode()
    assert "This program answers the need" in text
    assert "Sumur bor RT 02" in text


def test_review_flags_open_needs_of_its_bidang_in_its_desa_it_does_not_link(
    login, dinsos, company, kahayan_hilir
):
    program = ProgramFactory(company=company, status=Program.Status.SUBMITTED, bidang="infrastruktur")
    desa = program.desa.get()
    NeedFactory(desa=desa, bidang="infrastruktur", title="Titian ulin")
    NeedFactory(desa=desa, bidang="pendidikan", title="Beasiswa")
    text = review(login, dinsos, program).content.decode()
    assert 'data-testid="review-unlinked-needs"' in text
    assert "Titian ulin" in text
    assert "Beasiswa" not in text


def test_review_without_needs_says_so(login, dinsos, company, kahayan_hilir):
    program = ProgramFactory(company=company, status=Program.Status.SUBMITTED)
    assert "No open need of this bidang in its desa." in review(login, dinsos, program).content.decode()
