"""The one place that decides what a user may see.

The models scoped by area or company (``Program``, ``Beneficiary``, ``Company``, ``Household``) have
``visible_to(user)`` on their QuerySets, built on :func:`scope_of`; views fetch single objects with
:func:`get_visible_or_404` (404 outside one's scope) and refuse changes with
:class:`django.core.exceptions.PermissionDenied` (403 for seen-but-not-allowed). See docs/architecture.md,
"Who sees what".
"""

from dataclasses import dataclass
from enum import Enum

from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from tslp_portal.privacy import mask_identity


class PersonalData(Enum):
    """How much personal data (NIK, No. KK, names with addresses) a role may see."""

    NONE = "none"
    MASKED = "masked"
    FULL = "full"


@dataclass(frozen=True)
class Scope:
    authenticated: bool = False
    whole_regency: bool = False
    kecamatan_id: int | None = None
    company_id: int | None = None
    personal_data: PersonalData = PersonalData.NONE

    @property
    def sees_dashboards(self) -> bool:
        """Dashboards are for roles with an area and no company: Dinsos and pimpinan the whole regency, a
        camat its kecamatan. This is the one rule; the navigation, the pages and the API all ask it."""
        return self.company_id is None and (self.whole_regency or self.kecamatan_id is not None)

    def kecamatan_q(self, path: str) -> Q:
        """A filter keeping rows whose kecamatan (reached by ``path``) is in this scope."""
        if self.whole_regency:
            return Q()
        if self.kecamatan_id is not None:
            return Q(**{path: self.kecamatan_id})
        return Q(pk__in=[])

    def company_q(self, path: str) -> Q:
        if self.company_id is not None:
            return Q(**{path: self.company_id})
        return Q(pk__in=[])


ANONYMOUS = Scope()


def scope_of(user) -> Scope:
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    if user.is_dinsos:
        return Scope(authenticated=True, whole_regency=True, personal_data=PersonalData.FULL)
    if user.is_pimpinan:
        return Scope(authenticated=True, whole_regency=True, personal_data=PersonalData.NONE)
    if user.is_camat:
        return Scope(authenticated=True, kecamatan_id=user.kecamatan_id, personal_data=PersonalData.MASKED)
    if user.is_company_member:
        # A company sees its beneficiaries only while verified: suspending it (or rejecting it) takes
        # the lists away at once, on every page and download that asks this scope.
        verified = user.company.status == "verified"
        return Scope(
            authenticated=True,
            company_id=user.company_id,
            personal_data=PersonalData.MASKED if verified else PersonalData.NONE,
        )
    return Scope(authenticated=True)


def filter_by_kecamatan(queryset: QuerySet, user, path: str) -> QuerySet:
    """Keep the rows of ``queryset`` whose kecamatan (via ``path``) the user may see."""
    return queryset.filter(scope_of(user).kecamatan_q(path))


def get_visible_or_404(queryset: QuerySet | type[Model], user, **lookup) -> Model:
    """Fetch one object the user may see, or raise 404 (never revealing that it exists)."""
    if isinstance(queryset, type):
        queryset = queryset._default_manager.all()
    try:
        return queryset.visible_to(user).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404(_("Not found.")) from None


def identity_for(user, value: str | None) -> str:
    """A NIK or No. KK as ``user`` may see it: whole for Dinsos, masked for roles with masked access."""
    level = scope_of(user).personal_data
    if level is PersonalData.FULL:
        return value or ""
    if level is PersonalData.MASKED:
        return mask_identity(value)
    return ""
