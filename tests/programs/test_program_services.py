import pytest
from django.core import mail

from programs import services
from programs.models import Program, ProgramEvent
from tests.programs.factories import ProgramFactory

S = Program.Status
A = ProgramEvent.Action
NOT_ALLOWED = "tidak berhak melakukan ini"


@pytest.fixture
def draft(company):
    return ProgramFactory(company=company)


def make(company, status):
    return ProgramFactory(company=company, status=status)


def test_company_submits_a_draft_and_dinsos_is_told_after_commit(
    draft, owner, dinsos, settings, django_capture_on_commit_callbacks
):
    settings.TSLP_DINSOS_EMAILS = ["tslp@dinsos.example"]
    with django_capture_on_commit_callbacks(execute=True):
        services.program_submit(program=draft, actor=owner, expected_status=S.DRAFT)
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED
    assert draft.submitted_at is not None
    event = draft.events.get(action=ProgramEvent.Action.SUBMIT)
    assert (event.actor, event.from_status, event.to_status) == (owner, S.DRAFT, S.SUBMITTED)
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {"tslp@dinsos.example", dinsos.email}
    assert "Pengajuan baru" in mail.outbox[0].subject


def test_mail_waits_for_the_commit(draft, owner, dinsos, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.program_submit(program=draft, actor=owner)
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_editor_may_submit_too(draft, editor):
    services.program_submit(program=draft, actor=editor)
    assert draft.status == S.SUBMITTED


def test_unverified_company_cannot_submit(draft, owner):
    draft.company.status = draft.company.Status.PENDING
    draft.company.save()
    with pytest.raises(services.ProgramError, match="belum diverifikasi"):
        services.program_submit(program=draft, actor=owner)
    assert Program.objects.get(pk=draft.pk).status == S.DRAFT


def test_program_without_desa_cannot_be_submitted(company, owner):
    program = ProgramFactory(company=company, desa_codes=["00.00"])
    with pytest.raises(services.ProgramError, match="Pilih setidaknya satu desa"):
        services.program_submit(program=program, actor=owner)


@pytest.mark.parametrize(
    ("start", "service", "actor_name", "note", "end"),
    [
        (S.DRAFT, services.program_submit, "owner", None, S.SUBMITTED),
        (S.REVISION_REQUESTED, services.program_submit, "owner", None, S.SUBMITTED),
        (S.DRAFT, services.program_withdraw, "owner", "", S.WITHDRAWN),
        (S.SUBMITTED, services.program_withdraw, "owner", "", S.WITHDRAWN),
        (S.REVISION_REQUESTED, services.program_withdraw, "owner", "", S.WITHDRAWN),
        (S.SUBMITTED, services.program_approve, "dinsos", "", S.APPROVED),
        (S.SUBMITTED, services.program_request_revision, "dinsos", "Lengkapi RAB.", S.REVISION_REQUESTED),
        (S.SUBMITTED, services.program_reject, "dinsos", "Di luar bidang TSLP.", S.REJECTED),
        (S.APPROVED, services.program_cancel, "dinsos", "Perusahaan berhenti beroperasi.", S.CANCELLED),
        (S.RUNNING, services.program_cancel, "dinsos", "Dibatalkan.", S.CANCELLED),
    ],
)
def test_every_legal_transition(company, personas, start, service, actor_name, note, end):
    program = make(company, start)
    kwargs = {"program": program, "actor": personas[actor_name], "expected_status": start}
    if note is not None:
        kwargs["note"] = note
    service(**kwargs)
    program.refresh_from_db()
    assert program.status == end
    event = program.events.latest("created_at")
    assert (event.from_status, event.to_status, event.actor) == (start, end, personas[actor_name])
    assert event.note == (note or "")


def actor_for(personas, action):
    return personas["owner"] if services.TRANSITIONS[action].who == "company" else personas["dinsos"]


# Derived from the transition table: every action from every status it does not allow.
ILLEGAL = [
    (action, start)
    for action, transition in services.TRANSITIONS.items()
    for start in S.values
    if start not in transition.allowed_from
]
LEGAL = [
    (action, start)
    for action, transition in services.TRANSITIONS.items()
    for start in transition.allowed_from
]


def test_the_illegal_table_covers_approving_a_running_or_cancelled_program():
    assert (A.APPROVE, S.RUNNING) in ILLEGAL
    assert (A.APPROVE, S.CANCELLED) in ILLEGAL
    assert len(ILLEGAL) + len(LEGAL) == len(services.TRANSITIONS) * len(S.values)


@pytest.mark.parametrize(("action", "start"), sorted(LEGAL))
def test_every_transition_of_the_table_is_legal_from_its_statuses(company, personas, action, start):
    program = make(company, start)
    actor = actor_for(personas, action)
    services.program_transition(program=program, actor=actor, action=action, note="Catatan.")
    assert Program.objects.get(pk=program.pk).status == services.TRANSITIONS[action].to_status
    event = program.events.get()
    assert (event.action, event.from_status, event.actor) == (action, start, actor)


@pytest.mark.parametrize(("action", "start"), sorted(ILLEGAL))
def test_every_illegal_transition_fails_and_changes_nothing(company, personas, action, start):
    program = make(company, start)
    with pytest.raises(services.ProgramError, match="tidak dapat dilakukan selama program berstatus"):
        services.program_transition(
            program=program, actor=actor_for(personas, action), action=action, note="Catatan."
        )
    assert Program.objects.get(pk=program.pk).status == start
    assert not program.events.exists()


@pytest.mark.parametrize("actor_name", ["dinsos", "camat", "pimpinan", "other_company"])
def test_only_members_of_the_company_may_submit(draft, personas, actor_name):
    with pytest.raises(services.ProgramError, match=NOT_ALLOWED):
        services.program_submit(program=draft, actor=personas[actor_name])
    assert Program.objects.get(pk=draft.pk).status == S.DRAFT


@pytest.mark.parametrize("actor_name", ["owner", "camat", "pimpinan"])
def test_only_dinsos_may_decide(company, personas, actor_name):
    program = make(company, S.SUBMITTED)
    with pytest.raises(services.ProgramError, match=NOT_ALLOWED):
        services.program_approve(program=program, actor=personas[actor_name])
    assert Program.objects.get(pk=program.pk).status == S.SUBMITTED


@pytest.mark.parametrize("service", [services.program_request_revision, services.program_reject])
def test_revision_request_and_rejection_need_a_note(company, dinsos, service):
    program = make(company, S.SUBMITTED)
    with pytest.raises(services.ProgramError, match="catatan"):
        service(program=program, actor=dinsos, note="   ")
    assert Program.objects.get(pk=program.pk).status == S.SUBMITTED


def test_a_decision_on_a_stale_page_fails_clearly(company, owner, dinsos):
    program = make(company, S.SUBMITTED)
    services.program_withdraw(program=program, actor=owner)  # meanwhile, the company withdrew it
    stale = Program.objects.get(pk=program.pk)
    with pytest.raises(services.ProgramError, match="berubah"):
        services.program_approve(program=stale, actor=dinsos, expected_status=S.SUBMITTED)
    assert Program.objects.get(pk=program.pk).status == S.WITHDRAWN


def test_decisions_are_mailed_to_the_company_in_indonesian(
    company, owner, dinsos, django_capture_on_commit_callbacks
):
    program = make(company, S.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        services.program_request_revision(program=program, actor=dinsos, note="Lengkapi RAB per desa.")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert set(message.to) == {company.email, owner.email}
    assert "Perlu revisi" in message.subject
    assert "Lengkapi RAB per desa." in message.body
    assert f"/program/{program.pk}/" in message.body


def test_editing_is_refused_once_submitted(company, owner):
    program = make(company, S.SUBMITTED)
    program.title = "Diubah diam-diam"
    with pytest.raises(services.ProgramError, match="tidak dapat diubah lagi: statusnya Diajukan"):
        services.program_save(program=program, actor=owner, desa=[])
    assert Program.objects.get(pk=program.pk).title != "Diubah diam-diam"


@pytest.mark.parametrize(
    ("status", "persona", "expected"),
    [
        (S.DRAFT, "owner", {"edit", A.SUBMIT, A.WITHDRAW}),
        (S.REVISION_REQUESTED, "editor", {"edit", A.SUBMIT, A.RESUBMIT, A.WITHDRAW}),
        (S.SUBMITTED, "owner", {A.WITHDRAW}),
        (S.SUBMITTED, "dinsos", {"review", A.APPROVE, A.REQUEST_REVISION, A.REJECT}),
        (S.APPROVED, "dinsos", {"match", A.CONFIRM, A.CANCEL}),
        (S.RUNNING, "owner", {"report"}),
        (S.RUNNING, "dinsos", {"match", A.CANCEL, A.COMPLETE}),
        (S.SUBMITTED, "other_company", set()),
        (S.SUBMITTED, "camat", set()),
        (S.RUNNING, "pimpinan", set()),
    ],
)
def test_program_actions_name_the_buttons_each_persona_gets(company, personas, status, persona, expected):
    assert services.program_actions(make(company, status), personas[persona]) == expected


@pytest.mark.parametrize(
    ("kinds", "missing"),
    [
        ([], r"Proposal dan Rencana anggaran biaya \(RAB\) sebelum"),
        (["proposal"], r"Lampirkan Rencana anggaran biaya \(RAB\) sebelum"),
        (["rab"], "Lampirkan Proposal sebelum"),
    ],
)
def test_a_program_is_submitted_only_with_its_proposal_and_rab(company, owner, kinds, missing):
    from programs.models import ProgramAttachment

    program = ProgramFactory(company=company, documents=False)
    for kind in kinds:
        ProgramAttachment.objects.create(
            program=program, kind=kind, file="x.pdf", original_name="x.pdf", size=1
        )
    with pytest.raises(services.ProgramError, match=missing):
        services.program_submit(program=program, actor=owner)
    assert Program.objects.get(pk=program.pk).status == S.DRAFT
