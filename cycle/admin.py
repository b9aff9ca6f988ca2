from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cycle.models import (
    AwardWeights,
    CycleYear,
    Invitation,
    ObligatedCompany,
    RegisterEvent,
    RegisterImport,
    Reminder,
)
from cycle.services.invitations import invitation_failed
from tslp_portal.admin_mixins import ReadOnlyAdminMixin


class RegisterEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = RegisterEvent
    fields = ["created_at", "kind", "actor", "note"]
    readonly_fields = fields
    verbose_name_plural = gettext_lazy("Timeline")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


@admin.register(ObligatedCompany)
class ObligatedCompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "nib", "sector", "kecamatan", "email", "source", "status", "company"]
    list_filter = ["status", "source", "kecamatan"]
    list_select_related = ["kecamatan", "company"]
    search_fields = ["name", "nib", "email"]
    # The status follows invitations, registration and exemptions (the register's pages); never typed here.
    readonly_fields = ["nib", "status", "exempt_reason", "company", "created_at", "updated_at"]
    inlines = [RegisterEventInline]

    def has_add_permission(self, request):
        return False  # entries come from the register files (the import page or manage.py import_companies)


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["entry", "email", "state", "created_at", "expires_at", "used_at", "error"]
    list_filter = ["state"]
    list_select_related = ["entry"]
    search_fields = ["entry__name", "entry__nib", "email"]
    exclude = ["token_digest"]
    actions = ["mark_bounced"]

    @admin.action(description=gettext_lazy("Mark as bounced (the mail came back)"), permissions=["view"])
    def mark_bounced(self, request, queryset):
        for invitation in queryset.select_related("entry").exclude(state=Invitation.State.USED):
            invitation_failed(
                invitation=invitation, actor=request.user, reason=_("The mail came back (bounced).")
            )
        self.message_user(request, _("The invitations are marked as bounced."), messages.SUCCESS)


@admin.register(CycleYear)
class CycleYearAdmin(admin.ModelAdmin):
    list_display = [
        "tahun",
        "plan_deadline",
        "realisation_deadline",
        "days_before",
        "days_after",
        "updated_at",
    ]


@admin.register(AwardWeights)
class AwardWeightsAdmin(admin.ModelAdmin):
    list_display = ["tahun", "amount", "plan_on_time", "report_on_time", "poorest_share", "next_plan"]


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["entry", "tahun", "kind", "offset", "deadline", "sent_on"]
    list_filter = ["tahun", "kind", "sent_on"]
    list_select_related = ["entry"]
    search_fields = ["entry__name", "entry__nib"]


@admin.register(RegisterImport)
class RegisterImportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "file_name",
        "source",
        "state",
        "rows_read",
        "created",
        "updated",
        "unchanged",
        "created_at",
    ]
    list_filter = ["state", "source"]
    exclude = ["rows"]
