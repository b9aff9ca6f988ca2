"""An expired session, a deactivated or deleted account and a changed password sign the browser out."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user)
    assert client.get("/program/").status_code == 200
    return Session.objects.get(session_key=client.session.session_key)


def assert_signed_out(client):
    response = client.get("/program/")
    assert response.status_code == 302
    assert response["Location"].startswith("/akun/login/")


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
