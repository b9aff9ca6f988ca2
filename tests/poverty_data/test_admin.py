"""The household and import-batch admin: Dinsos only, read-only, access-logged."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from poverty_data.models import HouseholdChange
from tests.poverty_data.factories import HouseholdFactory, ImportBatchFactory, MemberFactory
from tslp_portal.models import AccessLog

pytestmark = pytest.mark.django_db

PAGES = [
    "admin:poverty_data_household_changelist",
    "admin:poverty_data_importbatch_changelist",
    "admin:tslp_portal_accesslog_changelist",
]


def test_registry_admin_is_forbidden_for_other_roles_and_open_to_dinsos(personas, login):
    for page in PAGES:
        for persona in ("owner", "other_company", "camat", "other_camat", "pimpinan"):
            assert login(personas[persona]).get(reverse(page)).status_code == 403, (persona, page)
        assert login(personas["dinsos"]).get(reverse(page)).status_code == 200, page


def test_registry_admin_sends_anonymous_users_to_log_in(login, wilayah):
    for page in PAGES:
        response = login(None).get(reverse(page))

        assert response.status_code == 302
        assert "login" in response["Location"]


def test_household_detail_is_forbidden_for_a_camat_even_with_staff_status(camat, login, wilayah):
    household = HouseholdFactory()
    camat.is_staff = True
    camat.save()

    url = reverse("admin:poverty_data_household_change", args=[household.pk])

    assert login(camat).get(url).status_code == 403


def test_dinsos_searches_households_by_no_kk_nik_and_name(dinsos, login):
    wanted = HouseholdFactory(nama_kepala="Sumarni Binti Jaya")
    member = MemberFactory(household=wanted)
    other = HouseholdFactory(nama_kepala="Ahmad")
    client = login(dinsos)
    url = reverse("admin:poverty_data_household_changelist")

    for query in (wanted.no_kk, wanted.nik_kepala, member.nik, "sumarni"):
        content = client.get(url, {"q": query}).content.decode()
        assert wanted.no_kk in content, query
        assert other.no_kk not in content, query


def test_a_16_digit_search_reads_the_identity_columns_exactly_without_distinct(dinsos, login):
    wanted = HouseholdFactory(nama_kepala="Sumarni")
    member = MemberFactory(household=wanted, nama="Rahmat")
    other = HouseholdFactory(nama_kepala=f"Nama {wanted.no_kk}")
    client = login(dinsos)
    url = reverse("admin:poverty_data_household_changelist")

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"q": f" {member.nik} "})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [wanted]
    assert not any("DISTINCT" in query["sql"] and "household" in query["sql"] for query in queries)
    assert list(client.get(url, {"q": wanted.no_kk}).context["cl"].result_list) == [wanted]
    assert other not in client.get(url, {"q": wanted.nik_kepala}).context["cl"].result_list


def test_a_name_search_finds_heads_and_members_by_part_of_the_name(dinsos, login):
    head = HouseholdFactory(nama_kepala="Sumarni Binti Jaya")
    child = MemberFactory(household=HouseholdFactory(nama_kepala="Ahmad"), nama="Rizky Sumarno")
    HouseholdFactory(nama_kepala="Wati")
    url = reverse("admin:poverty_data_household_changelist")

    found = login(dinsos).get(url, {"q": "SUMAR"}).context["cl"].result_list

    assert sorted(household.pk for household in found) == sorted([head.pk, child.household_id])


def test_the_desil_filter_lists_every_desil_and_the_unranked(dinsos, login):
    HouseholdFactory(desil=None)
    HouseholdFactory(desil=3)
    url = reverse("admin:poverty_data_household_changelist")
    client = login(dinsos)

    assert [h.desil for h in client.get(url, {"desil": "none"}).context["cl"].result_list] == [None]
    assert [h.desil for h in client.get(url, {"desil": "3"}).context["cl"].result_list] == [3]


@pytest.mark.parametrize(
    "params",
    [
        {"desil": "1"},
        {"is_active__exact": "1"},
        {"needs": "house"},
        {"needs": "any"},
        {"receives_pkh__exact": "1"},
        {"has_elderly__exact": "1"},
        {"source__exact": "dtsen"},
    ],
)
def test_household_filters(dinsos, login, params):
    HouseholdFactory(desil=1, needs_house=True, needs_count=1, receives_pkh=True, has_elderly=True)
    HouseholdFactory(desil=5)

    response = login(dinsos).get(reverse("admin:poverty_data_household_changelist"), params)

    assert response.status_code == 200
    assert len(response.context["cl"].result_list) >= 1


def test_household_filter_by_kecamatan_and_desa(dinsos, login, kahayan_hilir):
    household = HouseholdFactory()
    url = reverse("admin:poverty_data_household_changelist")

    response = login(dinsos).get(
        url, {"desa__kecamatan__id__exact": kahayan_hilir.pk, "desa__id__exact": household.desa_id}
    )

    assert list(response.context["cl"].result_list) == [household]


# Session, user, the kecamatan filter's names, the capped count, the page, the access log; a 16-digit query
# adds three exact lookups (No. KK, head's NIK, members' NIK), a name query one (members' names).
HOUSEHOLD_LIST_QUERIES = {"": 6, "identity": 9, "name": 7}


@pytest.mark.parametrize("search", ["", "identity", "name"])
def test_household_list_query_count_does_not_grow_with_rows(
    dinsos, login, django_assert_max_num_queries, search
):
    wanted = HouseholdFactory(nama_kepala="Sumarni")
    MemberFactory(household=wanted, nama="Sumarni Anak")
    query = {"": {}, "identity": {"q": wanted.nik_kepala}, "name": {"q": "Sumarni"}}[search]
    client = login(dinsos)
    url = reverse("admin:poverty_data_household_changelist")
    client.get(url, query)
    with django_assert_max_num_queries(HOUSEHOLD_LIST_QUERIES[search]) as few:
        client.get(url, query)
    for _ in range(30):
        MemberFactory(household=HouseholdFactory(nama_kepala="Sumarni"), nama="Sumarni")

    with django_assert_max_num_queries(HOUSEHOLD_LIST_QUERIES[search]) as many:
        response = client.get(url, query)

    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == (1 if search == "identity" else 31)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_household_detail_shows_members_and_import_history_and_is_logged(dinsos, login):
    household = HouseholdFactory()
    MemberFactory(household=household, nama="Rahmat Anak")
    later = ImportBatchFactory(period="2026-02")
    HouseholdChange.objects.create(household=household, batch=later, kind="updated")

    response = login(dinsos).get(reverse("admin:poverty_data_household_change", args=[household.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Rahmat Anak" in content
    assert "2026-02" in content
    log = AccessLog.objects.get()
    assert (log.user, log.action, log.row_count) == (dinsos, AccessLog.Action.VIEW, 2)
    assert log.what == f"keluarga #{household.pk} (admin)"  # no No. KK in the log itself


def test_household_list_view_is_logged_with_its_row_count(dinsos, login):
    # Names without an "x": a random name could match the search (Faker's, now and then).
    HouseholdFactory.create_batch(3, nama_kepala="Budi Santoso")

    login(dinsos).get(reverse("admin:poverty_data_household_changelist"), {"q": "x"})

    log = AccessLog.objects.get()
    assert (log.user, log.row_count, log.reason) == (dinsos, 0, "q=x")


def test_households_cannot_be_added_changed_or_deleted_in_the_admin(dinsos, login):
    household = HouseholdFactory()
    client = login(dinsos)

    assert client.get(reverse("admin:poverty_data_household_add")).status_code == 403
    assert client.get(reverse("admin:poverty_data_household_delete", args=[household.pk])).status_code == 403
    response = client.post(
        reverse("admin:poverty_data_household_change", args=[household.pk]), {"nama_kepala": "X"}
    )
    assert response.status_code == 403


def test_the_admin_links_to_the_one_rejected_rows_download(dinsos, login):
    batch = ImportBatchFactory(errors=[[5, "desil", "x", "Desil must be a number"]])
    client = login(dinsos)

    page = client.get(reverse("admin:poverty_data_importbatch_change", args=[batch.pk])).content.decode()

    download = reverse("registry:import_errors", args=[batch.pk])
    assert f'href="{download}"' in page
    response = client.get(download)
    assert response.content[:2] == b"PK"
    assert AccessLog.objects.get().action == AccessLog.Action.EXPORT


def test_rejected_rows_download_is_forbidden_for_a_camat(camat, login, wilayah):
    batch = ImportBatchFactory(errors=[[5, "desil", "x", "bad"]])

    assert login(camat).get(reverse("registry:import_errors", args=[batch.pk])).status_code == 403


def test_access_log_is_readable_by_dinsos_and_append_only(dinsos, login):
    log = AccessLog.objects.create(user=dinsos, action="view", what="x", row_count=1)
    client = login(dinsos)

    assert client.get(reverse("admin:tslp_portal_accesslog_changelist")).status_code == 200
    assert client.get(reverse("admin:tslp_portal_accesslog_change", args=[log.pk])).status_code == 200
    assert client.get(reverse("admin:tslp_portal_accesslog_add")).status_code == 403
    assert (
        client.post(reverse("admin:tslp_portal_accesslog_delete", args=[log.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert AccessLog.objects.filter(pk=log.pk).exists()


@pytest.mark.parametrize("respond", ["response_add", "response_change", "response_delete"])
def test_the_admins_own_messages_about_a_household_carry_no_identity(dinsos, rf, respond):
    # Django's admin names the object in its messages with str(obj); messages travel in a signed, not
    # encrypted, cookie. The admin is read-only today; these are the messages it would send after a save.
    from django.contrib import admin
    from django.contrib.messages import get_messages
    from django.contrib.messages.storage.fallback import FallbackStorage

    from poverty_data.models import Household

    household = HouseholdFactory()
    request = rf.post("/admin/poverty_data/household/")
    request.user = dinsos
    request.session = {}
    request._messages = FallbackStorage(request)
    model_admin = admin.site._registry[Household]
    if respond == "response_delete":
        model_admin.response_delete(request, str(household), household.pk)
    else:
        getattr(model_admin, respond)(request, household)
    [message] = [str(message) for message in get_messages(request)]
    for identity in (household.no_kk, household.nik_kepala, household.nama_kepala):
        assert identity not in message


def test_a_capped_household_count_reads_more_than_the_cap_not_the_cap_plus_one(dinsos, login, monkeypatch):
    from poverty_data.admin import CappedCountPaginator

    monkeypatch.setattr(CappedCountPaginator, "CAP", 2)
    for _ in range(4):
        HouseholdFactory()
    client = login(dinsos)
    url = reverse("admin:poverty_data_household_changelist")
    html = client.get(url).content.decode()
    assert "lebih dari 2 keluarga" in html
    assert "lebih dari 2 hasil" in html
    assert "3 keluarga" not in html
    assert "3 buah" not in html
