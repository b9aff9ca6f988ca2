"""Invitations: single-use links bound to a NIB, the pre-filled registration, and the refusals.

Pages answer in Indonesian (the default language): their refusals are asserted as the company reads them.
"""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from companies.models import Company
from cycle.models import Invitation, ObligatedCompany, RegisterEvent
from cycle.services.invitations import invitation_send
from tests.companies.factories import CompanyFactory
from tests.cycle.factories import ObligatedCompanyFactory

pytestmark = pytest.mark.django_db


def link_of(message) -> str:
    return re.search(r"http://\S+/siklus/undangan/(\S+)/", message.body).group(1)


def registration(**extra) -> dict:
    data = {
        "name": "PT Sawit Undangan",
        "legal_form": "pt",
        "npwp": "012345678901234",
        "sector": "Perkebunan",
        "address": "Jl. Kebun",
        "phone": "0513-61000",
        "email": "kantor@undangan.example",
        "contact_name": "Budi",
        "contact_email": "budi@undangan.example",
        "contact_phone": "",
        "username": "budi_undangan",
        "password1": "sandi-rahasia-2026",
        "password2": "sandi-rahasia-2026",
    }
    return {**data, **extra}


@pytest.fixture
def entry(kahayan_hilir):
    return ObligatedCompanyFactory(
        name="PT Sawit Undangan", kecamatan=kahayan_hilir, email="csr@undangan.example"
    )


def test_invitation_mail_carries_a_single_use_link_and_is_in_the_timeline(entry, dinsos):
    invitation = invitation_send(entry=entry, actor=dinsos, days=14)
    entry.refresh_from_db()
    assert entry.status == ObligatedCompany.Status.INVITED
    assert invitation.state == Invitation.State.SENT
    [message] = mail.outbox
    assert message.to == ["csr@undangan.example"]
    token = link_of(message)
    assert invitation.token_digest != token  # only the digest is stored
    assert entry.events.filter(kind=RegisterEvent.Kind.INVITED, actor=dinsos).exists()


def test_claim_opens_a_prefilled_form_and_registers_joining_the_record(client, entry, dinsos, kahayan_hilir):
    invitation_send(entry=entry, actor=dinsos, days=14)
    url = reverse("cycle:claim", args=[link_of(mail.outbox[0])])
    page = client.get(url)
    assert page.status_code == 200
    assert "Dinsos telah mengundang PT Sawit Undangan dan menyiapkan datanya" in page.content.decode()
    form = page.context["company_form"]
    assert form["name"].value() == "PT Sawit Undangan"
    assert form["nib"].value() == entry.nib
    assert form.fields["nib"].disabled
    response = client.post(url, registration(kecamatan=kahayan_hilir.pk, nib="9999999999999"))
    assert response.status_code == 302
    company = Company.objects.get()
    assert company.nib == entry.nib  # the link's NIB, whatever was posted
    entry.refresh_from_db()
    assert entry.company == company
    assert entry.status == ObligatedCompany.Status.REGISTERED
    assert Invitation.objects.get().state == Invitation.State.USED


def test_form_errors_keep_the_nib_of_the_link_on_the_page(client, entry, dinsos, kahayan_hilir):
    invitation_send(entry=entry, actor=dinsos, days=14)
    url = reverse("cycle:claim", args=[link_of(mail.outbox[0])])
    page = client.post(url, registration(kecamatan=kahayan_hilir.pk, address=""))
    assert page.status_code == 200
    assert page.context["company_form"]["nib"].value() == entry.nib
    assert page.context["company_form"].errors["address"]
    assert not Company.objects.exists()


def test_used_link_shows_a_clear_page_and_creates_no_account(client, entry, dinsos, kahayan_hilir):
    invitation_send(entry=entry, actor=dinsos, days=14)
    url = reverse("cycle:claim", args=[link_of(mail.outbox[0])])
    client.post(url, registration(kecamatan=kahayan_hilir.pk))
    client.logout()
    again = client.post(url, registration(kecamatan=kahayan_hilir.pk, username="lagi"))
    assert again.status_code == 410
    assert again.context["reason"].startswith("Tautan undangan ini sudah dipakai.")
    assert Company.objects.count() == 1


