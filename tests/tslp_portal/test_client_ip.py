"""The client's address: X-Forwarded-For is believed only from the proxies named in TSLP_TRUSTED_PROXIES."""

import pytest
from django.test import RequestFactory
from rest_framework.test import APIClient

from tests.accounts.factories import PASSWORD
from tslp_portal.security import client_ip

LOGIN = "/akun/login/"


def address(remote_addr, forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_ip(RequestFactory().get("/", REMOTE_ADDR=remote_addr, **headers))


@pytest.fixture
def behind_proxy(settings):
    """A DJANGO_SECURE_PROXY_SSL deployment whose nginx runs on the same host, as docs/deployment.md sets up."""
    settings.TSLP_TRUST_PROXY = True
    settings.TSLP_TRUSTED_PROXIES = ["127.0.0.1", "::1", "10.1.0.0/16"]
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}


@pytest.mark.parametrize(
    ("remote_addr", "forwarded", "expected"),
    [
        # Reached without the proxy: whatever the client writes in the header is ignored.
        ("203.0.113.7", "198.51.100.1", "203.0.113.7"),
        ("203.0.113.7", "198.51.100.1, 127.0.0.1", "203.0.113.7"),
        # Through the proxy: the right-most address the proxies did not add themselves.
        ("127.0.0.1", "203.0.113.7", "203.0.113.7"),
        ("127.0.0.1", "198.51.100.1, 203.0.113.7", "203.0.113.7"),
        ("127.0.0.1", "198.51.100.1, 203.0.113.7, 10.1.4.2", "203.0.113.7"),
        ("::1", "2001:db8::5", "2001:db8::5"),
        ("127.0.0.1", None, "127.0.0.1"),
        # A proxy that forwards garbage is not believed either.
        ("127.0.0.1", "not-an-address", "127.0.0.1"),
    ],
)
def test_the_client_address_is_the_right_most_one_no_trusted_proxy_added(
    behind_proxy, remote_addr, forwarded, expected
):
    assert address(remote_addr, forwarded) == expected


def test_without_trusted_proxies_the_header_is_never_read(settings):
    settings.TSLP_TRUSTED_PROXIES = []
    assert address("127.0.0.1", "203.0.113.7") == "127.0.0.1"


@pytest.mark.django_db
def test_a_forged_header_from_an_untrusted_peer_does_not_escape_the_login_lockout(
    behind_proxy, client, dinsos
):
    # Five wrong passwords for one account lock that account from that address; a header naming a new address
    # each time must not make each attempt look like another client's.
    for n in range(5):
        client.post(
            LOGIN,
            {"username": "dinsos", "password": "salah"},
            REMOTE_ADDR="203.0.113.7",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )
    response = client.post(
        LOGIN,
        {"username": "dinsos", "password": PASSWORD},
        REMOTE_ADDR="203.0.113.7",
        HTTP_X_FORWARDED_FOR="198.51.100.99",
    )
    assert response.status_code == 429


@pytest.mark.django_db
def test_the_address_a_trusted_proxy_forwards_is_the_one_locked_out(behind_proxy, client, dinsos):
    for _ in range(5):
        client.post(
            LOGIN,
            {"username": "dinsos", "password": "salah"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.80",
        )
    locked = client.post(
        LOGIN,
        {"username": "dinsos", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.80",
    )
    assert locked.status_code == 429
    # Another client behind the same proxy is not locked out with the attacker.
    response = client.post(
        LOGIN,
        {"username": "dinsos", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.81",
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_forged_header_from_an_untrusted_peer_does_not_reset_the_api_limit(behind_proxy, settings, wilayah):
    settings.TSLP_API_THROTTLE_ANON = "2/min"
    client = APIClient()
    statuses = [
        client.get(
            "/api/v1/wilayah/kecamatan/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"
        ).status_code
        for n in range(3)
    ]
    assert statuses == [200, 200, 429]


@pytest.mark.django_db
def test_callers_behind_a_trusted_proxy_have_api_limits_of_their_own(behind_proxy, settings, wilayah):
    settings.TSLP_API_THROTTLE_ANON = "2/min"
    client = APIClient()
    statuses = [
        client.get(
            "/api/v1/wilayah/kecamatan/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"198.51.100.{n // 2}"
        ).status_code
        for n in range(4)
    ]
    assert statuses == [200, 200, 200, 200]
