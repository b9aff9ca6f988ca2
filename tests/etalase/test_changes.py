"""A need edited after its adoption: the adopting companies get a mail and see the change on their program."""

import pytest
from django.core import mail
from django.urls import reverse

from companies.models import Company
from etalase.models import Need
from etalase.services import need_adopt, need_update
from programs.models import Program
from tests.etalase.factories import NeedFactory

S = Need.Status


@pytest.fixture
def adopted(owner, kahayan_hilir):
    need = NeedFactory(status=S.OPEN, title="Sumur bor RT 03", budget=100_000_000)
    program = need_adopt(need=need, actor=owner)
    need.refresh_from_db()
    return need, program


def edit(need, actor, capture, **fields):
    need = Need.objects.get(pk=need.pk)
    for name, value in fields.items():
        setattr(need, name, value)
    with capture(execute=True):
        return need_update(need=need, actor=actor)


def test_adopting_company_is_mailed_what_changed_in_indonesian(
    settings, adopted, camat, owner, company, django_capture_on_commit_callbacks
):
    settings.LANGUAGE_CODE = "id"
    need, program = adopted
    edit(need, camat, django_capture_on_commit_callbacks, budget=150_000_000, families=55)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Usulan kebutuhan yang diadopsi perusahaan Anda diubah: “Sumur bor RT 03”"
    assert set(message.to) == {company.email, owner.email}
    assert "Perkiraan anggaran (Rp): Rp 100.000.000 → Rp 150.000.000" in message.body
    assert "Keluarga yang akan dilayani: 40 → 55" in message.body
    assert settings.TSLP_SITE_URL + reverse("programs:detail", args=[program.pk]) in message.body
    assert settings.TSLP_SITE_URL + reverse("etalase:detail", args=[need.pk]) in message.body


def test_each_adopting_company_gets_one_mail_and_a_cancelled_program_none(
    settings,
    adopted,
    camat,
    other_owner,
    other_company,
    editor,
    company,
    kahayan_hilir,
    django_capture_on_commit_callbacks,
):
    need, program = adopted
    Program.objects.filter(pk=program.pk).update(budget=40_000_000)  # leaves part of the need to fund
    Company.objects.filter(pk=other_company.pk).update(status=Company.Status.VERIFIED)
    other_owner.refresh_from_db()
    theirs = need_adopt(need=need, actor=other_owner)
    Program.objects.filter(pk=theirs.pk).update(budget=10_000_000)
    need_adopt(need=need, actor=editor)  # a second program of the same company: still one mail
    third = NeedFactory(status=S.OPEN)
    cancelled = need_adopt(need=third, actor=other_owner)
    Program.objects.filter(pk=cancelled.pk).update(status=Program.Status.CANCELLED)

    edit(need, camat, django_capture_on_commit_callbacks, title="Sumur bor RT 03 dan RT 04")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([company.email, other_company.email])
    mine = next(m for m in mail.outbox if m.to[0] == company.email)
    assert mine.body.count(settings.TSLP_SITE_URL + "/program/") == 2

    mail.outbox.clear()
    edit(third, camat, django_capture_on_commit_callbacks, title="Tidak lagi didanai")
    assert mail.outbox == []


def test_no_mail_without_a_change_or_without_an_adoption(
    adopted, camat, kahayan_hilir, django_capture_on_commit_callbacks
):
    need, _program = adopted
    edit(need, camat, django_capture_on_commit_callbacks)
    alone = NeedFactory(status=S.OPEN)
    edit(alone, camat, django_capture_on_commit_callbacks, budget=5_000_000)
    assert mail.outbox == []


def test_program_page_names_its_need_and_what_changed_since_the_adoption(
    adopted, camat, owner, dinsos, login, django_capture_on_commit_callbacks
):
    need, program = adopted
    url = reverse("programs:detail", args=[program.pk])
    page = login(owner).get(url).content.decode()
    assert need.get_absolute_url() in page
    assert 'data-testid="program-need-changes"' not in page

    edit(need, camat, django_capture_on_commit_callbacks, budget=150_000_000)

    Program.objects.filter(pk=program.pk).update(status=Program.Status.SUBMITTED)  # Dinsos sees it now
    for user in (owner, dinsos):
        response = login(user).get(url)
        assert response.status_code == 200
        page = response.content.decode()
        changes = page[page.index('data-testid="program-need-changes"') :]
        assert "Rp 100.000.000 → Rp 150.000.000" in changes.split("</ul>")[0]


def test_program_without_a_need_shows_no_need_panel(owner, company, login):
    from tests.programs.factories import ProgramFactory

    program = ProgramFactory(company=company)
    page = login(owner).get(reverse("programs:detail", args=[program.pk])).content.decode()
    assert 'data-testid="program-need"' not in page
