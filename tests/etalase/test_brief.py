from collections import Counter

from django.urls import reverse

from etalase.models import Need
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
    rows = {row["desa__nama"]: row for row in response.context["etalase"]["by_desa"]}
    straight = Counter((n.desa.nama if n.desa else None, n.status) for n in made)
    for (nama, status), count in straight.items():
        key = {S.PROPOSED: "proposed", S.OPEN: "open", S.ADOPTED: "adopted", S.DONE: "done"}[status]
        assert rows[nama][key] == count
    assert sum(row["open"] for row in response.context["etalase"]["by_bidang"]) == 2
