from html.parser import HTMLParser

import pytest
from django.core import mail

HOMES = {
    "dinsos": "Dinas Sosial",
    "camat": "Kecamatan Kahayan Hilir",
    "pimpinan": "Kabupaten Pulang Pisau",
    "owner": "PT Sawit Kahayan Lestari",
    "editor": "PT Sawit Kahayan Lestari",
}


def test_landing_page_says_what_the_portal_is_in_indonesian(client, wilayah):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="id"' in html
    assert "Peraturan Bupati Pulang Pisau Nomor 24 Tahun 2020" in html
    assert "Masuk" in html
    assert "8 kecamatan dan 99 desa/kelurahan" in html
    # Everything it loads comes from the portal itself (no CDN): the vendored assets under /static/.
    assets = asset_urls(html)
    assert any(url.startswith("/static/") for url in assets)
    assert [url for url in assets if not url.startswith("/") or url.startswith("//")] == []


class _Assets(HTMLParser):
    """What a page loads by itself: scripts, style sheets, images, frames (not the links a person follows)."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        url = attrs.get("href") if tag == "link" else attrs.get("src")
        if url and tag in {"script", "link", "img", "source", "iframe", "video", "audio"}:
            self.urls.append(url)


def asset_urls(html: str) -> list[str]:
    parser = _Assets()
    parser.feed(html)
    return parser.urls


@pytest.mark.parametrize("persona", list(HOMES))
def test_each_role_gets_its_own_home(persona, personas, login):
    client = login(personas[persona])
    html = client.get("/", follow=True).content.decode()
    assert HOMES[persona] in html


def test_camat_home_lists_only_desa_of_its_kecamatan(personas, login):
    html = login(personas["camat"]).get("/", follow=True).content.decode()
    assert "Pulang Pisau" in html  # a kelurahan of Kahayan Hilir
    assert "Maliku Baru" not in html


def test_navigation_fits_the_role(personas, login):
    assert "/admin/" in login(personas["dinsos"]).get("/").content.decode()
    for persona in ("camat", "pimpinan", "owner", "anonymous"):
        assert 'href="/admin/"' not in login(personas[persona]).get("/").content.decode()
    assert "/perusahaan/profil/" in login(personas["owner"]).get("/").content.decode()


def test_register_of_obligated_companies_is_in_the_navigation_of_dinsos_and_pimpinan(personas, login):
    for persona, shown in (("dinsos", True), ("pimpinan", True), ("camat", False), ("owner", False)):
        assert (
            'href="/siklus/cakupan/"' in login(personas[persona]).get("/", follow=True).content.decode()
        ) is shown
    assert 'href="/publik/perusahaan/' in login(None).get("/publik/").content.decode()


def test_company_profile_is_for_company_members_only(personas, login):
    assert login(personas["owner"]).get("/perusahaan/profil/").status_code == 200
    assert login(personas["camat"]).get("/perusahaan/profil/").status_code == 403
    response = login(None).get("/perusahaan/profil/")
    assert response.status_code == 302 and "/akun/login/" in response["Location"]


@pytest.mark.parametrize("persona", ["camat", "pimpinan", "owner"])
def test_only_dinsos_enters_the_admin(persona, personas, login):
    response = login(personas[persona]).get("/admin/")
    assert response.status_code == 302
    assert login(personas["dinsos"]).get("/admin/").status_code == 200


def test_login_and_logout(client, camat):
    response = client.post("/akun/login/", {"username": "camat_kh", "password": "uji-sandi-2026"})
    assert response.status_code == 302
    assert "Kecamatan Kahayan Hilir" in client.get("/", follow=True).content.decode()
    assert client.get("/akun/logout/").status_code == 405  # logging out is POST-only
    client.post("/akun/logout/")
    assert "Kecamatan Kahayan Hilir" not in client.get("/").content.decode()


def test_wrong_password_keeps_the_username_and_explains_in_indonesian(client, camat):
    response = client.post("/akun/login/", {"username": "camat_kh", "password": "salah"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="camat_kh"' in html
    assert "Periksa kembali nama pengguna dan sandi Anda" in html


def test_password_change(client, camat):
    client.force_login(camat)
    response = client.post(
        "/akun/password_change/",
        {
            "old_password": "uji-sandi-2026",
            "new_password1": "Sungai-Kahayan-77",
            "new_password2": "Sungai-Kahayan-77",
        },
    )
    assert response.status_code == 302
    camat.refresh_from_db()
    assert camat.check_password("Sungai-Kahayan-77")


def test_password_reset_sends_an_indonesian_mail(client, camat):
    response = client.post("/akun/password_reset/", {"email": camat.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [camat.email]
    assert "Atur ulang kata sandi" in mail.outbox[0].subject
    assert "/akun/reset/" in mail.outbox[0].body


def test_language_switch_to_english(client, wilayah):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/", follow=True).content.decode()
    assert 'lang="en"' in html
    assert "Log in" in html


def test_error_pages_are_indonesian(client, wilayah, camat):
    response = client.get("/tidak-ada/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()
    client.force_login(camat)
    response = client.get("/perusahaan/profil/")
    assert response.status_code == 403
    assert "Akses ditolak" in response.content.decode()


def test_server_error_page_renders_without_a_request():
    from tslp_portal.views import server_error

    response = server_error(None)
    assert response.status_code == 500
    assert "Terjadi kesalahan" in response.content.decode()


def test_indonesian_is_the_default_even_for_english_browsers(client, wilayah):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="id"' in html
    assert "Masuk" in html
