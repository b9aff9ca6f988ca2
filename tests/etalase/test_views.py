import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from etalase.models import Need, NeedEvent
from programs.models import Program
from tests.documents import image_bytes
from tests.etalase.factories import NeedFactory

S = Need.Status
PERSONAS = ["owner", "editor", "other_company", "dinsos", "camat", "other_camat", "pimpinan", "anonymous"]


@pytest.fixture
def open_need(kahayan_hilir):
    return NeedFactory(status=S.OPEN)


@pytest.fixture
def proposed_need(kahayan_hilir):
    return NeedFactory(status=S.PROPOSED)


def status_of(login, personas, name, url, method="get", data=None):
    client = login(personas[name])
    response = getattr(client, method)(url, data or {})
    return response.status_code


# (url name, need fixture, method) -> status per persona, in PERSONAS order
TABLE = {
    ("etalase:list", None, "get"): [200, 200, 200, 200, 200, 200, 200, 302],
    ("etalase:create", None, "get"): [403, 403, 403, 200, 200, 200, 403, 302],
    ("etalase:ring", None, "get"): [200, 200, 200, 403, 403, 403, 403, 302],
    ("etalase:detail", "open_need", "get"): [200, 200, 200, 200, 200, 404, 200, 302],
    ("etalase:detail", "proposed_need", "get"): [404, 404, 404, 200, 200, 404, 200, 302],
    ("etalase:update", "open_need", "get"): [403, 403, 403, 200, 200, 404, 403, 302],
    ("etalase:approve", "proposed_need", "get"): [403, 403, 403, 200, 403, 403, 403, 302],
    ("etalase:adopt", "open_need", "get"): [200, 200, 200, 403, 403, 403, 403, 302],
}


@pytest.mark.parametrize(("key", "expected"), TABLE.items(), ids=lambda v: str(v))
def test_each_persona_gets_its_status(request, login, personas, key, expected):
    name, fixture, method = key
    args = [request.getfixturevalue(fixture).pk] if fixture else []
    url = reverse(name, args=args)
    got = [status_of(login, personas, persona, url, method) for persona in PERSONAS]
    assert dict(zip(PERSONAS, got, strict=True)) == dict(zip(PERSONAS, expected, strict=True))


def test_camat_of_another_kecamatan_gets_404_for_update(login, other_camat, open_need):
    response = login(other_camat).get(reverse("etalase:update", args=[open_need.pk]))
    assert response.status_code == 404


def form_data(desa, **overrides):
    return {
        "desa": desa.pk,
        "bidang": "infrastruktur",
        "bentuk": "bina_lingkungan",
        "title": "Jembatan titian RT 05",
        "description": "Jembatan kayu ulin sepanjang 40 m yang menghubungkan RT 05 ke sekolah.",
        "budget": "Rp 175.000.000",
        "families": "62",
        "source": "musrenbang_desa",
        "source_ref": "",
        "priority": "1",
        **overrides,
    }


def test_camat_proposes_with_photos(login, camat, kahayan_hilir):
    desa = kahayan_hilir.desa_set.first()
    photos = [
        SimpleUploadedFile("jembatan.png", image_bytes("PNG"), "image/png"),
        SimpleUploadedFile("lokasi.jpg", image_bytes("JPEG"), "image/jpeg"),
    ]
    response = login(camat).post(reverse("etalase:create"), {**form_data(desa), "photos": photos})
    need = Need.objects.get()
    assert response.status_code == 302
    assert (need.status, need.kecamatan, need.budget, need.created_by) == (
        S.PROPOSED,
        kahayan_hilir,
        175_000_000,
        camat,
    )
    assert need.photos.count() == 2
    photo = need.photos.first()
    assert login(camat).get(photo.get_absolute_url()).status_code == 200


def test_camat_cannot_pick_a_desa_of_another_kecamatan(login, camat, maliku):
    response = login(camat).post(reverse("etalase:create"), form_data(maliku.desa_set.first()))
    assert response.status_code == 400
    assert not Need.objects.exists()
    assert "desa" in response.context["form"].errors


def test_a_disguised_photo_is_refused_next_to_the_field(login, camat, kahayan_hilir):
    fake = SimpleUploadedFile("foto.jpg", b"\xff\xd8\xff\xe0<html>not a photo</html>", "image/jpeg")
    response = login(camat).post(
        reverse("etalase:create"), {**form_data(kahayan_hilir.desa_set.first()), "photos": [fake]}
    )
    assert response.status_code == 400
    assert "is not a .jpg photo" in str(response.context["form"].errors["photos"])
    assert not Need.objects.exists()


