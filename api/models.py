"""API tokens for integrations: issued and revoked by Dinsos, each with an expiry.

Only a SHA-256 digest of a token is stored; the token itself is shown once, when it is issued. The model
lives in the ``api`` app, not in ``accounts``: nothing below the API authenticates with it, and keeping it
here leaves ``accounts`` free of what only HTTP integrations need.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tslp_portal.api import TokenScope

TOKEN_PREFIX_LENGTH = 8


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_generate() -> str:
    return secrets.token_urlsafe(32)


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("account"),
    )
    name = models.CharField(_("purpose"), max_length=100, help_text=_("Which integration uses this token."))
    scopes = models.JSONField(
        _("scopes"), default=list, help_text=_("What the token may read: a list of scope names.")
    )
    prefix = models.CharField(_("token begins with"), max_length=TOKEN_PREFIX_LENGTH, editable=False)
    digest = models.CharField(_("digest"), max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.prefix}… ({self.user})"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now() and self.user.is_active

    def get_scopes_display(self) -> str:
        labels = dict(TokenScope.choices)
        return ", ".join(str(labels.get(scope, scope)) for scope in self.scopes)

    get_scopes_display.short_description = _("scopes")
