"""Password reset mails are limited per address and per account; a refused request looks like any other."""

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db

RESET = "/akun/password_reset/"


def reset(client, email, ip="203.0.113.7"):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=ip)


def test_resets_beyond_the_account_limit_send_no_mail_from_any_address(client, settings, camat):
    settings.TSLP_PASSWORD_RESET_LIMIT_ACCOUNT = 3
    for n in range(3):
        assert reset(client, camat.email, ip=f"198.51.100.{n}")["Location"] == "/akun/password_reset/done/"
    assert len(mail.outbox) == 3
    refused = reset(client, camat.email, ip="198.51.100.9")
    assert refused.status_code == 302
    assert refused["Location"] == "/akun/password_reset/done/"
    assert len(mail.outbox) == 3


def test_resets_beyond_the_address_limit_send_no_mail_for_any_account(client, settings, camat, pimpinan):
    settings.TSLP_PASSWORD_RESET_LIMIT_ADDRESS = 2
    reset(client, camat.email)
    reset(client, pimpinan.email)
    assert len(mail.outbox) == 2
    refused = reset(client, pimpinan.email)
    assert refused["Location"] == "/akun/password_reset/done/"
    assert len(mail.outbox) == 2
    assert reset(client, pimpinan.email, ip="203.0.113.8").status_code == 302
    assert len(mail.outbox) == 3


def test_an_unknown_address_and_a_refused_reset_get_the_same_answer(client, settings, camat):
    settings.TSLP_PASSWORD_RESET_LIMIT_ACCOUNT = 1
    reset(client, camat.email)
    unknown = reset(client, "tidak.ada@example.org", ip="198.51.100.1")
    refused = reset(client, camat.email, ip="198.51.100.2")
    assert (unknown.status_code, unknown["Location"]) == (refused.status_code, refused["Location"])
    assert len(mail.outbox) == 1
