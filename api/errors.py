"""One JSON shape for every API error: ``{"code", "message", "fields"?}``, the message in Indonesian.

``code`` is stable for programs to branch on; ``message`` is for people; ``fields`` (validation errors only)
maps each field, or ``non_field_errors``, to DRF's messages for it.
"""

import math

from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

MESSAGES = {
    "invalid": _("The request is invalid: see the fields."),
    "parse_error": _("The request body could not be read."),
    "not_authenticated": _("Sign in or send an API token (Authorization: Bearer …)."),
    "authentication_failed": _("The token is unknown, expired or revoked."),
    "permission_denied": _("You may not do this."),
    "not_found": _("Not found, or not visible to you."),
    "method_not_allowed": _("This method is not allowed here."),
    "not_acceptable": _("The requested format is not available."),
    "unsupported_media_type": _("The content type is not supported."),
    "throttled": _("Too many requests; try again in %(wait)s seconds."),
}


MALFORMED = _(
    "The address holds a NUL byte or bytes that are not UTF-8, or is longer than the server accepts."
)


def malformed_request_body() -> dict:
    """The error body of a request refused before any view (``api.middleware``): ``invalid``, no field."""
    with translation.override("id"):
        return {
            "code": "invalid",
            "message": str(MESSAGES["invalid"]),
            "fields": {"non_field_errors": [str(MALFORMED)]},
        }


# Codes whose specific reason (e.g. "no data-sharing agreement in force") is worth more than the generic text.
SPECIFIC = {"permission_denied", "authentication_failed"}


def _code(exc) -> str:
    if isinstance(exc, exceptions.ValidationError):
        return "invalid"
    if isinstance(exc, exceptions.Throttled):
        return "throttled"
    if isinstance(exc, exceptions.APIException):
        return exc.get_codes() if isinstance(exc.get_codes(), str) else exc.default_code
    return "not_found" if isinstance(exc, Http404) else "permission_denied"


def _fields(detail) -> dict:
    if isinstance(detail, dict):
        return {
            name: [str(m) for m in (msgs if isinstance(msgs, list) else [msgs])]
            for name, msgs in detail.items()
        }
    return {"non_field_errors": [str(m) for m in (detail if isinstance(detail, list) else [detail])]}


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    code = _code(exc)
    if code not in MESSAGES:
        code = {401: "not_authenticated", 403: "permission_denied", 404: "not_found"}.get(
            response.status_code, "invalid"
        )
    with translation.override("id"):
        if code == "throttled":
            message = str(MESSAGES[code]) % {"wait": math.ceil(exc.wait or 1)}
        else:
            message = str(MESSAGES[code])
    generic = {
        str(exceptions.PermissionDenied.default_detail),
        str(exceptions.AuthenticationFailed.default_detail),
    }
    detail = response.data.get("detail") if isinstance(response.data, dict) else None
    if code in SPECIFIC and detail and str(detail) not in generic:
        message = str(detail)
    body = {"code": code, "message": message}
    if code == "invalid":
        body["fields"] = _fields(getattr(exc, "detail", response.data))
    response.data = body
    return response
