import pytest
from django.core import mail
from django.urls import reverse

from companies.models import Company
from tests.companies.factories import CompanyFactory

CHANGELIST = reverse("admin:companies_company_changelist")


@pytest.fixture
def admin_client(login, dinsos):
    return login(dinsos)


@pytest.fixture
def pending(kahayan_hilir):
    return CompanyFactory(
        name="PT Menunggu Verifikasi", status=Company.Status.PENDING, kecamatan=kahayan_hilir
    )


def act(client, action, companies, **extra):
    data = {"action": action, "_selected_action": [c.pk for c in companies], "index": 0, **extra}
    return client.post(CHANGELIST, data, follow=True)


@pytest.mark.parametrize("persona", ["owner", "editor", "other_company", "camat", "pimpinan", "anonymous"])
def test_only_dinsos_reaches_the_company_admin(persona, personas, login):
    response = login(personas[persona]).get(CHANGELIST)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_dinsos_sees_the_changelist_with_filters_and_search(admin_client, company, other_company, pending):
    response = admin_client.get(CHANGELIST)
    assert response.status_code == 200
    html = response.content.decode()
    for text in (company.name, other_company.name, pending.name):
        assert text in html
    filtered = admin_client.get(CHANGELIST, {"status__exact": "pending"}).content.decode()
    assert pending.name in filtered and company.name not in filtered
    by_kecamatan = admin_client.get(CHANGELIST, {"kecamatan__id__exact": other_company.kecamatan_id})
    assert other_company.name in by_kecamatan.content.decode()
    assert company.name not in by_kecamatan.content.decode()
    for term in (other_company.nib, other_company.npwp, "Maliku"):
        found = admin_client.get(CHANGELIST, {"q": term}).content.decode()
        assert other_company.name in found and company.name not in found
    assert pending.name in admin_client.get(CHANGELIST, {"legal_form__exact": "pt"}).content.decode()


def test_verify_selected_verifies_and_emails_each_company(
    admin_client, dinsos, pending, kahayan_hilir, django_capture_on_commit_callbacks
):
    second = CompanyFactory(status=Company.Status.PENDING, kecamatan=kahayan_hilir)
    with django_capture_on_commit_callbacks(execute=True):
        response = act(admin_client, "verify_selected", [pending, second])
    assert "2 perusahaan diverifikasi." in response.content.decode()
    for company in (pending, second):
        company.refresh_from_db()
        assert company.status == Company.Status.VERIFIED
        assert company.verified_by == dinsos
    assert len(mail.outbox) == 2


def test_verify_selected_reports_companies_it_cannot_verify(admin_client, company, pending):
    response = act(admin_client, "verify_selected", [company, pending])
    html = response.content.decode()
    assert "tidak dapat diverifikasi" in html
    assert "1 perusahaan diverifikasi." in html
    pending.refresh_from_db()
    assert pending.status == Company.Status.VERIFIED


def test_reject_selected_asks_for_a_reason_first(admin_client, pending):
    response = act(admin_client, "reject_selected", [pending])
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tolak perusahaan" in html
    assert pending.name in html
    assert 'name="note"' in html
    pending.refresh_from_db()
    assert pending.status == Company.Status.PENDING


def test_reject_selected_without_a_reason_changes_nothing(admin_client, pending):
    response = act(admin_client, "reject_selected", [pending], apply="1", note="  ")
    assert "Bidang ini harus diisi." in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == Company.Status.PENDING
    assert not pending.events.exists()