def test_expired_link_is_refused(client, entry, dinsos):
    invitation_send(entry=entry, actor=dinsos, days=1)
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    page = client.get(reverse("cycle:claim", args=[link_of(mail.outbox[0])]))
    assert page.status_code == 410
    assert (
        page.context["reason"] == "Tautan undangan ini sudah kedaluwarsa. Minta undangan baru kepada Dinsos."
    )


def test_link_for_a_nib_already_claimed_is_refused(client, entry, dinsos):
    invitation_send(entry=entry, actor=dinsos, days=14)
    CompanyFactory(nib=entry.nib)
    page = client.get(reverse("cycle:claim", args=[link_of(mail.outbox[0])]))
    assert page.status_code == 410
    assert page.context["reason"].startswith("Perusahaan dengan NIB ini sudah terdaftar di portal.")


def test_unknown_link_is_refused(client, wilayah):
    page = client.get(reverse("cycle:claim", args=["bukan-token-sama-sekali"]))
    assert page.status_code == 410
    assert page.context["reason"].startswith("Tautan undangan ini tidak sah.")


def test_refused_address_is_recorded_and_listed(entry, dinsos, settings, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("550 mailbox unavailable")

    monkeypatch.setattr("cycle.services.invitations.send_mail", refuse)
    invitation = invitation_send(entry=entry, actor=dinsos, days=14)
    assert invitation.state == Invitation.State.FAILED
    assert "550" in invitation.error
    entry.refresh_from_db()
    assert entry.status == ObligatedCompany.Status.UNINVITED
    assert entry.events.filter(kind=RegisterEvent.Kind.INVITE_FAILED).exists()


def test_entries_without_email_are_not_invited(wilayah, dinsos):
    entry = ObligatedCompanyFactory(email="")
    assert invitation_send(entry=entry, actor=dinsos, days=14) is None
    assert not mail.outbox


def test_a_chosen_entry_that_is_no_number_is_left_out(login, dinsos, wilayah):
    chosen = ObligatedCompanyFactory()
    confirm = login(dinsos).post(reverse("cycle:invite"), {"entry": [chosen.pk, "²"]})
    assert confirm.status_code == 200
    assert list(confirm.context["invitable"]) == [chosen]


def test_dinsos_invites_a_selection_after_confirming(login, dinsos, immediate_tasks, wilayah):
    chosen = ObligatedCompanyFactory()
    no_email = ObligatedCompanyFactory(email="")
    ObligatedCompanyFactory()
    client = login(dinsos)
    confirm = client.post(reverse("cycle:invite"), {"entry": [chosen.pk, no_email.pk]})
    assert confirm.status_code == 200
    assert list(confirm.context["invitable"]) == [chosen]
    assert list(confirm.context["no_email"]) == [no_email]
    assert not confirm.context["form"].is_bound  # no error before Dinsos was asked anything
    assert not mail.outbox
    done = client.post(
        reverse("cycle:invite"), {"entry": [chosen.pk, no_email.pk], "days": 30, "confirm": "1"}
    )
    assert done.status_code == 302
    assert [m.to for m in mail.outbox] == [[chosen.email]]


def test_invite_all_uninvited(login, dinsos, immediate_tasks, wilayah):
    ObligatedCompanyFactory.create_batch(3)
    ObligatedCompanyFactory(status=ObligatedCompany.Status.EXEMPT)
    login(dinsos).post(reverse("cycle:invite"), {"all": "uninvited", "days": 30, "confirm": "1"})
    assert len(mail.outbox) == 3
    assert ObligatedCompany.objects.filter(status=ObligatedCompany.Status.INVITED).count() == 3
