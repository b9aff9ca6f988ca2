import pytest
from django.core import mail
from django.test import override_settings

from accounts.models import User
from companies.models import Company, CompanyEvent
from companies.services import (
    CompanyError,
    company_member_add,
    company_member_deactivate,
    company_register,
    company_reject,
    company_suspend,
    company_update,
    company_verify,
)
from tests.accounts.factories import PASSWORD, UserFactory
from tests.companies.factories import CompanyFactory

pytestmark = pytest.mark.django_db


def registration(kecamatan, **overrides):
    data = {
        "name": "PT Hutan Lestari Kahayan",
        "legal_form": Company.LegalForm.PT,
        "nib": "1234567890123",
        "npwp": "012345678901000",
        "sector": "Kehutanan",
        "address": "Jl. Tjilik Riwut Km 3",
        "kecamatan": kecamatan,
        "phone": "0513-61234",
        "email": "csr@hutanlestari.example",
        "contact_name": "Budi Santoso",
        "username": "budi",
        "contact_email": "budi@hutanlestari.example",
        "contact_phone": "0812 3456 7890",
        "password": PASSWORD,
        "site_url": "https://tslp.example/",
    }
    return {**data, **overrides}


@pytest.fixture
def pending(kahayan_hilir):
    return CompanyFactory(status=Company.Status.PENDING, kecamatan=kahayan_hilir)


# Registration


@override_settings(TSLP_DINSOS_EMAILS=["sekretariat@dinsos.example"])
def test_company_register_creates_pending_company_and_its_owner(
    kahayan_hilir, dinsos, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = company_register(**registration(kahayan_hilir))
    company = user.company
    assert company.status == Company.Status.PENDING
    assert not company.can_submit_programs
    assert user.role == User.Role.PERUSAHAAN
    assert user.company_role == User.CompanyRole.OWNER
    assert user.is_company_owner
    assert user.check_password(PASSWORD)
    assert user.phone == "0812 3456 7890"
    event = company.events.get()
    assert (event.from_status, event.to_status, event.actor) == ("", Company.Status.PENDING, user)


@override_settings(TSLP_DINSOS_EMAILS=["sekretariat@dinsos.example"])
def test_company_register_emails_dinsos_after_commit(
    kahayan_hilir, dinsos, django_capture_on_commit_callbacks
):
    inactive = UserFactory(username="dinsos_lama", role=User.Role.DINSOS, is_active=False)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        company_register(**registration(kahayan_hilir))
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    [message] = mail.outbox
    assert sorted(message.to) == ["dinsos@example.org", "sekretariat@dinsos.example"]
    assert inactive.email not in message.to
    assert message.subject == "Pendaftaran perusahaan baru: PT Hutan Lestari Kahayan"
    assert "1234567890123" in message.body
    assert "Budi Santoso" in message.body
    assert "https://tslp.example/admin/companies/company/" in message.body


def test_company_register_refuses_a_duplicate_nib_and_creates_nothing(kahayan_hilir, company):
    users_before = User.objects.count()
    with pytest.raises(CompanyError, match="NIB ini sudah terdaftar"):
        company_register(**registration(kahayan_hilir, nib=company.nib))
    assert Company.objects.count() == 1
    assert User.objects.count() == users_before


def test_company_register_rolls_back_the_company_when_the_account_fails(kahayan_hilir, owner):
    with pytest.raises(CompanyError, match="Nama pengguna PEMILIK sudah dipakai"):
        company_register(**registration(kahayan_hilir, username=owner.username.upper()))
    assert not Company.objects.filter(nib="1234567890123").exists()
    assert not CompanyEvent.objects.exists()


def test_company_register_refuses_a_weak_password(kahayan_hilir):
    with pytest.raises(CompanyError, match="Kata sandi ini terlalu umum"):
        company_register(**registration(kahayan_hilir, password="12345678"))
    assert not Company.objects.filter(nib="1234567890123").exists()


# Verification decisions: every legal and illegal transition

LEGAL = [
    (company_verify, Company.Status.PENDING, Company.Status.VERIFIED),
    (company_verify, Company.Status.REJECTED, Company.Status.VERIFIED),
    (company_verify, Company.Status.SUSPENDED, Company.Status.VERIFIED),
    (company_reject, Company.Status.PENDING, Company.Status.REJECTED),
    (company_suspend, Company.Status.VERIFIED, Company.Status.SUSPENDED),
]
ILLEGAL = [
    (company_verify, Company.Status.VERIFIED),
    (company_reject, Company.Status.VERIFIED),
    (company_reject, Company.Status.REJECTED),
    (company_reject, Company.Status.SUSPENDED),
    (company_suspend, Company.Status.PENDING),
    (company_suspend, Company.Status.REJECTED),
    (company_suspend, Company.Status.SUSPENDED),
]


@pytest.mark.parametrize(("service", "from_status", "to_status"), LEGAL)
def test_dinsos_decision_changes_status_records_who_when_and_event(
    service, from_status, to_status, kahayan_hilir, dinsos, django_capture_on_commit_callbacks
):
    company = CompanyFactory(status=from_status, kecamatan=kahayan_hilir)
    with django_capture_on_commit_callbacks(execute=True):
        service(company=company, actor=dinsos, note="Dokumen NIB sudah dicek")
    company.refresh_from_db()
    assert company.status == to_status
    assert company.verified_by == dinsos
    assert company.verified_at is not None
    assert company.status_note == "Dokumen NIB sudah dicek"
    event = company.events.get()
    assert (event.actor, event.from_status, event.to_status) == (dinsos, from_status, to_status)
    assert event.note == "Dokumen NIB sudah dicek"
    assert len(mail.outbox) == 1
    assert company.email in mail.outbox[0].to


@pytest.mark.parametrize(("service", "from_status"), ILLEGAL)
def test_illegal_decision_fails_with_a_clear_message_and_changes_nothing(
    service, from_status, kahayan_hilir, dinsos, django_capture_on_commit_callbacks
):
    company = CompanyFactory(status=from_status, kecamatan=kahayan_hilir)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(CompanyError, match=r"tidak dapat (diverifikasi|ditolak|dibekukan): ") as error,
    ):
        service(company=company, actor=dinsos, note="alasan")
    assert company.name in str(error.value)
    company.refresh_from_db()
    assert company.status == from_status
    assert company.verified_by is None
    assert not company.events.exists()
    assert mail.outbox == []


