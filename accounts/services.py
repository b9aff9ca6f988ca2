from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User

if TYPE_CHECKING:  # upward imports for type hints only (docs/architecture.md, "Layers")
    from companies.models import Company
    from poverty_data.models import Kecamatan


class AccountError(Exception):
    """An account could not be created or changed; the message is for the user."""


@transaction.atomic
def account_create(
    *,
    username: str,
    role: str,
    password: str,
    email: str = "",
    first_name: str = "",
    kecamatan: Kecamatan | None = None,
    company: Company | None = None,
    company_role: str = User.CompanyRole.OWNER,
) -> User:
    """Create an account of ``role`` with its scope, checking what each role requires."""
    if role not in User.Role.values:
        raise AccountError(_("Unknown role %(role)s.") % {"role": role})
    if role == User.Role.CAMAT and kecamatan is None:
        raise AccountError(_("A camat account needs its kecamatan."))
    if role == User.Role.PERUSAHAAN and company is None:
        raise AccountError(_("A company account needs its company."))
    if User.objects.filter(username__iexact=username).exists():
        raise AccountError(_("The username %(username)s is already taken.") % {"username": username})
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        role=role,
        kecamatan=kecamatan if role == User.Role.CAMAT else None,
        company=company if role == User.Role.PERUSAHAAN else None,
        company_role=company_role if role == User.Role.PERUSAHAAN else "",
        is_staff=role == User.Role.DINSOS,
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise AccountError(" ".join(exc.messages)) from exc
    user.set_password(password)
    user.save()
    return user
