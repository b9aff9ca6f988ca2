"""Ring-1 desa: kept by the company from its profile, confirmed by Dinsos on the company's back-office page."""

import pytest
from django.urls import reverse
from django.utils import timezone

from etalase.models import RingDesa
from etalase.services import NeedError, ring_desa_confirm

PERSONAS = ["owner", "editor", "other_company", "dinsos", "camat", "other_camat", "pimpinan", "anonymous"]


@pytest.fixture
def ring(company, kahayan_hilir, dinsos):
    buntoi, mintin = kahayan_hilir.desa_set.get(nama="Buntoi"), kahayan_hilir.desa_set.get(nama="Mintin")
    return [
        RingDesa.objects.create(
            company=company, desa=buntoi, confirmed_at=timezone.now(), confirmed_by=dinsos
        ),
        RingDesa.objects.create(company=company, desa=mintin),
    ]


def confirm_url(company):
    return reverse("etalase:ring_confirm", args=[company.pk])


def test_company_profile_lists_its_ring_desa_with_their_status_and_links_to_the_editor(
    login, owner, other_company, maliku, ring
):
    RingDesa.objects.create(company=other_company, desa=maliku.desa_set.first())

    response = login(owner).get(reverse("companies:profile"))
    html = response.content.decode()
    panel = html[html.index('data-testid="ring-panel"') :]

    assert "Desa Buntoi" in panel and "Desa Mintin" in panel
    assert panel.count("Confirmed") == 1 and panel.count("Waiting for Dinsos") == 1
    assert maliku.desa_set.first().nama not in panel
    assert f'href="{reverse("etalase:ring")}"' in panel
    assert (
        f'href="{reverse("etalase:ring")}"' in login(owner).get(reverse("companies:update")).content.decode()
    )


def test_profile_query_count_does_not_grow_with_the_ring(
    login, owner, company, kahayan_hilir, django_assert_max_num_queries
):
    client = login(owner)
    client.get(reverse("companies:profile"))
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("companies:profile"))
    for desa in kahayan_hilir.desa_set.all():
        RingDesa.objects.create(company=company, desa=desa)
    with django_assert_max_num_queries(30) as many:
        response = client.get(reverse("companies:profile"))
    assert response.content.decode().count("Waiting for Dinsos") == kahayan_hilir.desa_set.count()
    assert len(many.captured_queries) == len(few.captured_queries)


def test_editor_adds_a_desa_that_waits_for_dinsos_and_removes_it(login, editor, company, kahayan_hilir):
    client = login(editor)
    desa = kahayan_hilir.desa_set.get(nama="Buntoi")

    response = client.post(reverse("etalase:ring"), {"desa": desa.kode})
    client.post(reverse("etalase:ring"), {"desa": desa.kode})  # twice is once

    assert response.status_code == 302
    added = RingDesa.objects.get(company=company)
    assert (added.desa, added.confirmed_at) == (desa, None)
    client.post(reverse("etalase:ring"), {"remove": added.pk})
    assert not RingDesa.objects.exists()


def test_a_company_cannot_remove_another_companys_ring_desa(login, other_owner, ring):
    login(other_owner).post(reverse("etalase:ring"), {"remove": ring[0].pk})
    assert RingDesa.objects.count() == 2
    assert login(other_owner).post(reverse("etalase:ring"), {"remove": "x"}).status_code == 400


def test_dinsos_sees_the_ring_on_the_company_page_and_confirms_one(login, dinsos, company, ring):
    client = login(dinsos)
    page = client.get(reverse("admin:companies_company_change", args=[company.pk])).content.decode()
    assert "Desa Mintin" in page
    assert f'action="{confirm_url(company)}"' in page

    response = client.post(confirm_url(company), {"ring_desa": ring[1].pk})

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:companies_company_change", args=[company.pk])
    ring[1].refresh_from_db()
    assert ring[1].confirmed_by == dinsos and ring[1].confirmed_at is not None


def test_dinsos_confirms_all_waiting_desa_at_once_and_keeps_earlier_confirmations(
    login, dinsos, company, kahayan_hilir, ring
):
    RingDesa.objects.create(company=company, desa=kahayan_hilir.desa_set.get(nama="Gohong"))
    first = ring[0].confirmed_at

    login(dinsos).post(confirm_url(company))

    assert not RingDesa.objects.filter(confirmed_at__isnull=True).exists()
    ring[0].refresh_from_db()
    assert ring[0].confirmed_at == first


def test_only_dinsos_confirms_and_only_by_post(login, personas, company, ring):
    got = {}
    for persona in PERSONAS:
        got[persona] = login(personas.get(persona)).post(confirm_url(company)).status_code
    assert got == {
        "owner": 403,
        "editor": 403,
        "other_company": 403,
        "dinsos": 302,
        "camat": 403,
        "other_camat": 403,
        "pimpinan": 403,
        "anonymous": 302,
    }
    ring_free = RingDesa.objects.create(
        company=company, desa=ring[0].desa.kecamatan.desa_set.get(nama="Gohong")
    )
    assert login(personas["dinsos"]).get(confirm_url(company)).status_code == 405
    ring_free.refresh_from_db()
    assert ring_free.confirmed_at is None
    with pytest.raises(NeedError, match="Only Dinsos confirms ring-1 desa"):
        ring_desa_confirm(ring_desas=RingDesa.objects.all(), actor=personas["camat"])


def test_confirming_for_an_unknown_company_is_404(login, dinsos, ring):
    response = login(dinsos).post(reverse("etalase:ring_confirm", args=[999_999]))
    assert response.status_code == 404
