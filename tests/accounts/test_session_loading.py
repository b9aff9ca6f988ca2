"""Every signed-in request reads its session and its user with plain queries (accounts.session_store,
accounts.backends): an expired session, a deactivated or deleted account and a changed password still sign
the browser out, as with Django's own."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.backends import AccountBackend
from accounts.session_store import SessionStore

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user)
    assert client.get("/program/").status_code == 200
    return Session.objects.get(session_key=client.session.session_key)


def assert_signed_out(client):
    response = client.get("/program/")
    assert response.status_code == 302
    assert response["Location"].startswith("/akun/login/")


def test_the_session_keeps_what_was_stored_in_it(client, pimpinan):
    session = SessionStore()
    session["tahun"] = 2026
    session.save()

    assert SessionStore(session_key=session.session_key)["tahun"] == 2026
    assert dict(SessionStore(session_key="x" * 32).items()) == {}


def test_an_expired_session_signs_the_browser_out(client, pimpinan):
    row = signed_in(client, pimpinan)
    Session.objects.filter(pk=row.pk).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    assert_signed_out(client)


@pytest.mark.parametrize("change", ["deactivated", "deleted", "new password"])
def test_an_account_that_changed_is_signed_out(client, pimpinan, change):
    signed_in(client, pimpinan)
    if change == "deactivated":
        pimpinan.is_active = False
        pimpinan.save()
    elif change == "deleted":
        pimpinan.delete()
    else:
        pimpinan.set_password("kata sandi baru yang panjang")
        pimpinan.save()
    assert_signed_out(client)


def test_the_user_is_loaded_with_its_fields_converted(camat):
    user = AccountBackend().get_user(camat.pk)
    assert (user.pk, user.username, user.role, user.kecamatan_id) == (
        camat.pk,
        "camat_kh",
        "camat",
        camat.kecamatan_id,
    )
    assert user.date_joined == camat.date_joined and timezone.is_aware(user.date_joined)
    assert user.is_active is True
    assert AccountBackend().get_user(camat.pk + 1000) is None
