"""Every public URL answers every persona alike; the token admin is Dinsos' alone."""

import pytest

pytestmark = pytest.mark.django_db

PUBLIC = [
    "/publik/",
    "/publik/kecamatan/62.11.05/",
    "/publik/data/",
    "/publik/data/tslp-3w-hxl.csv",
    "/publik/data/tslp-iati-activities.xml",
    "/publik/data/tslp-360giving.json",
    "/publik/unduh/kecamatan.xlsx",
    "/publik/unduh/desa.csv?kecamatan=62.11.05",
    "/publik/unduh/perusahaan.xlsx",
    "/publik/unduh/bidang.csv",
    "/api/docs/",
    "/api/schema/",
    "/api/v1/publik/statistik/kecamatan/",
    "/api/v1/publik/statistik/desa/?kecamatan=62.11.05",
    "/api/v1/wilayah/kecamatan/",
]
PERSONAS = ["anonymous", "owner", "editor", "other_company", "dinsos", "camat", "other_camat", "pimpinan"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_public_url_answers_every_persona(login, personas, scene, persona):
    client = login(personas[persona])
    assert {url: client.get(url).status_code for url in PUBLIC} == dict.fromkeys(PUBLIC, 200)


def test_unknown_kecamatan_is_404_on_the_page_and_its_download(client, wilayah):
    assert client.get("/publik/kecamatan/62.11.99/").status_code == 404
    assert client.get("/publik/unduh/desa.xlsx", {"kecamatan": "62.11.99"}).status_code == 404


@pytest.mark.parametrize(
    ("persona", "status"), [("dinsos", 200), ("pimpinan", 302), ("owner", 302), ("anonymous", 302)]
)
def test_only_dinsos_reaches_the_token_admin(login, personas, persona, status):
    client = login(personas[persona])
    assert client.get("/admin/api/apitoken/").status_code == status
    assert client.get("/admin/api/apitoken/add/").status_code == status


@pytest.mark.parametrize("url", ["/publik/", "/publik/kecamatan/62.11.05/", "/publik/data/", "/api/docs/"])
def test_public_pages_carry_no_inline_script_or_style(client, scene, url):
    from lxml import html

    tree = html.fromstring(client.get(url).content)
    inline_scripts = [s for s in tree.xpath("//script[not(@src)]") if s.get("type") != "application/json"]
    assert inline_scripts == []
    assert tree.xpath("//style | //*[@style]") == []
    assert [e.tag for e in tree.xpath("//*[@*[starts-with(name(), 'on')]]")] == []
