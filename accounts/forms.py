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


class EnrolmentForm(TokenForm):
    """The first authenticator of a Dinsos or staff account: the enrolment code Dinsos issued, then the code
    the app shows."""

    enrolment_code = forms.CharField(
        label=_("Enrolment code"),
        max_length=20,
        help_text=_(
            "The one-time code Dinas Sosial gave you with your account (for example ABCD-EFGH-JKMN). "
            "Lost it, or more than seven days old? Ask Dinas Sosial for a new one."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    field_order = ["enrolment_code", "token"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The code field opens the form; the app's code comes second.
        self.fields["token"].widget.attrs.pop("autofocus", None)
        self.fields["enrolment_code"].widget.attrs["autofocus"] = True


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
