from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from tslp_portal.security import rate_limited

RESET_WINDOW = 3600


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The six digits your authenticator app shows, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form, sending at most ``TSLP_PASSWORD_RESET_LIMIT_ACCOUNT`` mails an hour per account."""

    def save(self, *args, request=None, **kwargs):
        self._request = request
        return super().save(*args, request=request, **kwargs)

    def get_users(self, email):
        for user in super().get_users(email):
            limited = rate_limited(
                self._request,
                scope="password-reset-account",
                key=str(user.pk),
                limit=settings.TSLP_PASSWORD_RESET_LIMIT_ACCOUNT,
                window=RESET_WINDOW,
            )
            if not limited:
                yield user
