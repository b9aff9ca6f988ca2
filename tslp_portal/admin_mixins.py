"""Base mixins every app's admin builds on: who may open the back office, and read-only rows."""

from functools import wraps

from django.core.exceptions import PermissionDenied

from tslp_portal.models import AccessLog
from tslp_portal.privacy import access_log_write


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

    def log_access(self, request, *, what: str, rows: int, action: str = AccessLog.Action.VIEW):
        access_log_write(
            user=request.user,
            what=what,
            row_count=rows,
            action=action,
            reason=request.GET.urlencode()[:200],
            path=request.path,
        )
