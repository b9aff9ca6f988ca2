"""What changes companies: registration, verification decisions, profile and members.

Every status change happens here, inside a transaction, is recorded as a :class:`CompanyEvent`, and
queues its e-mail for after the commit so nobody is told about something that was rolled back.
"""

import secrets

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.services import AccountError, account_create
from companies.models import Company, CompanyEvent
from poverty_data.models import Kecamatan
from tslp_portal.mail import mail_after_commit

# The company may edit these while Dinsos has not verified it; afterwards they identify it and only
# Dinsos changes them.
IDENTITY_FIELDS = ("name", "legal_form", "nib", "npwp")
PROFILE_FIELDS = (*IDENTITY_FIELDS, "sector", "address", "kecamatan", "phone", "email")

# Which states each Dinsos decision may start from. Verifying again reconsiders a rejected company (after it
# corrected its profile) or reinstates a suspended one.
VERIFY_FROM = frozenset({Company.Status.PENDING, Company.Status.REJECTED, Company.Status.SUSPENDED})
REJECT_FROM = frozenset({Company.Status.PENDING})
SUSPEND_FROM = frozenset({Company.Status.VERIFIED})


class CompanyError(Exception):
    """A company change is not allowed; the message is for the user."""


def dinsos_recipients() -> list[str]:
    """Who hears of what Dinsos must act on (every app's mail): the configured Dinsos addresses, then every
    active Dinsos account's e-mail, each once."""
    addresses = list(settings.TSLP_DINSOS_EMAILS)
    addresses += (
        User.objects.filter(role=User.Role.DINSOS, is_active=True)
        .exclude(email="")
        .order_by("pk")
        .values_list("email", flat=True)
    )
    return list(dict.fromkeys(a for a in addresses if a))


def company_recipients(company: Company) -> list[str]:
    """Who hears of a company's affairs and its programs': the company's address, then its active members'."""
    addresses = [company.email]
    addresses += (
        company.members.filter(is_active=True)
        .exclude(email="")
        .order_by("pk")
        .values_list("email", flat=True)
    )
    return list(dict.fromkeys(a for a in addresses if a))


def _locked(company: Company) -> Company:
    return Company.objects.select_for_update().get(pk=company.pk)


def _record(*, company: Company, actor: User | None, from_status: str, note: str = "") -> CompanyEvent:
    return CompanyEvent.objects.create(
        company=company, actor=actor, from_status=from_status, to_status=company.status, note=note
    )


@transaction.atomic
def company_register(
    *,
    name: str,
    legal_form: str,
    nib: str,
    npwp: str,
    sector: str,
    address: str,
    kecamatan: Kecamatan,
    phone: str,
    email: str,
    contact_name: str,
    username: str,
    contact_email: str,
    contact_phone: str,
    password: str,
    site_url: str = "",
) -> User:
    """Register a company awaiting verification and its contact person as owner; tell Dinsos."""
    duplicate = _("This NIB is already registered. If it is your company, contact Dinsos.")
    if Company.objects.filter(nib=nib).exists():
        raise CompanyError(duplicate)
    try:
        # A savepoint, so that losing a race to register the same NIB reads as the same refusal.
        with transaction.atomic():
            company = Company.objects.create(
                name=name,
                legal_form=legal_form,
                nib=nib,
                npwp=npwp,
                sector=sector,
                address=address,
                kecamatan=kecamatan,
                phone=phone,
                email=email,
                status=Company.Status.PENDING,
            )
    except IntegrityError as exc:
        raise CompanyError(duplicate) from exc
    try:
        user = account_create(
            username=username,
            role=User.Role.PERUSAHAAN,
            password=password,
            email=contact_email,
            first_name=contact_name,
            company=company,
            company_role=User.CompanyRole.OWNER,
        )
    except AccountError as exc:
        raise CompanyError(str(exc)) from exc
    if contact_phone:
        user.phone = contact_phone
        user.save(update_fields=["phone"])
    _record(company=company, actor=user, from_status="")
    mail_after_commit(
        body_template="companies/email/registered_dinsos.txt",
        subject=gettext_lazy("New company registration: %(name)s"),
        subject_params={"name": company.name},
        recipients=dinsos_recipients(),
        context={
            "company": company,
            "contact": user,
            "admin_url": site_url.rstrip("/") + reverse("admin:companies_company_change", args=[company.pk]),
        },
    )
    return user


@transaction.atomic
def company_update(*, company: Company, actor: User, data: dict) -> Company:
    """Save the profile fields a member may change; identity fields are locked once verified."""
    company = _locked(company)
    if not (actor.is_company_member and actor.company_id == company.pk):
        raise CompanyError(_("Only members of the company can edit its profile."))
    allowed = PROFILE_FIELDS
    if company.identity_locked:
        allowed = tuple(f for f in PROFILE_FIELDS if f not in IDENTITY_FIELDS)
    duplicate = _("This NIB is already registered. If it is your company, contact Dinsos.")
    if "nib" in allowed and Company.objects.filter(nib=data.get("nib")).exclude(pk=company.pk).exists():
        raise CompanyError(duplicate)
    changed = [field for field in allowed if field in data and getattr(company, field) != data[field]]
    for field in changed:
        setattr(company, field, data[field])
    if changed:
        try:
            with transaction.atomic():
                company.save(update_fields=[*changed, "updated_at"])
        except IntegrityError as exc:
            raise CompanyError(duplicate) from exc
    return company


