import pytest
from django.http import Http404
from django.urls import reverse

from accounts.scope import PersonalData, filter_by_kecamatan, get_visible_or_404, scope_of
from companies.models import Company
from poverty_data.models import Desa


def test_scope_of_each_persona(personas):
    assert scope_of(None).authenticated is False
    dinsos = scope_of(personas["dinsos"])
    assert dinsos.whole_regency and dinsos.personal_data is PersonalData.FULL
    pimpinan = scope_of(personas["pimpinan"])
    assert pimpinan.whole_regency and pimpinan.personal_data is PersonalData.NONE
    camat = scope_of(personas["camat"])
    assert not camat.whole_regency
    assert camat.kecamatan_id == personas["camat"].kecamatan_id
    assert camat.personal_data is PersonalData.MASKED
    owner = scope_of(personas["owner"])
    assert owner.company_id == personas["owner"].company_id
    assert owner.personal_data is PersonalData.MASKED


def test_inactive_account_sees_nothing(camat):
    camat.is_active = False
    assert not scope_of(camat).authenticated
    assert not Company.objects.visible_to(camat).exists()


def test_camat_of_kahayan_hilir_cannot_see_what_belongs_to_maliku(personas, company, other_company):
    camat = personas["camat"]
    visible = filter_by_kecamatan(Desa.objects.all(), camat, "kecamatan")
    assert visible.count() == Desa.objects.filter(kecamatan__kode="62.11.05").count()
    assert not visible.filter(kecamatan__kode="62.11.06").exists()
    assert list(Company.objects.visible_to(camat)) == [company]
    with pytest.raises(Http404, match="Tidak ditemukan"):
        get_visible_or_404(Company, camat, pk=other_company.pk)
    assert get_visible_or_404(Company, camat, pk=company.pk) == company


def test_company_members_see_only_their_own_company(personas, company, other_company):
    assert list(Company.objects.visible_to(personas["owner"])) == [company]
    assert list(Company.objects.visible_to(personas["other_company"])) == [other_company]
    with pytest.raises(Http404, match="Tidak ditemukan"):
        get_visible_or_404(Company.objects.all(), personas["owner"], pk=other_company.pk)


def test_regency_roles_see_every_company_and_anonymous_none(personas, company, other_company):
    assert Company.objects.visible_to(personas["dinsos"]).count() == 2
    assert Company.objects.visible_to(personas["pimpinan"]).count() == 2
    assert Company.objects.visible_to(None).count() == 0


@pytest.mark.parametrize(
    ("persona", "sees"),
    [("dinsos", True), ("pimpinan", True), ("camat", True), ("owner", False), ("editor", False)],
)
def test_one_rule_decides_who_sees_dashboards_and_the_navigation_follows_it(client, personas, persona, sees):
    user = personas[persona]
    assert scope_of(user).sees_dashboards is sees
    assert user.may_see_dashboards is sees
    client.force_login(user)
    response = client.get(reverse("programs:list"))
    assert response.status_code == 200
    links = [url for _label, url in response.context["nav_links"]]
    assert (reverse("dashboards:dashboard") in links) is sees
