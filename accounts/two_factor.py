"""The second factor (TOTP from an authenticator app, plus one-time recovery codes) for the back office.

Required for Dinsos and staff accounts when ``TSLP_REQUIRE_2FA`` is on (the default with
``DJANGO_SECURE=true``). After the password, such a user may open only the pages below until they have
entered a code: the set-up page on their first sign-in, the code page afterwards. Wrong codes are
throttled by django-otp (each failure doubles the wait).

A Dinsos or staff account sets up its first authenticator only with an enrolment code that Dinsos issued
(``create_account`` prints one; the back office issues a new one): a password alone must not choose the
second factor of an account that sees every NIK. Replacing an authenticator needs the current one instead.
"""

import datetime
import hashlib
import secrets
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import EnrolmentCode

RECOVERY_CODES = 10
ENROLMENT_CODE_VALIDITY = datetime.timedelta(days=7)
# Twelve characters of an alphabet without look-alikes (no 0/O, 1/I/L): about 58 bits, typed from paper.
ENROLMENT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
ISSUER = "Portal TSLP Pulang Pisau"
# Reachable before the second factor: the pages that give it, signing out, and what every page needs.
OPEN_PATH_NAMES = ("accounts:2fa_setup", "accounts:2fa_qr", "accounts:2fa_verify", "logout", "set_language")
OPEN_PREFIXES = ("/static/", "/healthz")


def has_second_factor(user) -> bool:
    """Whether ``user`` has a confirmed authenticator."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def needs_second_factor(user) -> bool:
    return bool(settings.TSLP_REQUIRE_2FA and user.is_authenticated and (user.is_dinsos or user.is_staff))


class TwoFactorRequiredMiddleware:
    """Send a signed-in Dinsos or staff user who has not entered a code to the code (or set-up) page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if needs_second_factor(user) and not user.is_verified() and not self._open(request.path):
            target = "accounts:2fa_verify" if user_has_device(user) else "accounts:2fa_setup"
            return redirect(reverse(target) + "?" + urlencode({"next": request.get_full_path()}))
        return self.get_response(request)

    @staticmethod
    def _open(path: str) -> bool:
        return path.startswith(OPEN_PREFIXES) or path in {reverse(name) for name in OPEN_PATH_NAMES}


def totp_device_pending(user) -> TOTPDevice:
    """The unconfirmed authenticator being set up (one per user, kept across reloads of the page)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=False)


def totp_qr_svg(device: TOTPDevice) -> bytes:
    """A standalone SVG document (served as an image: no inline markup under the CSP)."""
    from io import BytesIO

    buffer = BytesIO()
    segno.make(device.config_url, error="m").save(buffer, kind="svg", scale=5, title=ISSUER)
    return buffer.getvalue()


def totp_secret_display(device: TOTPDevice) -> str:
    """The key in base32 groups of four, for typing into an app by hand."""
    from base64 import b32encode

    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def enrolment_code_required(user) -> bool:
    """Whether ``user`` needs an enrolment code to set up an authenticator: a Dinsos or staff account
    without a confirmed one."""
    return bool((user.is_dinsos or user.is_staff) and not has_second_factor(user))


def _enrolment_digest(code: str) -> str:
    normalised = "".join(code.split()).replace("-", "").upper()
    return hashlib.sha256(normalised.encode()).hexdigest()


@transaction.atomic
def enrolment_code_issue(*, user, issued_by=None) -> str:
    """A new enrolment code for ``user`` (replacing any earlier one), valid ``ENROLMENT_CODE_VALIDITY``;
    returned only now, stored as a digest."""
    raw = "".join(secrets.choice(ENROLMENT_ALPHABET) for _ in range(12))
    EnrolmentCode.objects.update_or_create(
        user=user,
        defaults={
            "digest": _enrolment_digest(raw),
            "expires_at": timezone.now() + ENROLMENT_CODE_VALIDITY,
            "created_by": issued_by,
        },
    )
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


def enrolment_code_valid(*, user, code: str) -> bool:
    stored = EnrolmentCode.objects.filter(user=user, expires_at__gt=timezone.now()).first()
    return stored is not None and secrets.compare_digest(stored.digest, _enrolment_digest(code or ""))


@transaction.atomic
def totp_confirm(*, user, token: str, enrolment_code: str = "") -> list[str] | None:
    """Confirm the pending authenticator with its first code; return fresh recovery codes, or None.

    For an account that needs one, the enrolment code must be valid too; it is used up here.
    """
    code_needed = enrolment_code_required(user)
    if code_needed and not enrolment_code_valid(user=user, code=enrolment_code):
        return None
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(token.replace(" ", "")):
        return None
    EnrolmentCode.objects.filter(user=user).delete()
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return recovery_codes_renew(user=user)


@transaction.atomic
def recovery_codes_renew(*, user) -> list[str]:
    """Replace the user's recovery codes with ``RECOVERY_CODES`` new ones (each works once)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Kode pemulihan", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def second_factor_check(*, user, token: str):
    """The device that accepts ``token`` (authenticator code or recovery code), or None."""
    token = token.replace(" ", "").strip()
    if not token:
        return None
    with transaction.atomic():
        for device in devices_for_user(user, for_verify=True):
            if device.verify_token(token):
                return device
    return None