def test_decision_on_a_stale_object_checks_the_state_in_the_database(pending, dinsos):
    stale = Company.objects.get(pk=pending.pk)
    company_reject(company=pending, actor=dinsos, note="Data tidak lengkap")
    assert stale.status == Company.Status.PENDING
    with pytest.raises(CompanyError, match="tidak dapat ditolak"):
        company_reject(company=stale, actor=dinsos, note="lagi")
    assert pending.events.count() == 1


@pytest.mark.parametrize("service", [company_reject, company_suspend])
@pytest.mark.parametrize("note", ["", "   "])
def test_reject_and_suspend_require_a_reason(service, note, kahayan_hilir, dinsos):
    company = CompanyFactory(
        status=Company.Status.PENDING if service is company_reject else Company.Status.VERIFIED,
        kecamatan=kahayan_hilir,
    )
    with pytest.raises(CompanyError, match="Alasan wajib diisi"):
        service(company=company, actor=dinsos, note=note)
    assert not company.events.exists()


@pytest.mark.parametrize("persona", ["owner", "camat", "pimpinan"])
def test_only_dinsos_decides_on_verification(persona, personas, pending):
    with pytest.raises(CompanyError, match="Hanya Dinsos yang dapat memutuskan"):
        company_verify(company=pending, actor=personas[persona])
    pending.refresh_from_db()
    assert pending.status == Company.Status.PENDING


