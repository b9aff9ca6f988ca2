"""Mail never breaks a committed change: one-line subjects, failures logged."""

import logging

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

from programs import services
from programs.models import Program
from tests.programs.factories import ProgramFactory
from tslp_portal.mail import mail_after_commit, subject_line

S = Program.Status


class RefusingBackend(BaseEmailBackend):
    """An SMTP server that is down."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server unreachable")


def test_subject_line_flattens_line_breaks_and_control_characters():
    assert subject_line("Program\r\nBcc: x@evil.example\x00 baru") == "Program Bcc: x@evil.example baru"


def test_subject_line_is_bounded():
    assert len(subject_line("a" * 1000)) == 180


@pytest.mark.django_db
def test_a_title_with_a_line_break_is_submitted_and_its_mail_sent(
    company, owner, dinsos, django_capture_on_commit_callbacks
):
    program = ProgramFactory(company=company, title="Bedah rumah\r\nBcc: korban@evil.example")
    with django_capture_on_commit_callbacks(execute=True):
        services.program_submit(program=program, actor=owner)
    assert Program.objects.get(pk=program.pk).status == S.SUBMITTED
    assert len(mail.outbox) == 1
    assert "\n" not in mail.outbox[0].subject
    assert "Bedah rumah Bcc: korban@evil.example" in mail.outbox[0].subject
    assert mail.outbox[0].to == [dinsos.email]


@pytest.mark.django_db
def test_a_failing_mail_server_is_logged_and_the_approval_stays(
    company, dinsos, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.tslp_portal.test_mail.RefusingBackend"
    program = ProgramFactory(company=company, status=S.SUBMITTED)
    with caplog.at_level(logging.ERROR, logger="tslp.mail"), django_capture_on_commit_callbacks(execute=True):
        services.program_approve(program=program, actor=dinsos)
    assert Program.objects.get(pk=program.pk).status == S.APPROVED
    assert [r.getMessage() for r in caplog.records if r.name == "tslp.mail"] == ["mail not sent"]


@pytest.mark.django_db
def test_mail_waits_for_the_commit_and_goes_once_to_each_address(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        mail_after_commit(
            recipients=["a@example.org", "", "a@example.org"],
            subject="Akun %(name)s",
            subject_params={"name": "PT A\nB"},
            body_template="registration/password_reset_subject.txt",
        )
    assert mail.outbox == []
    callbacks[0]()
    assert mail.outbox[0].subject == "Akun PT A B"
    assert mail.outbox[0].to == ["a@example.org"]