def test_at_most_five_photos(login, camat, kahayan_hilir):
    photos = [SimpleUploadedFile(f"f{i}.png", image_bytes("PNG"), "image/png") for i in range(6)]
    response = login(camat).post(
        reverse("etalase:create"), {**form_data(kahayan_hilir.desa_set.first()), "photos": photos}
    )
    assert response.status_code == 400
    assert "at most 5 photos" in str(response.context["form"].errors["photos"])


def test_dinsos_approves_after_a_confirmation(login, dinsos, proposed_need):
    client = login(dinsos)
    url = reverse("etalase:approve", args=[proposed_need.pk])
    assert client.get(url).status_code == 200
    proposed_need.refresh_from_db()
    assert proposed_need.status == S.PROPOSED
    response = client.post(url, {"expected_status": S.PROPOSED})
    assert response.status_code == 302
    proposed_need.refresh_from_db()
    assert proposed_need.status == S.OPEN


def test_reject_without_reason_shows_the_error(login, dinsos, proposed_need):
    response = login(dinsos).post(
        reverse("etalase:reject", args=[proposed_need.pk]), {"expected_status": S.PROPOSED, "note": ""}
    )
    assert response.status_code == 400
    assert "Write the reason" in str(response.context["form"].errors["note"])


def test_company_adopts_and_lands_on_its_draft(login, owner, open_need):
    response = login(owner).post(reverse("etalase:adopt", args=[open_need.pk]), {"expected_status": S.OPEN})
    program = Program.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("programs:update", args=[program.pk])
    assert program.need_adoption.need == open_need


def test_adopting_a_closed_need_says_so(login, owner, open_need, dinsos):
    open_need.status = S.DONE
    open_need.save()
    client = login(owner)
    response = client.post(reverse("etalase:adopt", args=[open_need.pk]), follow=True)
    assert not Program.objects.exists()
    assert "can no longer be adopted" in response.content.decode()


def test_adopting_company_sees_what_changed(login, owner, camat, open_need):
    login(owner).post(reverse("etalase:adopt", args=[open_need.pk]))
    data = form_data(open_need.desa, title=open_need.title, budget="150.000.000")
    assert login(camat).post(reverse("etalase:update", args=[open_need.pk]), data).status_code == 302
    page = login(owner).get(open_need.get_absolute_url())
    assert len(page.context["changed_since_adoption"]) == 1
    assert "Rp 150.000.000" in page.content.decode()


def test_ring_filter_shows_needs_of_confirmed_ring_desa(login, owner, kahayan_hilir, maliku, dinsos):
    from django.utils import timezone

    from etalase.models import RingDesa

    near = NeedFactory(title="Dekat")
    NeedFactory(kecamatan=maliku, title="Jauh")
    RingDesa.objects.create(company=owner.company, desa=near.desa, confirmed_at=timezone.now())
    page = login(owner).get(reverse("etalase:list"), {"ring": "on"})
    assert [n.title for n in page.context["needs"]] == ["Dekat"]


def test_list_filters_and_excel(login, owner, kahayan_hilir, maliku):
    NeedFactory(title="Murah", budget=10_000_000)
    NeedFactory(title="Mahal", budget=900_000_000, kecamatan=maliku)
    client = login(owner)
    page = client.get(reverse("etalase:list"), {"budget_max": "50.000.000"})
    assert [n.title for n in page.context["needs"]] == ["Murah"]
    page = client.get(reverse("etalase:list"), {"kecamatan": maliku.kode})
    assert [n.title for n in page.context["needs"]] == ["Mahal"]
    download = client.get(reverse("etalase:list"), {"format": "xlsx"})
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")


def test_list_query_count_does_not_grow(login, owner, kahayan_hilir, django_assert_max_num_queries):
    NeedFactory.create_batch(30)
    client = login(owner)
    with django_assert_max_num_queries(12):
        client.get(reverse("etalase:list"))


def test_changes_are_post_only(login, owner, open_need):
    # GET never acts: the adoption page only asks.
    login(owner).get(reverse("etalase:adopt", args=[open_need.pk]))
    assert not Program.objects.exists()
    assert not open_need.events.filter(action=NeedEvent.Action.ADOPT).exists()


@pytest.mark.parametrize(
    ("persona", "shown"), [("owner", False), ("other_company", False), ("camat", True), ("dinsos", True)]
)
def test_the_registry_count_beside_a_need_is_only_for_roles_with_exact_figures(
    login, personas, open_need, persona, shown
):
    """A company would otherwise read a desa's exact number of poor families, which the public pages protect."""
    page = login(personas[persona]).get(reverse("etalase:detail", args=[open_need.pk]))
    assert page.status_code == 200
    assert (b'data-testid="registry-poor"' in page.content) is shown
    assert (page.context["poor_families"] is not None) is shown
