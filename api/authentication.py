"""``Authorization: Bearer <token>`` for integrations; pages and the docs use the session.

A token works only where the view names a scope the token holds (``token_scope``, see
``tslp_portal.api.TokenScope``): a missing scope is a 403. A view that declares ``token_scope = None``
serves public data, which any token reads as its account; a view that declares nothing treats the token's
caller as anonymous. Every request made with a token is a line of the security log (``api_token_used``).
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from api.models import ApiToken, token_digest
from tslp_portal.security import security_event

# Writing last_used_at on every request would turn each read into a write; once a minute is enough.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)
UNDECLARED = object()


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        try:
            key = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token header.")) from None
        now = timezone.now()
        token = ApiToken.objects.usable(now).select_related("user").filter(digest=token_digest(key)).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("The token is unknown, expired or revoked."))
        view = (request.parser_context or {}).get("view")
        required = getattr(view, "token_scope", UNDECLARED)
        if required is UNDECLARED:
            return None
        security_event(
            "api_token_used", request._request, token=token.prefix, user=token.user.username, scope=required
        )
        if required is not None and required not in token.scopes:
            raise exceptions.PermissionDenied(
                _("This token may not read this: it lacks the scope %(scope)s.") % {"scope": required}
            )
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword
