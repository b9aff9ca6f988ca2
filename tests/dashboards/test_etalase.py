"""The kecamatan and regency dashboards count the etalase's needs per desa and per bidang, exactly, also
right after a change while the pages are cached."""

from collections import Counter
from io import BytesIO

import lxml.html
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from etalase.models import Need
from etalase.services import need_adopt, need_approve, need_complete
from programs.choices import Bidang
from tests.etalase.factories import NeedFactory
from tslp_portal.caching import local_cache

pytestmark = pytest.mark.django_db
S = Need.Status
KECAMATAN = reverse("dashboards:kecamatan", args=["62.11.05"])
KEYS = {S.PROPOSED: "proposed", S.OPEN: "open", S.ADOPTED: "adopted", S.DONE: "done"}


@pytest.fixture
def cached(settings):
    settings.TSLP_DASHBOARD_CACHE_SECONDS = 3600
    local_cache.clear()
    yield
    local_cache.clear()


@pytest.fixture
def needs(kahayan_hilir, maliku):
    buntoi, tahai = kahayan_hilir.desa_set.order_by("kode")[:2]
    return [
        NeedFactory(desa=buntoi, status=S.OPEN),
        NeedFactory(desa=buntoi, status=S.OPEN, bidang=Bidang.KESEHATAN),
        NeedFactory(desa=buntoi, status=S.ADOPTED),
        NeedFactory(desa=tahai, status=S.DONE, bidang=Bidang.PENDIDIKAN),
        NeedFactory(desa=tahai, status=S.PROPOSED),
        NeedFactory(desa=tahai, status=S.REJECTED),
        NeedFactory(desa=None, status=S.OPEN, bidang=Bidang.KESEHATAN),
        NeedFactory(kecamatan=maliku, status=S.OPEN),
    ]


def straight(needs, key) -> dict:
    """Counts per ``key`` of the needs, counted one by one."""
    counts = Counter((key(n), KEYS[n.status]) for n in needs if n.status in KEYS)
    result = {}
    for (group, status), count in counts.items():
        result.setdefault(group, dict.fromkeys(KEYS.values(), 0))[status] = count
    return result


def rows(response, slug) -> dict[str, dict]:
    """The table ``slug`` as the page shows it: first cell → counts (so also read from a cached page)."""
    assert response.status_code == 200
    document = lxml.html.fromstring(response.content)
    result = {}
    for tr in document.xpath(f"//section[@id='tabel-{slug}']//tbody/tr"):
        cells = [" ".join(cell.text_content().split()) for cell in tr.xpath("./th|./td")]
        result[cells[0]] = dict(zip(KEYS.values(), (int(c) for c in cells[1:]), strict=True))
    return result


def test_kecamatan_dashboard_counts_needs_per_desa_and_bidang_as_a_straight_count(needs, camat, login):
    response = login(camat).get(KECAMATAN)
    assert response.status_code == 200

    mine = [n for n in needs if n.kecamatan.kode == "62.11.05"]
    per_desa = rows(response, "etalase_desa")
    for nama, counts in straight(mine, lambda n: n.desa.nama if n.desa_id else "Seluruh kecamatan").items():
        assert per_desa[nama] == counts
    assert len(per_desa) == camat.kecamatan.desa_set.count() + 1  # every desa, and the whole kecamatan
    per_bidang = rows(response, "etalase_bidang")
    for bidang, counts in straight(mine, lambda n: n.get_bidang_display()).items():
        assert per_bidang[bidang] == counts
    assert per_bidang[Bidang.LINGKUNGAN.label] == dict.fromkeys(KEYS.values(), 0)


def test_rows_link_to_the_etalase_filtered_to_them(needs, camat, login):
    html = login(camat).get(KECAMATAN).content.decode()

    buntoi = needs[0].desa
    assert f'href="{reverse("etalase:list")}?desa={buntoi.kode}"' in html
    assert f'href="{reverse("etalase:list")}?kecamatan=62.11.05&amp;bidang=kesehatan"' in html


def test_regency_dashboard_counts_needs_per_bidang_of_the_whole_regency(needs, pimpinan, login):
    response = login(pimpinan).get(reverse("dashboards:regency"))
    per_bidang = rows(response, "etalase_bidang")

    for bidang, counts in straight(needs, lambda n: n.get_bidang_display()).items():
        assert per_bidang[bidang] == counts
    assert "etalase_desa" not in response.context["tables"]
    assert f'href="{reverse("etalase:list")}?bidang=kesehatan"' in response.content.decode()


def test_a_need_decision_shows_on_the_cached_dashboards_at_once(
    cached, kahayan_hilir, camat, dinsos, pimpinan, login
):
    need = NeedFactory(status=S.PROPOSED, bidang=Bidang.KESEHATAN)
    camat_client, pimpinan_client = login(camat), login(pimpinan)
    regency = reverse("dashboards:regency")

    def counts(client, url):
        row = rows(client.get(url), "etalase_bidang")[Bidang.KESEHATAN.label]
        return row["proposed"], row["open"]

    assert counts(camat_client, KECAMATAN) == (1, 0)
    assert counts(pimpinan_client, regency) == (1, 0)
    assert counts(camat_client, KECAMATAN) == (1, 0)  # served from the cache
    assert local_cache._cache

    need_approve(need=need, actor=dinsos)

    assert counts(camat_client, KECAMATAN) == (0, 1)
    assert counts(pimpinan_client, regency) == (0, 1)


def test_adoption_and_completion_show_on_the_cached_kecamatan_dashboard(
    cached, company, owner, dinsos, login
):
    need = NeedFactory(status=S.OPEN)
    client = login(dinsos)

    def desa_row():
        return rows(client.get(KECAMATAN), "etalase_desa")[need.desa.nama]

    assert (desa_row()["open"], desa_row()["adopted"]) == (1, 0)
    need_adopt(need=need, actor=owner)
    assert (desa_row()["open"], desa_row()["adopted"], desa_row()["done"]) == (0, 1, 0)
    need_complete(need=need, actor=dinsos)
    assert (desa_row()["adopted"], desa_row()["done"]) == (0, 1)


def test_excel_download_of_the_need_counts(needs, camat, login):
    response = login(camat).get(KECAMATAN, {"format": "xlsx", "tabel": "etalase_desa"})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    table = list(sheet.iter_rows(values_only=True))

    assert table[6] == ("Desa", "Diusulkan, menunggu Dinsos", "Terbuka", "Diadopsi", "Selesai")
    by_name = {row[0]: row[1:] for row in table[7:]}
    assert by_name[needs[0].desa.nama] == (0, 2, 1, 0)
    assert by_name["Seluruh kecamatan"] == (0, 1, 0, 0)

    response = login(camat).get(KECAMATAN, {"format": "xlsx", "tabel": "etalase_bidang"})
    table = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert ("Kesehatan", 0, 2, 0, 0) in table
