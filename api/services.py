"""Issuing and revoking API tokens (the admin and ``create_api_token`` call these)."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from api.models import TOKEN_PREFIX_LENGTH, ApiToken, token_digest, token_generate

DEFAULT_DAYS = 90
MAX_DAYS = 730


class ApiTokenError(Exception):
    pass


def api_token_issue(*, user, name: str, days: int = DEFAULT_DAYS, issued_by=None) -> tuple[ApiToken, str]:
    """Create a token for ``user`` valid ``days`` days; returns the row and the token, shown only now."""
    if not 1 <= days <= MAX_DAYS:
        raise ApiTokenError(_("A token is valid for 1 to %(max)s days.") % {"max": MAX_DAYS})
    if not user.is_active:
        raise ApiTokenError(_("The account is inactive."))
    key = token_generate()
    token = ApiToken.objects.create(
        user=user,
        name=name,
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
