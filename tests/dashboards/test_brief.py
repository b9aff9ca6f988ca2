import datetime

import pytest
from django.urls import reverse

from dashboards.services.summary import figures_rebuild
from tests.dashboards.ledger import YEAR, build

pytestmark = pytest.mark.django_db
URL = reverse("dashboards:brief", args=["62.11.05"])


@pytest.fixture
def ledger(company):
    ledger = build(company)
    # p3 ended in June without a report: overdue.
    ledger["p3"].start_date = datetime.date(YEAR, 2, 1)
    ledger["p3"].end_date = datetime.date(YEAR, 6, 30)
    ledger["p3"].title = "Posyandu Mintin"
    ledger["p3"].save()
    return ledger


def test_brief_sentences_for_a_known_ledger(ledger, camat, login):
    response = login(camat).get(URL, {"tahun": YEAR})

    paragraphs = response.context["paragraphs"]
    assert paragraphs[0] == (
        "Pada 2026, Kecamatan Kahayan Hilir memiliki 5 keluarga miskin (desil 1–4) dari 8 keluarga dalam "
        "registri. Program CSR menjangkau 1 di antaranya: cakupan 20,0%, dibandingkan 33,3% untuk kabupaten "
        "(peringkat 2 dari 8 kecamatan). 3 keluarga miskin belum pernah menerima bantuan CSR."
    )
    assert (
        paragraphs[1] == "Kesenjangan terbesar, keluarga miskin yang belum terjangkau tahun ini: Buntoi (4)."
    )
    assert paragraphs[2].startswith(
        "CSR terbanyak untuk bidang Infrastruktur: 1 program, rencana Rp 1.000.000.001. "
        "Paling sedikit untuk bidang Kesehatan (Rp 45.000.001). Belum ada program untuk bidang lainnya, "
    )
    assert paragraphs[3] == (
        "1 perusahaan aktif: PT Sawit Kahayan Lestari. Rencana Rp 1.345.000.002, "
        "realisasi terverifikasi Rp 100.000.001."
    )
    assert paragraphs[4] == "1 laporan realisasi terlambat: Posyandu Mintin (PT Sawit Kahayan Lestari)."
    assert paragraphs[5] == "Jumlah keluarga miskin yang terjangkau sama dengan 2025 (1)."


def test_brief_names_the_most_common_unmet_need(ledger, camat, login):
    for h in (ledger["h2"], ledger["h7"]):
        h.needs_house = True
        h.save()
    figures_rebuild()  # as an import that brought the new needs does

    paragraphs = login(camat).get(URL, {"tahun": YEAR}).context["paragraphs"]

    assert paragraphs[1] == (
        "Kesenjangan terbesar, keluarga miskin yang belum terjangkau tahun ini: "
        "Buntoi (4, terbanyak rumah tidak layak huni: 2)."
    )


def test_brief_prints_area_year_line_and_data_as_of_and_offers_plain_text(ledger, camat, login):
    html = login(camat).get(URL, {"tahun": YEAR, "garis": 3}).content.decode()

    assert "Ringkasan: Kecamatan Kahayan Hilir, 2026" in html
    assert "Garis kemiskinan: desil 1–3" in html
    assert "Data per " in html
    assert "Portal TSLP — Dinas Sosial Kabupaten Pulang Pisau" in html
    assert 'media="print"' in html
    assert 'data-copy="brief-text"' in html
    text = html.split('id="brief-text"')[1].split("</textarea>")[0]
    assert "Pada 2026, Kecamatan Kahayan Hilir memiliki" in text
    assert "<p>" not in text
