"""Invitations: a single-use link bound to one NIB with which a company claims its pre-filled record.

Only the SHA-256 digest of the link's token is stored. A link works once, until it expires, and only while
no company on the portal has the NIB yet; registering through it creates the company and its owner account
exactly like the public registration, and the register entry (joined by NIB) becomes *terdaftar*.
Sending happens at once, outside any transaction, so that a refused address is known and listed.
"""

import datetime
import hashlib
import logging
import secrets

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from companies.models import Company
from companies.services import company_register
from cycle.models import Invitation, ObligatedCompany, RegisterEvent
from cycle.services import CycleError
from tslp_portal.mail import subject_line

logger = logging.getLogger("tslp.mail")

INVITABLE = frozenset({ObligatedCompany.Status.UNINVITED, ObligatedCompany.Status.INVITED})


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_send(*, entry: ObligatedCompany, actor: User | None, days: int) -> Invitation | None:
    """E-mail an invitation to ``entry``; None when it has no address or cannot be invited (listed)."""
    if entry.status not in INVITABLE or not entry.email:
        return None
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        entry=entry,
        token_digest=token_digest(token),
        email=entry.email,
        expires_at=timezone.now() + datetime.timedelta(days=days),
        created_by=actor,
    )
    link = settings.TSLP_SITE_URL + reverse("cycle:claim", args=[token])
    try:
        with translation.override(settings.LANGUAGE_CODE):
            context = {"entry": entry, "link": link, "expires_at": invitation.expires_at}
            subject = _("Invitation to report your TSLP on the Pulang Pisau TSLP Portal")
            body = render_to_string("cycle/email/invitation.txt", context)
        send_mail(subject_line(subject), body, settings.DEFAULT_FROM_EMAIL, [entry.email])
    except Exception as exc:  # the mail server refused the address: Dinsos sees it in the list
        logger.warning("invitation not sent", extra={"event": "invitation_failed", "entry": entry.pk})
        invitation.state = Invitation.State.FAILED
        invitation.error = str(exc)[:500]
        invitation.save(update_fields=["state", "error"])
        RegisterEvent.objects.create(
            entry=entry, kind=RegisterEvent.Kind.INVITE_FAILED, actor=actor, note=invitation.error
        )
        return invitation
    with transaction.atomic():
        ObligatedCompany.objects.filter(pk=entry.pk, status=ObligatedCompany.Status.UNINVITED).update(
            status=ObligatedCompany.Status.INVITED, updated_at=timezone.now()
        )
        with translation.override(settings.LANGUAGE_CODE):
            note = _("To %(email)s, valid until %(date)s") % {
                "email": entry.email,
                "date": timezone.localdate(invitation.expires_at).strftime("%d-%m-%Y"),
            }
        RegisterEvent.objects.create(entry=entry, kind=RegisterEvent.Kind.INVITED, actor=actor, note=note)
    return invitation


def invitation_failed(*, invitation: Invitation, actor: User, reason: str) -> Invitation:
    """Record that an invitation bounced (Dinsos learnt it from the returned mail)."""
    invitation.state = Invitation.State.FAILED
    invitation.error = reason
    invitation.save(update_fields=["state", "error"])
    RegisterEvent.objects.create(
        entry=invitation.entry, kind=RegisterEvent.Kind.INVITE_FAILED, actor=actor, note=reason
    )
    return invitation


def invitation_for_token(token: str) -> Invitation:
    """The invitation a link opens, or ``CycleError`` saying plainly why it cannot be used."""
    invitation = (
        Invitation.objects.select_related("entry", "entry__kecamatan")
        .filter(token_digest=token_digest(token))
        .first()
    )
    if invitation is None:
        raise CycleError(
            _(
                "This invitation link is not valid. Check that it was copied whole, or ask Dinsos for a new one."
            )
        )
    if invitation.state == Invitation.State.USED:
        raise CycleError(
            _("This invitation link has already been used. Log in with the account created with it.")
        )
    if invitation.expires_at < timezone.now():
        raise CycleError(_("This invitation link has expired. Ask Dinsos for a new invitation."))
    entry = invitation.entry
    if entry.company_id is not None or Company.objects.filter(nib=entry.nib).exists():
        raise CycleError(
            _(
                "A company with this NIB is already registered on the portal. Log in with its account, or contact Dinsos."
            )
        )
    if entry.status == ObligatedCompany.Status.EXEMPT:
        raise CycleError(_("This company is exempted from reporting; the invitation no longer applies."))
    return invitation


@transaction.atomic
def invitation_claim(*, token: str, company_data: dict, account_data: dict, site_url: str) -> User:
    """Register the invited company (its NIB fixed by the link) and its owner; the link is then used."""
    invitation = invitation_for_token(token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.state == Invitation.State.USED:
        raise CycleError(
            _("This invitation link has already been used. Log in with the account created with it.")
        )
    user = company_register(
        **{**company_data, "nib": invitation.entry.nib}, **account_data, site_url=site_url
    )
    invitation.state = Invitation.State.USED
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["state", "used_at"])
    Invitation.objects.filter(entry=invitation.entry, state=Invitation.State.SENT).exclude(
        pk=invitation.pk
    ).update(state=Invitation.State.USED, used_at=invitation.used_at)
    return user
