from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django_otp import login as otp_login
from django_otp import user_has_device

from accounts import two_factor
from accounts.forms import RESET_WINDOW, EnrolmentForm, PasswordResetForm, TokenForm
from accounts.sessions import user_session_end, user_sessions, user_sessions_end_others
from tslp_portal.security import rate_limited, security_event


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or reverse("home")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("home")


class TwoFactorSetupView(LoginRequiredMixin, View):
    """First sign-in of a Dinsos or staff account: the enrolment code Dinsos issued, then scan the QR code
    and enter the first six digits (``accounts/two_factor.py``)."""

    template_name = "accounts/two_factor_setup.html"

    def dispatch(self, request, *args, **kwargs):
        # Replacing an authenticator needs the current one first: a stolen password alone must not
        # enrol a new device.
        user = request.user
        if user.is_authenticated and user_has_device(user) and not user.is_verified():
            return redirect(reverse("accounts:2fa_verify") + "?next=" + reverse("accounts:2fa_setup"))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self._render(request, self._form_class(request)())

    def post(self, request):
        form = self._form_class(request)(request.POST)
        if form.is_valid():
            enrolment_code = form.cleaned_data.get("enrolment_code", "")
            if isinstance(form, EnrolmentForm) and not two_factor.enrolment_code_valid(
                user=request.user, code=enrolment_code
            ):
                form.add_error(
                    "enrolment_code",
                    _("This enrolment code is not right or has expired. Ask Dinas Sosial for a new one."),
                )
                security_event("2fa_enrolment_code_refused", request)
                return self._render(request, form)
            codes = two_factor.totp_confirm(
                user=request.user, token=form.cleaned_data["token"], enrolment_code=enrolment_code
            )
            if codes is not None:
                device = request.user.totpdevice_set.get(confirmed=True)
                otp_login(request, device)
                security_event("2fa_enabled", request)
                request.session["_tslp_recovery_codes"] = codes
                return redirect(reverse("accounts:2fa_codes") + "?next=" + _next_url(request))
            form.add_error("token", _("This code is not right. Enter the code your app shows now."))
            security_event("2fa_setup_failed", request)
        return self._render(request, form)

    @staticmethod
    def _form_class(request):
        return EnrolmentForm if two_factor.enrolment_code_required(request.user) else TokenForm

    def _render(self, request, form):
        device = two_factor.totp_device_pending(request.user)
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "secret": two_factor.totp_secret_display(device),
                "next": _next_url(request),
            },
        )


class TwoFactorQrView(LoginRequiredMixin, View):
    """The QR code of the authenticator being set up, as an image (no inline markup under the CSP)."""

    def get(self, request):
        device = request.user.totpdevice_set.filter(confirmed=False).first()
        if device is None:
            raise Http404
        response = HttpResponse(two_factor.totp_qr_svg(device), content_type="image/svg+xml")
        response["Cache-Control"] = "no-store"
        return response


class TwoFactorVerifyView(LoginRequiredMixin, View):
    template_name = "accounts/two_factor_verify.html"

    def get(self, request):
        return render(request, self.template_name, {"form": TokenForm(), "next": _next_url(request)})

    def post(self, request):
        form = TokenForm(request.POST)
        if form.is_valid():
            device = two_factor.second_factor_check(user=request.user, token=form.cleaned_data["token"])
            if device is not None:
                otp_login(request, device)
                security_event("2fa_verified", request, device=type(device).__name__)
                return redirect(_next_url(request))
            form.add_error("token", _("This code is not right, or was used already."))
            security_event("2fa_failed", request)
        return render(request, self.template_name, {"form": form, "next": _next_url(request)})


class RecoveryCodesView(LoginRequiredMixin, View):
    """Shows new recovery codes once, right after they were made."""

    def get(self, request):
        codes = request.session.pop("_tslp_recovery_codes", None)
        if not codes:
            return redirect("accounts:security")
        response = render(
            request, "accounts/recovery_codes.html", {"codes": codes, "next": _next_url(request)}
        )
        response["Cache-Control"] = "no-store"
        return response

    def post(self, request):
        if not request.user.is_verified():
            return redirect("accounts:2fa_verify")
        request.session["_tslp_recovery_codes"] = two_factor.recovery_codes_renew(user=request.user)
        security_event("2fa_recovery_codes_renewed", request)
        return redirect("accounts:2fa_codes")


class SecurityView(LoginRequiredMixin, View):
    """The user's signed-in browsers (ending the others) and their second factor."""

    template_name = "accounts/security.html"

    def get(self, request):
        context = {
            "sessions": user_sessions(request.user),
            "current_key": request.session.session_key,
            "has_2fa": request.user.totpdevice_set.filter(confirmed=True).exists(),
        }
        return render(request, self.template_name, context)

    def post(self, request):
        if request.POST.get("session") == "others":
            count = user_sessions_end_others(user=request.user, keep_session_key=request.session.session_key)
        else:
            try:
                session_id = int(request.POST.get("session", ""))
            except ValueError:
                session_id = 0
            count = int(user_session_end(user=request.user, session_id=session_id))
        security_event("sessions_ended", request, count=count)
        messages.success(request, _("Signed out %(count)d other browser(s).") % {"count": count})
        return redirect("accounts:security")


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset page, at most ``TSLP_PASSWORD_RESET_LIMIT_ADDRESS`` requests an hour per address.

    A refused request answers like any other (the "check your e-mail" page), so that nobody learns from it
    whether an account uses the address.
    """

    form_class = PasswordResetForm

    def form_valid(self, form):
        limited = rate_limited(
            self.request,
            scope="password-reset",
            limit=settings.TSLP_PASSWORD_RESET_LIMIT_ADDRESS,
            window=RESET_WINDOW,
        )
        if limited:
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)
