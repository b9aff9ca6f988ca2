"""The Dinsos back office: the Django admin, entered through the portal's own login page.

The portal's login (``/akun/login/``) is the only way in: it carries the lockout after repeated failures
and the second factor. The admin's own login form would bypass both, so it redirects there.
"""

import json

from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from tslp_portal.admin_mixins import user_is_dinsos
from tslp_portal.privacy import personal_data_response


class LoggedAutocompleteJsonView(AutocompleteJsonView):
    """The admin's autocomplete search, access-logged when it searches a model of personal data.

    A foreign key to a household answers "No. KK — name" for a name or NIK typed in: like the pages of
    that admin (``DinsosOnlyAdminMixin.personal_data``), each answer writes an access-log row with the
    number of rows it holds and is never cached.
    """

    def serialize_result(self, obj, to_field_name):
        # A household's own name for messages carries no identity (its __str__); Dinsos picks by No. KK here.
        result = super().serialize_result(obj, to_field_name)
        if hasattr(obj, "no_kk") and hasattr(obj, "nama_kepala"):
            result["text"] = f"{obj.no_kk} — {obj.nama_kepala}"
        return result

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if not getattr(self.model_admin, "personal_data", False):
            return response
        rows = len(json.loads(response.content)["results"])
        return personal_data_response(
            response,
            request=request,
            what=f"{self.model_admin.opts.verbose_name_plural} (admin autocomplete)",
            rows=rows,
            reason=request.GET.urlencode()[:200],
        )


class PortalAdminSite(admin.AdminSite):
    def autocomplete_view(self, request):
        return LoggedAutocompleteJsonView.as_view(admin_site=self)(request)

    def has_permission(self, request):
        # The role decides, not the staff flag: a camat account with is_staff stays out.
        return user_is_dinsos(request.user) and request.user.is_staff

    def login(self, request, extra_context=None):
        next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = reverse("admin:index", current_app=self.name)
        if not request.user.is_authenticated:
            return redirect_to_login(next_url)
        if not self.has_permission(request):
            raise PermissionDenied
        return HttpResponseRedirect(next_url)