def test_verification_email_is_indonesian_and_sent_to_company_and_members(
    pending, dinsos, django_capture_on_commit_callbacks
):
    member = UserFactory(
        username="staf", role=User.Role.PERUSAHAAN, company=pending, company_role=User.CompanyRole.EDITOR
    )
    with django_capture_on_commit_callbacks(execute=True):
        company_verify(company=pending, actor=dinsos)
    [message] = mail.outbox
    assert set(message.to) == {pending.email, member.email}
    assert message.subject == f"Perusahaan Anda {pending.name} telah diverifikasi"
    assert "mengajukan program" in message.body


def test_rejection_email_gives_the_reason(pending, dinsos, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        company_reject(company=pending, actor=dinsos, note="NIB tidak ditemukan di OSS")
    [message] = mail.outbox
    assert "ditolak" in message.subject
    assert "Alasan: NIB tidak ditemukan di OSS" in message.body


def test_suspension_email_gives_the_reason(company, dinsos, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        company_suspend(company=company, actor=dinsos, note="Laporan realisasi tidak disampaikan")
    [message] = mail.outbox
    assert "dibekukan" in message.subject
    assert "Laporan realisasi tidak disampaikan" in message.body
    company.refresh_from_db()
    assert not company.can_submit_programs


def test_a_failed_transaction_sends_no_email(pending, dinsos, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                company_verify(company=pending, actor=dinsos)
                raise RuntimeError("boom")
        except RuntimeError:
            pass
    assert callbacks == []
    assert mail.outbox == []
    pending.refresh_from_db()
    assert pending.status == Company.Status.PENDING


def test_only_a_verified_company_can_submit_programs(kahayan_hilir):
    for status in Company.Status:
        company = CompanyFactory(status=status, kecamatan=kahayan_hilir)
        assert company.can_submit_programs is (status == Company.Status.VERIFIED)


# Profile


def test_member_updates_profile_of_a_pending_company_including_identifiers(pending, kahayan_hilir):
    owner = UserFactory(role=User.Role.PERUSAHAAN, company=pending, company_role=User.CompanyRole.OWNER)
    company_update(company=pending, actor=owner, data={"name": "PT Baru", "nib": "5555555555555"})
    pending.refresh_from_db()
    assert (pending.name, pending.nib) == ("PT Baru", "5555555555555")


def test_verified_company_cannot_change_its_identifiers(company, editor):
    nib = company.nib
    company_update(company=company, actor=editor, data={"nib": "5555555555555", "sector": "Perbankan"})
    company.refresh_from_db()
    assert company.nib == nib
    assert company.sector == "Perbankan"


@pytest.mark.parametrize(
    ("status", "locked"),
    [
        (Company.Status.PENDING, False),
        (Company.Status.REJECTED, False),
        (Company.Status.VERIFIED, True),
        (Company.Status.SUSPENDED, True),
    ],
)
def test_identifiers_are_locked_once_verified_even_when_suspended(status, locked, kahayan_hilir):
    company = CompanyFactory(status=status, kecamatan=kahayan_hilir)
    owner = UserFactory(role=User.Role.PERUSAHAAN, company=company, company_role=User.CompanyRole.OWNER)
    company_update(company=company, actor=owner, data={"npwp": "999999999999999"})
    company.refresh_from_db()
    assert company.identity_locked is locked
    assert (company.npwp == "999999999999999") is not locked


def test_update_refuses_other_companies_members(company, other_owner):
    with pytest.raises(CompanyError, match="Hanya anggota perusahaan"):
        company_update(company=company, actor=other_owner, data={"sector": "x"})


def test_update_refuses_a_nib_of_another_company(pending, other_company):
    owner = UserFactory(role=User.Role.PERUSAHAAN, company=pending, company_role=User.CompanyRole.OWNER)
    with pytest.raises(CompanyError, match="NIB ini sudah terdaftar"):
        company_update(company=pending, actor=owner, data={"nib": other_company.nib})


# Members


def test_owner_adds_an_editor_who_gets_a_link_to_choose_a_password(
    company, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        member = company_member_add(
            company=company,
            actor=owner,
            username="siti",
            name="Siti Aminah",
            email="siti@sawit.example",
            site_url="https://tslp.example/",
        )
    assert member.company == company
    assert member.company_role == User.CompanyRole.EDITOR
    assert member.role == User.Role.PERUSAHAAN
    assert not member.has_usable_password()
    [message] = mail.outbox
    assert message.to == ["siti@sawit.example"]
    assert "siti" in message.body
    assert "https://tslp.example/akun/reset/" in message.body


def test_editor_cannot_add_members(company, editor):
    with pytest.raises(CompanyError, match="Hanya pemilik akun perusahaan yang dapat menambah"):
        company_member_add(
            company=company, actor=editor, username="x", name="X", email="x@x.example", site_url=""
        )
    assert not User.objects.filter(username="x").exists()


def test_owner_cannot_add_members_to_another_company(other_company, owner):
    with pytest.raises(CompanyError, match="Hanya pemilik akun perusahaan yang dapat menambah"):
        company_member_add(
            company=other_company, actor=owner, username="x", name="X", email="x@x.example", site_url=""
        )


def test_adding_a_taken_username_fails(company, owner, editor):
    with pytest.raises(CompanyError, match="Nama pengguna EDITOR sudah dipakai"):
        company_member_add(
            company=company, actor=owner, username="EDITOR", name="X", email="x@x.example", site_url=""
        )


def test_owner_deactivates_an_editor(company, owner, editor):
    company_member_deactivate(company=company, actor=owner, member=editor)
    editor.refresh_from_db()
    assert not editor.is_active


def test_deactivating_twice_fails(company, owner, editor):
    company_member_deactivate(company=company, actor=owner, member=editor)
    with pytest.raises(CompanyError, match="sudah dinonaktifkan"):
        company_member_deactivate(company=company, actor=owner, member=editor)


def test_owner_cannot_be_deactivated(company, owner):
    with pytest.raises(CompanyError, match="Hanya editor dan petugas lapangan yang dapat dinonaktifkan"):
        company_member_deactivate(company=company, actor=owner, member=owner)
    owner.refresh_from_db()
    assert owner.is_active


def test_editor_cannot_deactivate_anyone(company, owner, editor):
    colleague = UserFactory(role=User.Role.PERUSAHAAN, company=company, company_role=User.CompanyRole.EDITOR)
    with pytest.raises(CompanyError, match="Hanya pemilik akun perusahaan yang dapat mengelola"):
        company_member_deactivate(company=company, actor=editor, member=colleague)
    colleague.refresh_from_db()
    assert colleague.is_active


def test_owner_cannot_deactivate_another_companys_member(company, owner, other_company):
    stranger = UserFactory(
        role=User.Role.PERUSAHAAN, company=other_company, company_role=User.CompanyRole.EDITOR
    )
    with pytest.raises(CompanyError, match="bukan anggota perusahaan Anda"):
        company_member_deactivate(company=company, actor=owner, member=stranger)
    stranger.refresh_from_db()
    assert stranger.is_active


def test_verification_email_links_to_the_program_form_on_the_portal(
    pending, dinsos, settings, django_capture_on_commit_callbacks
):
    settings.TSLP_SITE_URL = "https://tslp.example.go.id"
    with django_capture_on_commit_callbacks(execute=True):
        company_verify(company=pending, actor=dinsos)
    [message] = mail.outbox
    assert "https://tslp.example.go.id/program/baru/" in message.body


def test_owner_adds_a_field_officer_and_may_deactivate_them(company, owner):
    member = company_member_add(
        company=company,
        actor=owner,
        username="petugas_desa",
        name="Yusuf",
        email="yusuf@sawit.example",
        site_url="",
        company_role=User.CompanyRole.FIELD,
    )
    assert member.is_field_officer
    company_member_deactivate(company=company, actor=owner, member=member)
    member.refresh_from_db()
    assert not member.is_active


def test_a_new_member_cannot_be_made_owner(company, owner):
    with pytest.raises(CompanyError, match="editor atau petugas lapangan"):
        company_member_add(
            company=company,
            actor=owner,
            username="x",
            name="X",
            email="x@x.example",
            site_url="",
            company_role=User.CompanyRole.OWNER,
        )
