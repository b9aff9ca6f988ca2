import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from companies.models import Company
from companies.services import company_suspend, company_verify
from poverty_data.models import Kecamatan
from tests.accounts.factories import PASSWORD, UserFactory
from tests.companies.factories import CompanyFactory

LOGIN = "/akun/login/"
PERSONAS = ["owner", "editor", "other_company", "dinsos", "camat", "other_camat", "pimpinan", "anonymous"]


def status_of(login, personas, persona, url, method="get", data=None):
    client = login(personas[persona])
    response = getattr(client, method)(url, data or {})
    if persona == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)
        return "login"
    return response.status_code


# Who gets what


COMPANY_PAGES = {
    "companies:profile": {"owner": 200, "editor": 200, "other_company": 200},
    "companies:update": {"owner": 200, "editor": 200, "other_company": 200},
    "companies:members": {"owner": 200, "editor": 200, "other_company": 200},
    "companies:member_add": {"owner": 200, "editor": 403, "other_company": 200},
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", list(COMPANY_PAGES))
def test_company_pages_give_each_persona_its_status(name, persona, personas, login):
    expected = COMPANY_PAGES[name].get(persona, "login" if persona == "anonymous" else 403)
    assert status_of(login, personas, persona, reverse(name)) == expected


DEACTIVATE = {
    "owner": 200,
    "editor": 403,
    "other_company": 404,
    "dinsos": 403,
    "camat": 403,
    "other_camat": 403,
    "pimpinan": 403,
    "anonymous": "login",
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_deactivate_page_gives_each_persona_its_status(persona, personas, login):
    url = reverse("companies:member_deactivate", args=[personas["editor"].pk])
    assert status_of(login, personas, persona, url) == DEACTIVATE[persona]
    assert status_of(login, personas, persona, url, method="post") == (
        302 if persona == "owner" else DEACTIVATE[persona]
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_registration_page_is_for_anonymous_visitors_only(persona, personas, login):
    response = login(personas[persona]).get(reverse("companies:register"))
    if persona == "anonymous":
        assert response.status_code == 200
        assert "Daftarkan perusahaan Anda" in response.content.decode()
    else:
        assert response.status_code == 302 and response["Location"] == reverse("home")


def test_each_company_member_sees_only_its_own_company(personas, login):
    html = login(personas["other_company"]).get(reverse("companies:profile")).content.decode()
    assert "PT Tambang Maliku Jaya" in html
    assert "PT Sawit Kahayan Lestari" not in html
    html = login(personas["other_company"]).get(reverse("companies:members")).content.decode()
    assert "pemilik_lain" in html
    assert "<td>pemilik</td>" not in html
    assert "<td>editor</td>" not in html


def test_deactivated_member_can_no_longer_log_in(login, owner, editor):
    login(owner).post(reverse("companies:member_deactivate", args=[editor.pk]))
    response = login(None).post(LOGIN, {"username": "editor", "password": PASSWORD})
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated


# Registration


@pytest.fixture
def form_data(kahayan_hilir):
    return {
        "name": "PT Hutan Lestari Kahayan",
        "legal_form": Company.LegalForm.PT,
        "nib": "1234567890123",
        "npwp": "01.234.567.8-901.000",
        "sector": "Kehutanan",
        "address": "Jl. Tjilik Riwut Km 3",
        "kecamatan": kahayan_hilir.pk,
        "phone": "0513-61234",
        "email": "csr@hutanlestari.example",
        "contact_name": "Budi Santoso",
        "contact_phone": "0812 3456 7890",
        "contact_email": "budi@hutanlestari.example",
        "username": "budi",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }


def test_landing_and_login_pages_link_to_registration(client, wilayah):
    url = reverse("companies:register")
    assert url in client.get("/").content.decode()
    assert url in client.get(LOGIN).content.decode()


def test_company_registers_and_is_logged_in_awaiting_verification(
    client, form_data, dinsos, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("companies:register"), form_data)
    assert response.status_code == 302 and response["Location"] == reverse("companies:profile")
    company = Company.objects.get(nib="1234567890123")
    assert company.npwp == "012345678901000"
    assert company.status == Company.Status.PENDING
    owner = company.members.get()
    assert (owner.username, owner.company_role, owner.email) == ("budi", "owner", "budi@hutanlestari.example")
    [message] = mail.outbox
    assert dinsos.email in message.to
    html = client.get(reverse("companies:profile")).content.decode()
    assert "Menunggu verifikasi" in html
    assert "Anda belum dapat mengajukan program" in html
    assert "Perusahaan Anda sudah terdaftar" in html


def assert_refused_and_kept(response, form_data, *, field, message):
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert re.search(rf'name="{field}"[^>]*is-invalid|is-invalid[^>]*name="{field}"', html)
    # Everything typed (but the passwords) comes back.
    for name in ("name", "sector", "username", "contact_name", "contact_email", "email"):
        assert f'value="{form_data[name]}"' in html
    assert PASSWORD not in html
    assert not User.objects.filter(username="budi").exists()
    assert not Company.objects.filter(name="PT Hutan Lestari Kahayan").exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("nib", "123456789012", "NIB harus tepat 13 angka."),
        ("nib", "12345678901AB", "NIB harus tepat 13 angka."),
        ("npwp", "01.234.567.8-901", "NPWP harus 15 atau 16 angka."),
        ("npwp", "0123456789010001", None),
        ("phone", "<b>telepon</b>", "Masukkan nomor telepon berupa angka"),
        ("contact_email", "budi-at-example", "Masukkan alamat email dengan format yang benar."),
        ("password2", "sandi-lain-2026", "Kedua sandi tidak sama."),
        ("password1", "12345678", "Kata sandi ini seluruhnya terdiri dari angka."),
        ("kecamatan", "", "Bidang ini harus diisi."),
        ("legal_form", "llc", "llc bukan salah satu dari pilihan yang tersedia."),
    ],
)
def test_bad_registration_input_is_refused_next_to_its_field_and_keeps_what_was_typed(
    client, form_data, field, value, message
):
    if field == "npwp" and message is None:
        # 16 digits is a valid NPWP (the NIK-based format since 2024): not an error.
        client.post(reverse("companies:register"), {**form_data, field: value})
        assert Company.objects.get(nib="1234567890123").npwp == value
        return
    typed = {**form_data, field: value}
    if field == "password1":
        typed["password2"] = value
    response = client.post(reverse("companies:register"), typed)
    assert_refused_and_kept(response, typed, field=field, message=message)


def test_registration_refuses_a_kecamatan_outside_the_regency(client, form_data):
    elsewhere = Kecamatan.objects.create(kode="62.01.01", nama="Kotawaringin Lama", kabupaten_kode="62.01")
    response = client.post(reverse("companies:register"), {**form_data, "kecamatan": elsewhere.pk})
    assert_refused_and_kept(response, form_data, field="kecamatan", message="Masukkan pilihan yang valid.")


def test_duplicate_nib_is_refused_without_revealing_the_other_company(client, form_data, company):
    response = client.post(reverse("companies:register"), {**form_data, "nib": company.nib})
    assert_refused_and_kept(
        response,
        form_data,
        field="nib",
        message="NIB ini sudah terdaftar. Jika ini perusahaan Anda, hubungi Dinsos.",
    )
    html = response.content.decode()
    assert company.name not in html
    assert company.email not in html


def test_a_taken_username_is_refused(client, form_data, owner):
    response = client.post(reverse("companies:register"), {**form_data, "username": "PEMILIK"})
    assert response.status_code == 200
    assert "Nama pengguna ini tidak dapat dipakai" in response.content.decode()
    assert "sudah dipakai" not in response.content.decode()
    assert not Company.objects.filter(nib="1234567890123").exists()


def test_registration_is_rate_limited_per_address(client, form_data, owner, settings):
    from django.core.cache import cache

    cache.clear()
    settings.TSLP_REGISTER_LIMIT = 3
    data = {**form_data, "username": "PEMILIK"}
    statuses = [
        client.post(reverse("companies:register"), data, REMOTE_ADDR="198.51.100.9").status_code
        for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]
    throttled = client.post(reverse("companies:register"), data, REMOTE_ADDR="198.51.100.9")
    assert "Terlalu banyak pendaftaran" in throttled.content.decode()
    assert client.post(reverse("companies:register"), data, REMOTE_ADDR="198.51.100.10").status_code == 200
    cache.clear()


def test_html_in_text_fields_is_stored_as_text_and_escaped_on_output(client, form_data):
    hostile = '<script>alert("x")</script> PT Jahil'
    data = {**form_data, "name": hostile, "sector": "<b>Sawit</b>", "address": "<img src=x onerror=alert(1)>"}
    assert client.post(reverse("companies:register"), data).status_code == 302
    company = Company.objects.get(nib="1234567890123")
    assert company.name == hostile
    assert company.sector == "<b>Sawit</b>"
    for url in (reverse("companies:profile"), reverse("companies:update"), reverse("home")):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html
        assert "<b>Sawit</b>" not in html
        assert "<img src=x" not in html
    assert "&lt;script&gt;alert" in client.get(reverse("companies:profile")).content.decode()


# Profile


def test_pending_company_edits_its_identifiers(login, kahayan_hilir):
    company = CompanyFactory(status=Company.Status.PENDING, kecamatan=kahayan_hilir)
    member = UserFactory(role=User.Role.PERUSAHAAN, company=company, company_role=User.CompanyRole.EDITOR)
    client = login(member)
    response = client.post(
        reverse("companies:update"),
        {
            "name": "PT Nama Baru",
            "legal_form": "cv",
            "nib": "9999 9999 9999 9",
            "npwp": "99.999.999.9-999.999",
            "sector": "Ritel",
            "address": "Jl. Baru",
            "kecamatan": kahayan_hilir.pk,
            "phone": "0513 1234",
            "email": "baru@example.org",
        },
    )
    assert response.status_code == 302
    company.refresh_from_db()
    assert (company.name, company.legal_form, company.nib, company.npwp) == (
        "PT Nama Baru",
        "cv",
        "9999999999999",
        "999999999999999",
    )


def test_verified_company_cannot_change_its_identifiers_through_the_form(login, owner, company):
    nib, name = company.nib, company.name
    response = login(owner).post(
        reverse("companies:update"),
        {
            "name": "PT Ganti Nama",
            "nib": "9999999999999",
            "npwp": "999999999999999",
            "legal_form": "cv",
            "sector": "Perbankan",
            "address": "Jl. Baru",
            "kecamatan": company.kecamatan_id,
            "phone": "0513 1234",
            "email": "baru@example.org",
        },
    )
    assert response.status_code == 302
    company.refresh_from_db()
    assert (company.nib, company.name, company.legal_form) == (nib, name, "pt")
    assert company.sector == "Perbankan"


def test_invalid_profile_edit_keeps_what_was_typed_and_saves_nothing(login, owner, company):
    response = login(owner).post(
        reverse("companies:update"),
        {"sector": "Perbankan", "address": "", "kecamatan": company.kecamatan_id, "phone": "x", "email": "y"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Perbankan"' in html
    assert "Bidang ini harus diisi." in html
    company.refresh_from_db()
    assert company.sector != "Perbankan"


@pytest.mark.parametrize(
    ("status", "text"),
    [
        (Company.Status.PENDING, "Anda belum dapat mengajukan program"),
        (Company.Status.VERIFIED, "Terverifikasi"),
        (Company.Status.REJECTED, "Alasan: NIB tidak valid"),
        (Company.Status.SUSPENDED, "Alasan: NIB tidak valid"),
    ],
)
def test_company_sees_its_status_and_the_reason(status, text, login, owner, company):
    company.status = status
    company.status_note = "NIB tidak valid"
    company.save()
    for url in (reverse("companies:profile"), reverse("home")):
        assert text in login(owner).get(url).content.decode()


# Members


def test_owner_adds_a_colleague_who_sets_a_password_through_the_emailed_link(
    login, owner, company, django_capture_on_commit_callbacks
):
    client = login(owner)
    data = {"name": "Siti Aminah", "email": "siti@sawit.example", "username": "siti"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("companies:member_add"), data)
    assert response.status_code == 302 and response["Location"] == reverse("companies:members")
    siti = User.objects.get(username="siti")
    assert (siti.company, siti.company_role) == (company, User.CompanyRole.EDITOR)
    [message] = mail.outbox
    assert message.to == ["siti@sawit.example"]
    link = re.search(r"http://testserver(/akun/reset/\S+)", message.body).group(1)
    client.logout()
    response = client.get(link, follow=True)
    assert response.status_code == 200
    set_password_url = response.redirect_chain[-1][0]
    response = client.post(
        set_password_url, {"new_password1": "rahasia-baru-2026", "new_password2": "rahasia-baru-2026"}
    )
    assert response.status_code == 302
    siti.refresh_from_db()
    assert siti.check_password("rahasia-baru-2026")


def test_editor_cannot_add_members(login, editor):
    response = login(editor).post(
        reverse("companies:member_add"), {"name": "X", "email": "x@x.example", "username": "x"}
    )
    assert response.status_code == 403
    assert not User.objects.filter(username="x").exists()


def test_member_add_with_a_taken_username_keeps_what_was_typed(login, owner, editor):
    response = login(owner).post(
        reverse("companies:member_add"), {"name": "Siti", "email": "siti@x.example", "username": "Editor"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nama pengguna ini tidak dapat dipakai" in html
    assert 'value="siti@x.example"' in html


def test_editor_sees_members_but_no_management_buttons(login, editor, owner):
    html = login(editor).get(reverse("companies:members")).content.decode()
    assert "pemilik" in html
    assert reverse("companies:member_add") not in html
    assert "/nonaktifkan/" not in html


def test_deactivation_asks_for_confirmation_on_get_and_acts_on_post(login, owner, editor):
    client = login(owner)
    url = reverse("companies:member_deactivate", args=[editor.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "Nonaktifkan" in response.content.decode()
    editor.refresh_from_db()
    assert editor.is_active
    response = client.post(url, follow=True)
    assert "editor tidak dapat masuk lagi." in response.content.decode()
    editor.refresh_from_db()
    assert not editor.is_active


def test_owner_cannot_deactivate_themselves(login, owner):
    response = login(owner).post(reverse("companies:member_deactivate", args=[owner.pk]), follow=True)
    assert "Hanya editor dan petugas lapangan yang dapat dinonaktifkan." in response.content.decode()
    owner.refresh_from_db()
    assert owner.is_active


def test_owner_cannot_reach_another_companys_member(login, owner, other_owner):
    url = reverse("companies:member_deactivate", args=[other_owner.pk])
    assert login(owner).get(url).status_code == 404
    assert login(owner).post(url).status_code == 404
    other_owner.refresh_from_db()
    assert other_owner.is_active


def test_verified_company_sees_its_identifiers_disabled_on_the_edit_page(login, owner):
    html = login(owner).get(reverse("companies:update")).content.decode()
    for name in ("name", "legal_form", "nib", "npwp"):
        assert re.search(rf'name="{name}"[^>]*disabled', html)
    assert not re.search(r'name="sector"[^>]*disabled', html)
    assert "hubungi Dinsos untuk mengubahnya" in html


def test_profile_and_member_pages_query_count_does_not_grow_with_rows(
    login, owner, company, dinsos, django_assert_max_num_queries
):
    client = login(owner)
    with django_assert_max_num_queries(20) as profile:
        assert client.get(reverse("companies:profile")).status_code == 200
    with django_assert_max_num_queries(20) as members:
        assert client.get(reverse("companies:members")).status_code == 200
    for _ in range(5):
        company_suspend(company=company, actor=dinsos, note="Cek")
        company_verify(company=company, actor=dinsos)
    UserFactory.create_batch(
        10, role=User.Role.PERUSAHAAN, company=company, company_role=User.CompanyRole.EDITOR
    )
    with django_assert_max_num_queries(20) as more_events:
        assert client.get(reverse("companies:profile")).status_code == 200
    with django_assert_max_num_queries(20) as more_members:
        response = client.get(reverse("companies:members"))
    assert response.status_code == 200
    assert len(response.context["members"]) >= 11
    assert len(more_events.captured_queries) == len(profile.captured_queries)
    assert len(more_members.captured_queries) == len(members.captured_queries)


def test_owner_adds_a_field_officer_on_the_page(login, owner):
    client = login(owner)
    client.post(
        reverse("companies:member_add"),
        {"name": "Yusuf", "email": "yusuf@x.example", "username": "yusuf", "company_role": "field"},
    )
    assert User.objects.get(username="yusuf").company_role == User.CompanyRole.FIELD