def _decide(
    *,
    company: Company,
    actor: User,
    to_status: str,
    allowed_from: frozenset[str],
    note: str,
    note_required: bool,
    refusal: str,
    template: str,
    subject: str,
) -> Company:
    if not actor.is_dinsos:
        raise CompanyError(_("Only Dinsos can decide on a company's verification."))
    note = (note or "").strip()
    if note_required and not note:
        raise CompanyError(_("A reason is required."))
    company = _locked(company)
    if company.status not in allowed_from:
        raise CompanyError(
            refusal % {"name": company.name, "status": company.get_status_display()},
        )
    from_status = company.status
    company.status = to_status
    company.status_note = note
    company.verified_by = actor
    company.verified_at = timezone.now()
    company.save(update_fields=["status", "status_note", "verified_by", "verified_at", "updated_at"])
    _record(company=company, actor=actor, from_status=from_status, note=note)
    mail_after_commit(
        body_template=template,
        subject=subject,
        subject_params={"name": company.name},
        recipients=company_recipients(company),
        context={
            "company": company,
            "note": note,
            "portal_url": settings.TSLP_SITE_URL + reverse("programs:create"),
        },
    )
    return company


@transaction.atomic
def company_verify(*, company: Company, actor: User, note: str = "") -> Company:
    """Verify a pending company, reconsider a rejected one, or reinstate a suspended one."""
    return _decide(
        company=company,
        actor=actor,
        to_status=Company.Status.VERIFIED,
        allowed_from=VERIFY_FROM,
        note=note,
        note_required=False,
        refusal=_("%(name)s cannot be verified: it is already %(status)s."),
        template="companies/email/verified.txt",
        subject=gettext_lazy("Your company %(name)s is verified"),
    )


@transaction.atomic
def company_reject(*, company: Company, actor: User, note: str) -> Company:
    """Reject a company awaiting verification, with the reason it is told."""
    return _decide(
        company=company,
        actor=actor,
        to_status=Company.Status.REJECTED,
        allowed_from=REJECT_FROM,
        note=note,
        note_required=True,
        refusal=_(
            "%(name)s cannot be rejected: only a company awaiting verification can (it is %(status)s)."
        ),
        template="companies/email/rejected.txt",
        subject=gettext_lazy("Registration of %(name)s rejected"),
    )


@transaction.atomic
def company_suspend(*, company: Company, actor: User, note: str) -> Company:
    """Suspend a verified company, with the reason it is told; it can no longer submit programs."""
    return _decide(
        company=company,
        actor=actor,
        to_status=Company.Status.SUSPENDED,
        allowed_from=SUSPEND_FROM,
        note=note,
        note_required=True,
        refusal=_("%(name)s cannot be suspended: only a verified company can (it is %(status)s)."),
        template="companies/email/suspended.txt",
        subject=gettext_lazy("Your company %(name)s is suspended"),
    )


@transaction.atomic
def company_member_add(
    *,
    company: Company,
    actor: User,
    username: str,
    name: str,
    email: str,
    site_url: str,
    company_role: str = User.CompanyRole.EDITOR,
) -> User:
    """Add an editor or a field officer to the company and e-mail them a link to choose their password."""
    if company_role not in (User.CompanyRole.EDITOR, User.CompanyRole.FIELD):
        raise CompanyError(_("A new member is an editor or a field officer."))
    if not (actor.is_company_owner and actor.company_id == company.pk):
        raise CompanyError(_("Only the company's owner can add members."))
    try:
        user = account_create(
            username=username,
            role=User.Role.PERUSAHAAN,
            # Never used: replaced by an unusable password until the editor sets their own.
            password=secrets.token_urlsafe(32),
            email=email,
            first_name=name,
            company=company,
            company_role=company_role,
        )
    except AccountError as exc:
        raise CompanyError(str(exc)) from exc
    user.set_unusable_password()
    user.save(update_fields=["password"])
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    mail_after_commit(
        body_template="companies/email/member_added.txt",
        subject=gettext_lazy("Your TSLP Portal account for %(name)s"),
        subject_params={"name": company.name},
        recipients=[email],
        context={
            "company": company,
            "member": user,
            "inviter": actor,
            "link": site_url.rstrip("/") + path,
        },
    )
    return user


@transaction.atomic
def company_member_deactivate(*, company: Company, actor: User, member: User) -> User:
    """Deactivate an editor of the company: they can no longer log in."""
    if not (actor.is_company_owner and actor.company_id == company.pk):
        raise CompanyError(_("Only the company's owner can manage members."))
    member = User.objects.select_for_update().get(pk=member.pk)
    if member.company_id != company.pk:
        raise CompanyError(_("This account is not a member of your company."))
    if member.company_role not in (User.CompanyRole.EDITOR, User.CompanyRole.FIELD):
        raise CompanyError(_("Only editors and field officers can be deactivated."))
    if not member.is_active:
        raise CompanyError(_("%(name)s is already deactivated.") % {"name": member.username})
    member.is_active = False
    member.save(update_fields=["is_active"])
    return member
