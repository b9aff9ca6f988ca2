from collections import Counter

from django.urls import reverse

from etalase.models import Need
from programs.choices import Bidang
from tests.etalase.factories import NeedFactory

S = Need.Status


def test_camat_brief_names_the_open_needs_and_counts_them_per_desa(login, camat, kahayan_hilir, maliku):
    desa = list(kahayan_hilir.desa_set.order_by("kode")[:2])
    made = [
        NeedFactory(desa=desa[0], status=S.OPEN, title="Sumur bor RT 02"),
        NeedFactory(desa=desa[0], status=S.ADOPTED),
        NeedFactory(desa=desa[1], status=S.DONE),
        NeedFactory(desa=desa[1], status=S.PROPOSED),
        NeedFactory(desa=None, status=S.OPEN, title="Posyandu keliling"),
    ]
    NeedFactory(kecamatan=maliku, status=S.OPEN, title="Di Maliku")
    response = login(camat).get(reverse("dashboards:brief", args=[kahayan_hilir.kode]))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Sumur bor RT 02" in text
    assert "Posyandu keliling" in text
    assert "Di Maliku" not in text
    rows = {row["nama"]: row for row in response.context["etalase"]["by_desa"]}
    straight = Counter((n.desa.nama if n.desa else "Whole kecamatan", n.status) for n in made)
    for (nama, status), count in straight.items():
        key = {S.PROPOSED: "proposed", S.OPEN: "open", S.ADOPTED: "adopted", S.DONE: "done"}[status]
        assert rows[nama][key] == count
    assert len(rows) == 3  # the desa without needs are left out of the printed brief
    assert sum(row["open"] for row in response.context["etalase"]["by_bidang"]) == 2


def test_brief_names_five_open_needs_highest_priority_first_with_place_bidang_and_budget(
    settings, login, camat, kahayan_hilir
):
    settings.LANGUAGE_CODE = "id"
    buntoi = kahayan_hilir.desa_set.get(nama="Buntoi")
    P = Need.Priority
    for index, priority in enumerate([P.LOW, P.MEDIUM, P.HIGH, P.LOW, P.MEDIUM, P.HIGH, P.LOW]):
        NeedFactory(
            desa=buntoi,
            title=f"Kebutuhan {index}",
            priority=priority,
            budget=1_250_000 * (index + 1),
            bidang=Bidang.KESEHATAN if index == 2 else Bidang.INFRASTRUKTUR,
        )
    NeedFactory(desa=buntoi, status=S.PROPOSED, priority=P.HIGH, title="Belum disetujui")

    response = login(camat).get(reverse("dashboards:brief", args=[kahayan_hilir.kode]))

    expected = (
        "7 usulan kebutuhan di etalase menunggu perusahaan: "
        "Kebutuhan 5 (Desa Buntoi, Infrastruktur, Rp 7.500.000); "
        "Kebutuhan 2 (Desa Buntoi, Kesehatan, Rp 3.750.000); "
        "Kebutuhan 4 (Desa Buntoi, Infrastruktur, Rp 6.250.000); "
        "Kebutuhan 1 (Desa Buntoi, Infrastruktur, Rp 2.500.000); "
        "Kebutuhan 6 (Desa Buntoi, Infrastruktur, Rp 8.750.000); dan 2 lainnya."
    )
    assert response.context["etalase"]["sentence"] == expected
    textarea = response.content.decode().split('id="brief-text"')[1].split("</textarea>")[0]
    assert expected in textarea
    assert "Belum disetujui" not in textarea


def test_brief_with_few_open_needs_names_them_all_and_none_says_so(settings, login, camat, kahayan_hilir):
    settings.LANGUAGE_CODE = "id"
    url = reverse("dashboards:brief", args=[kahayan_hilir.kode])
    assert login(camat).get(url).context["etalase"]["sentence"] == (
        "Tidak ada kebutuhan kecamatan ini yang menunggu perusahaan."
    )

    NeedFactory(desa=None, title="Posyandu keliling", budget=45_000_000, bidang=Bidang.KESEHATAN)
    assert login(camat).get(url).context["etalase"]["sentence"] == (
        "1 usulan kebutuhan di etalase menunggu perusahaan: "
        "Posyandu keliling (Kecamatan Kahayan Hilir, Kesehatan, Rp 45.000.000)."
    )
