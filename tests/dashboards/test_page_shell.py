"""The page around cached content (head, navigation, footer) is cached per user and filled in per request: what
is served is the page rendered in full, with a fresh CSRF token that works, and never another user's shell."""

import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import Client
from django.urls import reverse

from tests.dashboards.ledger import BUNTOI, YEAR, build
from tslp_portal.caching import local_cache

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PAGES = {
    "camat dashboard": ("camat", reverse("dashboards:dashboard")),
    "regency dashboard": ("pimpinan", reverse("dashboards:dashboard")),
    "kecamatan (Dinsos)": ("dinsos", reverse("dashboards:kecamatan", args=["62.11.05"])),
    "desa": ("camat", reverse("dashboards:desa", args=[BUNTOI])),
    "public page": ("anonymous", reverse("publik:home")),
    "public kecamatan": ("anonymous", reverse("publik:kecamatan", args=["62.11.05"])),
}


def shells() -> int:
    return sum("shell:" in key for key in local_cache._cache)


def html(client, url, **params) -> str:
    response = client.get(url, {"tahun": YEAR, **params})
    assert response.status_code == 200
    return response.content.decode()


def without_tokens(text: str) -> str:
    return TOKEN.sub('name="csrfmiddlewaretoken" value=""', text)


@pytest.mark.parametrize("page", PAGES)
def test_a_page_from_the_cached_shell_is_the_page_rendered_in_full(settings, company, personas, login, page):
    build(company)
    persona, url = PAGES[page]
    client = login(personas[persona])
    in_full = html(client, url)  # the test settings cache nothing

    settings.TSLP_DASHBOARD_CACHE_SECONDS = 60
    first = html(client, url)
    assert shells() == 1
    second = html(client, url)

    assert without_tokens(first) == without_tokens(second) == without_tokens(in_full)
    assert "tslp-content-" not in second and "tslp-csrf-" not in second
    tokens = TOKEN.findall(second)
    assert tokens and len(set(tokens)) == 1  # one token per page, as rendered in full
    assert TOKEN.findall(first)[0] != tokens[0]  # masked anew for every response


def test_the_token_in_a_cached_shell_signs_the_user_out(settings, company, camat):
    settings.TSLP_DASHBOARD_CACHE_SECONDS = 60
    build(company)
    client = Client(enforce_csrf_checks=True)
    client.force_login(camat)
    html(client, "/dasbor/")
    page = html(client, "/dasbor/")

    assert client.post(reverse("logout"), {"csrfmiddlewaretoken": "x" * 64}).status_code == 403
    response = client.post(reverse("logout"), {"csrfmiddlewaretoken": TOKEN.findall(page)[0]})
    assert response.status_code == 302
    assert client.get("/dasbor/").status_code == 302  # signed out: to the login page


def test_each_user_gets_a_shell_of_their_own(settings, company, camat, other_camat, login):
    settings.TSLP_DASHBOARD_CACHE_SECONDS = 60
    # Invented names can coincide; the two camat must be told apart by theirs.
    for user, name in ((camat, "Bakti"), (other_camat, "Sari")):
        user.first_name, user.last_name = name, "Camat"
        user.save()
    build(company)
    first = html(login(camat), "/dasbor/")
    second = html(login(other_camat), "/dasbor/")

    assert shells() == 2
    mine, theirs = f">{camat.get_full_name()}</a>", f">{other_camat.get_full_name()}</a>"
    assert mine in first and theirs not in first
    assert theirs in second and mine not in second
    assert "· Kahayan Hilir" in first and "· Maliku" in second


def test_a_new_name_shows_on_the_next_page(settings, company, pimpinan, login):
    settings.TSLP_DASHBOARD_CACHE_SECONDS = 60
    build(company)
    client = login(pimpinan)
    assert f">{pimpinan.get_full_name()}</a>" in html(client, "/dasbor/")

    pimpinan.first_name, pimpinan.last_name = "Siti", "Rahmah"
    pimpinan.save()
    assert ">Siti Rahmah</a>" in html(client, "/dasbor/")


def test_a_message_waiting_is_shown_on_a_page_whose_shell_is_cached(settings, rf, company, camat, login):
    settings.TSLP_DASHBOARD_CACHE_SECONDS = 60
    build(company)
    client = login(camat)
    html(client, "/dasbor/")
    storage = CookieStorage(rf.get("/"))
    client.cookies["messages"] = storage._encode([Message(constants.SUCCESS, "Rencana program diterima.")])

    assert "Rencana program diterima." in html(client, "/dasbor/")
    assert "Rencana program diterima." not in html(client, "/dasbor/")  # shown once


def test_only_the_pages_own_parameters_make_a_cached_shell(settings, company, client):
    settings.TSLP_DASHBOARD_CACHE_SECONDS = 60
    build(company)
    for params in ({"utm_source": "wa"}, {"tahun": "2026abc"}, {"tahun": "2" * 30}):
        response = client.get(reverse("publik:home"), params)
        assert response.status_code == 200
    assert shells() == 0

    html(client, reverse("publik:home"))
    assert shells() == 1
