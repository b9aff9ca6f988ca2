"""Brute force on the login: locked per username and per address, unlockable by Dinsos, logged."""

import logging

import pytest
from axes.models import AccessAttempt

from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/akun/login/"


def attempt(client, username, password, ip="203.0.113.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_thirty_wrong_passwords_lock_the_account_even_for_the_right_one(client, settings, dinsos):
    for _ in range(30):
        attempt(client, "dinsos", "tebak-tebakan")
    response = attempt(client, "dinsos", PASSWORD)
    assert response.status_code == 429
    assert "Masuk dikunci" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_five_wrong_passwords_from_one_address_do_not_lock_the_account_for_another(client, dinsos):
    for _ in range(5):
        attempt(client, "dinsos", "salah", ip="198.51.100.1")
    assert attempt(client, "dinsos", PASSWORD, ip="198.51.100.1").status_code == 429
    assert attempt(client, "dinsos", PASSWORD, ip="192.0.2.99").status_code == 302


def test_a_username_alone_locks_after_the_spraying_limit_from_many_addresses(client, settings, dinsos):
    settings.TSLP_LOGIN_USERNAME_LIMIT = 12
    for n in range(2):
        for _ in range(4):
            attempt(client, "dinsos", "salah", ip=f"198.51.100.{n}")
    assert attempt(client, "dinsos", PASSWORD, ip="192.0.2.99").status_code == 302
    client.logout()
    for _ in range(4):
        attempt(client, "dinsos", "salah", ip="198.51.100.2")
    # Twelve failures from three addresses, none of them locked on its own: the username is.
    response = attempt(client, "dinsos", PASSWORD, ip="192.0.2.98")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_one_address_counts_at_most_the_pair_limit_towards_the_username_limit(client, settings, dinsos):
    settings.TSLP_LOGIN_USERNAME_LIMIT = 12
    for _ in range(40):
        attempt(client, "dinsos", "salah", ip="198.51.100.1")
    assert attempt(client, "dinsos", PASSWORD, ip="192.0.2.99").status_code == 302


def test_an_address_alone_locks_after_the_spraying_limit_on_many_usernames(client, settings, dinsos):
    settings.TSLP_LOGIN_ADDRESS_LIMIT = 8
    for n in range(4):
        attempt(client, f"tebakan{n}", "salah", ip="203.0.113.50")
    assert attempt(client, "dinsos", PASSWORD, ip="203.0.113.50").status_code == 302
    client.logout()
    for n in range(8):
        attempt(client, f"tebakan{n}", "salah", ip="203.0.113.50")
    assert attempt(client, "dinsos", PASSWORD, ip="203.0.113.50").status_code == 429
    assert attempt(client, "dinsos", PASSWORD, ip="203.0.113.51").status_code == 302


def test_a_few_mistakes_do_not_lock_and_a_success_resets_the_count(client, dinsos):
    for _ in range(4):
        assert attempt(client, "dinsos", "salah").status_code == 200
    assert attempt(client, "dinsos", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert attempt(client, "dinsos", "salah").status_code == 200
    assert attempt(client, "dinsos", PASSWORD).status_code == 302


def test_dinsos_unlocks_an_account_in_the_back_office(client, dinsos, pimpinan):
    for _ in range(5):
        attempt(client, "pimpinan", "salah", ip="198.51.100.1")
    assert attempt(client, "pimpinan", PASSWORD, ip="198.51.100.1").status_code == 429
    locked = list(AccessAttempt.objects.filter(username="pimpinan").values_list("pk", flat=True))
    assert len(locked) == 1

    client.force_login(dinsos)
    changelist = client.get("/admin/axes/accessattempt/")
    assert changelist.status_code == 200
    assert "pimpinan" in changelist.content.decode()
    response = client.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": locked, "post": "yes"},
    )
    assert response.status_code == 302
    client.logout()
    assert attempt(client, "pimpinan", PASSWORD, ip="198.51.100.1").status_code == 302


def test_only_dinsos_sees_the_lockouts(client, camat):
    staff_camat = UserFactory(role="camat", kecamatan=camat.kecamatan, is_staff=True)
    client.force_login(staff_camat)
    assert client.get("/admin/axes/accessattempt/", follow=True).status_code == 403


def test_sign_in_successes_and_failures_are_logged(client, dinsos, caplog):
    with caplog.at_level(logging.INFO, logger="tslp.security"):
        attempt(client, "dinsos", "salah")
        attempt(client, "dinsos", PASSWORD)
    events = [
        (r.event, getattr(r, "username", getattr(r, "user", None)))
        for r in caplog.records
        if r.name == "tslp.security"
    ]
    assert ("login_failed", "dinsos") in events
    assert ("login_succeeded", "dinsos") in events
    failed = next(r for r in caplog.records if getattr(r, "event", "") == "login_failed")
    assert failed.ip == "203.0.113.7"
    assert "salah" not in failed.getMessage() + str(failed.__dict__)
