"""A field officer (*petugas lapangan*) uses the field app, nothing else of the portal.

They are company members, so every company page would otherwise let them in with an editor's reach (the
company's programs and their forms, the desk delivery page, the profile, the API). One gate, after
authentication, closes the portal to them outside the field app, their own account pages and what is public;
their home page is the field app.
"""

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

# What anyone may read stays open: the public pages, the public API and its documentation (linked from them).
OPEN_PREFIXES = (
    "/lapangan/",
    "/akun/",
    "/i18n/",
    "/static/",
    "/publik/",
    "/healthz",
    "/api/v1/publik/",
    "/api/docs/",
    "/api/schema/",
)


class FieldOfficerMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_field_officer:
            return self.get_response(request)
        if request.path.startswith(OPEN_PREFIXES):
            return self.get_response(request)
        if request.path == "/":
            return redirect(reverse("lapangan:app"))
        message = _("A field officer uses the field app only.")
        if request.path.startswith("/api/"):
            return JsonResponse({"code": "permission_denied", "message": message}, status=403)
        raise PermissionDenied(message)
