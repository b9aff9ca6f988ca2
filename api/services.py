"""Issuing and revoking API tokens (the admin and ``create_api_token`` call these).

A token holds named scopes (``tslp_portal.api.TokenScope``) and always expires. A token that reads households
(personal data) is issued only to an account with a confirmed second factor, for at most
``PERSONAL_DATA_MAX_DAYS``: the token itself skips the second factor at each use.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.two_factor import has_second_factor
from api.models import TOKEN_PREFIX_LENGTH, ApiToken, token_digest, token_generate
from tslp_portal.api import TokenScope

DEFAULT_DAYS = 90
MAX_DAYS = 730
PERSONAL_DATA_MAX_DAYS = 90


class ApiTokenError(Exception):
    pass


def api_token_check(*, user, scopes: list[str], days: int) -> None:
    """Raise ``ApiTokenError`` (message for the user) when ``user`` may not get such a token."""
    if not scopes:
        raise ApiTokenError(_("Choose at least one scope."))
    unknown = sorted(set(scopes) - set(TokenScope.values))
    if unknown:
        raise ApiTokenError(_("Unknown scope %(scope)s.") % {"scope": ", ".join(unknown)})
    if not 1 <= days <= MAX_DAYS:
        raise ApiTokenError(_("A token is valid for 1 to %(max)s days.") % {"max": MAX_DAYS})
    if not user.is_active:
        raise ApiTokenError(_("The account is inactive."))
    if user.is_field_officer:
        raise ApiTokenError(_("A field officer uses the field app only; no API token is issued."))
    if TokenScope.HOUSEHOLDS in scopes:
        if not has_second_factor(user):
            raise ApiTokenError(
                _(
                    "A token that reads households is only for accounts that use the second sign-in step: "
                    "%(user)s has not set up an authenticator."
                )
                % {"user": user.username}
            )
        if days > PERSONAL_DATA_MAX_DAYS:
            raise ApiTokenError(
                _("A token that reads households is valid for at most %(max)s days.")
                % {"max": PERSONAL_DATA_MAX_DAYS}
            )


def api_token_issue(*, user, name: str, scopes: list[str], days: int, issued_by=None) -> tuple[ApiToken, str]:
    """Create a token for ``user`` with ``scopes``, valid ``days`` days; returns the row and the token,
    shown only now."""
    scopes = list(dict.fromkeys(str(scope) for scope in scopes))
    api_token_check(user=user, scopes=scopes, days=days)
    key = token_generate()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        scopes=scopes,
        prefix=key[:TOKEN_PREFIX_LENGTH],
        digest=token_digest(key),
        expires_at=timezone.now() + datetime.timedelta(days=days),
        created_by=issued_by,
    )
    return token, key


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
