"""Every back-office address leads someone signed out to a working login, and only Dinsos gets in."""

import re

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, reverse

from tests.accounts.factories import PASSWORD, UserFactory

SAMPLE_VALUES = {"app_label": "programs", "content_type_id": "1", "object_id": "1", "pk": "1"}


def admin_url_names(patterns=None):
    for pattern in patterns if patterns is not None else admin.site.get_urls():
        if isinstance(pattern, URLResolver):
            yield from admin_url_names(pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield pattern.name, list(pattern.pattern.regex.groupindex)


def admin_urls():
    urls = set()
    for name, groups in admin_url_names():
        kwargs = {group: SAMPLE_VALUES.get(group, "1") for group in groups}
        urls.add(reverse(f"admin:{name}", kwargs=kwargs))
    return sorted(urls)


def test_the_walk_covers_the_back_office():
    urls = admin_urls()
    assert "/admin/" in urls
    assert "/admin/login/" in urls
    assert "/admin/programs/program/1/review/" in urls
    assert "/admin/poverty_data/household/" in urls
    assert len(urls) > 60


@pytest.mark.django_db
def test_every_admin_url_leads_an_anonymous_visitor_to_the_login_page(client):
    for url in [*admin_urls(), "/admin/no-such-page/"]:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert response.request["PATH_INFO"] == "/akun/login/", url
        assert b'name="password"' in response.content, url


@pytest.mark.django_db
@pytest.mark.parametrize("password", [PASSWORD, "salah-sandi-sekali"])
def test_posting_to_the_admin_login_sends_to_the_portal_login(client, dinsos, password):
    response = client.post("/admin/login/", {"username": "dinsos", "password": password})
    assert response.status_code == 302
    assert re.match(r"^/akun/login/\?next=", response["Location"])


@pytest.mark.django_db
def test_dinsos_signs_in_on_the_portal_and_reaches_the_back_office(client, dinsos):
    response = client.get("/admin/", follow=True)
    login_url = response.redirect_chain[-1][0]
    response = client.post(login_url, {"username": "dinsos", "password": PASSWORD}, follow=True)
    assert response.status_code == 200
    assert response.request["PATH_INFO"] == "/admin/"


@pytest.mark.django_db
def test_the_admin_login_ignores_a_next_address_on_another_site(client, dinsos):
    client.force_login(dinsos)
    response = client.get("/admin/login/?next=https://evil.example/")
    assert response["Location"] == "/admin/"


@pytest.mark.django_db
def test_a_camat_with_the_staff_flag_cannot_open_the_review_screen(client, kahayan_hilir):
    from tests.programs.factories import ProgramFactory

    program = ProgramFactory(status="submitted", desa_codes=["62.11.05.2001"])
    camat = UserFactory(role="camat", kecamatan=kahayan_hilir, is_staff=True)
    client.force_login(camat)
    response = client.get(f"/admin/programs/program/{program.pk}/review/", follow=True)
    assert response.status_code == 403
    assert client.get("/admin/").status_code == 302
