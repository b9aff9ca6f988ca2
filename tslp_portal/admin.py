from functools import wraps

from django.contrib import admin
from django.core.exceptions import PermissionDenied

from tslp_portal.models import AccessLog
from tslp_portal.privacy import access_log_write


def dinsos_only(view):
    """Signed-in users who are not Dinsos get 403 (not the admin's login page); anonymous users log in."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not user.is_dinsos:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


class DinsosOnlyAdminMixin:
    """Admin pages holding personal data: Dinsos only, and every page that shows it is access-logged."""

    def get_urls(self):
        urls = super().get_urls()
        for pattern in urls:
            pattern.callback = dinsos_only(pattern.callback)
        return urls

    def has_view_permission(self, request, obj=None):
        return request.user.is_dinsos

    def has_module_permission(self, request):
        return request.user.is_dinsos

    def log_access(self, request, *, what: str, rows: int, action: str = AccessLog.Action.VIEW):
        access_log_write(
            user=request.user,
            what=what,
            row_count=rows,
            action=action,
            reason=request.GET.urlencode()[:200],
            path=request.path,
        )


@admin.register(AccessLog)
class AccessLogAdmin(DinsosOnlyAdminMixin, admin.ModelAdmin):
    """The personal-data access log: readable by Dinsos, written only by the portal (append-only)."""

    list_display = ["created_at", "user", "action", "what", "row_count", "reason"]
    list_filter = ["action", "user__role", "created_at"]
    list_select_related = ["user"]
    search_fields = ["what", "user__username", "reason"]
    date_hierarchy = "created_at"
    readonly_fields = ["created_at", "user", "action", "what", "row_count", "reason", "path"]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}
