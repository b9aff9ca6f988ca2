"""Base mixins every app's admin builds on: who may open the back office, and read-only rows."""

from functools import wraps

from django.core.exceptions import PermissionDenied

from tslp_portal.models import AccessLog
from tslp_portal.privacy import personal_data_response


def user_is_dinsos(user) -> bool:
    """Dinsos decided by role, for any user object, anonymous included (which has no role)."""
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_dinsos", False))


def dinsos_only(view):
    """Signed-in users who are not Dinsos get 403 (not the admin's login page); anonymous users log in."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not user_is_dinsos(user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


class ReadOnlyAdminMixin:
    """Rows written only by the portal's services: the admin shows them, never adds, edits or deletes.

    Works for ``ModelAdmin`` and inlines alike (inlines pass ``obj`` to ``has_add_permission``).
    """

    can_delete = False  # inlines: no "delete" checkbox
    extra = 0  # inlines: no empty forms

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DinsosOnlyAdminMixin:
    """Admin pages holding personal data: Dinsos only, and every page that shows it is access-logged.

    Safe for anonymous users: the admin's login page asks every registered model whether the user may
    see it, and an anonymous user has no role.
    """

    def get_urls(self):
        urls = super().get_urls()
        for pattern in urls:
            pattern.callback = dinsos_only(pattern.callback)
        return urls

    def has_view_permission(self, request, obj=None):
        return user_is_dinsos(request.user)

    def has_module_permission(self, request):
        return user_is_dinsos(request.user)

    # Pages of this admin show personal data: each goes through personal_data_response (access-log row,
    # no caching). An admin of rows without personal data sets this to False.
    personal_data = True

    def personal_rows(self, request, object_id) -> int:
        """How many people one object's page shows (a household: its head and members)."""
        return 1

    def personal_response(
        self, request, response, *, what: str, rows: int, action: str = AccessLog.Action.VIEW
    ):
        if not self.personal_data or response.status_code != 200:
            return response
        return personal_data_response(
            response,
            request=request,
            what=what,
            rows=rows,
            action=action,
            reason=request.GET.urlencode()[:200],
        )

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", None) or {}
        rows = len(changelist["cl"].result_list) if "cl" in changelist else 0
        what = f"{self.opts.verbose_name_plural} (admin)"
        return self.personal_response(request, response, what=what, rows=rows)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if not self.personal_data or response.status_code != 200:
            return response  # an unknown or malformed id: Django's own answer, before personal_rows reads it
        what = f"{self.opts.verbose_name} #{object_id} (admin)"
        return self.personal_response(
            request, response, what=what, rows=self.personal_rows(request, object_id)
        )

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        what = f"{self.opts.verbose_name} #{object_id}, history (admin)"
        return self.personal_response(request, response, what=what, rows=1)