def test_reject_selected_with_a_reason_rejects_and_emails(
    admin_client, pending, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = act(admin_client, "reject_selected", [pending], apply="1", note="NIB tidak ditemukan")
    assert "1 perusahaan ditolak." in response.content.decode()
    pending.refresh_from_db()
    assert (pending.status, pending.status_note) == (Company.Status.REJECTED, "NIB tidak ditemukan")
    [message] = mail.outbox
    assert "NIB tidak ditemukan" in message.body


def test_suspend_selected_with_a_reason_suspends(admin_client, company):
    response = act(admin_client, "suspend_selected", [company], apply="1", note="Tidak melapor")
    assert "1 perusahaan dibekukan." in response.content.decode()
    company.refresh_from_db()
    assert company.status == Company.Status.SUSPENDED


def test_suspend_selected_refuses_a_pending_company(admin_client, pending):
    response = act(admin_client, "suspend_selected", [pending], apply="1", note="x")
    assert "tidak dapat dibekukan" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == Company.Status.PENDING


def test_change_form_never_edits_status_or_identifiers(admin_client, pending, kahayan_hilir):
    url = reverse("admin:companies_company_change", args=[pending.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="status"' not in html
    assert 'name="nib"' not in html
    assert 'name="npwp"' not in html
    data = {
        "name": "PT Diubah Dinsos",
        "legal_form": "pt",
        "sector": "Ritel",
        "address": "Jl. A",
        "kecamatan": kahayan_hilir.pk,
        "phone": "0513 1",
        "email": "a@example.org",
        "status": "verified",
        "nib": "1111111111111",
        "events-TOTAL_FORMS": 0,
        "events-INITIAL_FORMS": 0,
        "events-MIN_NUM_FORMS": 0,
        "events-MAX_NUM_FORMS": 0,
    }
    assert admin_client.post(url, data).status_code == 302
    pending.refresh_from_db()
    assert pending.name == "PT Diubah Dinsos"
    assert pending.status == Company.Status.PENDING
    assert pending.nib != "1111111111111"


def test_change_form_shows_the_history(admin_client, pending, dinsos):
    act(admin_client, "reject_selected", [pending], apply="1", note="Akta belum diunggah")
    html = admin_client.get(reverse("admin:companies_company_change", args=[pending.pk])).content.decode()
    assert "Riwayat" in html
    assert "Akta belum diunggah" in html


def test_changelist_query_count_does_not_grow_with_rows(
    admin_client, kahayan_hilir, maliku, django_assert_max_num_queries
):
    CompanyFactory.create_batch(3, kecamatan=kahayan_hilir)
    with django_assert_max_num_queries(20) as few:
        assert admin_client.get(CHANGELIST).status_code == 200
    CompanyFactory.create_batch(40, kecamatan=maliku)
    with django_assert_max_num_queries(20) as many:
        assert admin_client.get(CHANGELIST).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def decide_url(company, decision):
    return reverse("admin:companies_company_decide", args=[company.pk, decision])


@pytest.mark.parametrize(
    ("status", "offered"),
    [
        (Company.Status.PENDING, {"verify", "reject"}),
        (Company.Status.VERIFIED, {"suspend"}),
        (Company.Status.REJECTED, {"verify"}),
        (Company.Status.SUSPENDED, {"verify"}),
    ],
)
def test_change_page_offers_the_decisions_legal_in_the_current_state(
    status, offered, admin_client, kahayan_hilir
):
    company = CompanyFactory(status=status, kecamatan=kahayan_hilir)
    html = admin_client.get(reverse("admin:companies_company_change", args=[company.pk])).content.decode()
    for decision in ("verify", "reject", "suspend"):
        assert (decide_url(company, decision) in html) is (decision in offered)


def test_decision_page_asks_first_and_changes_nothing_on_get(admin_client, pending):
    response = admin_client.get(decide_url(pending, "reject"))
    assert response.status_code == 200
    assert 'name="note"' in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == Company.Status.PENDING


def test_rejecting_from_the_change_page_needs_a_reason(admin_client, pending):
    response = admin_client.post(decide_url(pending, "reject"), {"note": ""})
    assert response.status_code == 200
    assert "Bidang ini harus diisi." in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == Company.Status.PENDING


def test_rejecting_from_the_change_page_with_a_reason(
    admin_client, pending, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(decide_url(pending, "reject"), {"note": "Akta tidak sesuai"})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:companies_company_change", args=[pending.pk])
    pending.refresh_from_db()
    assert (pending.status, pending.status_note) == (Company.Status.REJECTED, "Akta tidak sesuai")
    assert len(mail.outbox) == 1


def test_verifying_from_the_change_page_needs_no_note(admin_client, pending):
    response = admin_client.post(decide_url(pending, "verify"), {"note": ""}, follow=True)
    assert "telah diverifikasi." in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == Company.Status.VERIFIED


def test_a_decision_made_on_a_stale_page_fails_with_a_message(admin_client, pending, dinsos):
    admin_client.post(decide_url(pending, "verify"))
    response = admin_client.post(decide_url(pending, "reject"), {"note": "terlambat"}, follow=True)
    assert "tidak dapat ditolak" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == Company.Status.VERIFIED


def test_unknown_decisions_and_companies_are_not_found(admin_client, pending):
    assert admin_client.get(decide_url(pending, "approve")).status_code == 404
    missing = reverse("admin:companies_company_decide", args=[pending.pk + 1000, "verify"])
    assert admin_client.get(missing).status_code == 404


@pytest.mark.parametrize("persona", ["owner", "camat", "pimpinan", "anonymous"])
def test_only_dinsos_reaches_the_decision_page(persona, personas, login, pending):
    response = login(personas[persona]).post(decide_url(pending, "verify"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    pending.refresh_from_db()
    assert pending.status == Company.Status.PENDING
