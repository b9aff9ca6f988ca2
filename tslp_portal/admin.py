from django.contrib import admin

from tslp_portal.admin_mixins import DinsosOnlyAdminMixin, ReadOnlyAdminMixin, dinsos_only
from tslp_portal.models import AccessLog

__all__ = ["DinsosOnlyAdminMixin", "ReadOnlyAdminMixin", "dinsos_only"]


@admin.register(AccessLog)
class AccessLogAdmin(DinsosOnlyAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """The personal-data access log: readable by Dinsos, written only by the portal (append-only)."""

    list_display = ["created_at", "user", "action", "what", "row_count", "reason"]
    list_filter = ["action", "user__role", "created_at"]
    list_select_related = ["user"]
    search_fields = ["what", "user__username", "reason"]
    date_hierarchy = "created_at"
    readonly_fields = ["created_at", "user", "action", "what", "row_count", "reason", "path"]
    fields = readonly_fields

    def get_actions(self, request):
        return {}
