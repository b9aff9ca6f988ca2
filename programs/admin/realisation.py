"""Realisation reports in the back office: Dinsos verifies them, one by one or in bulk."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from programs import services
from programs.models import RealisationReport
from tslp_portal.templatetags.portal import rupiah


@admin.register(RealisationReport)
class RealisationReportAdmin(admin.ModelAdmin):
    list_display = ["program", "period", "is_final", "amount_display", "state", "submitted_at", "open_link"]
    list_filter = ["state", "is_final", "program__tahun"]
    list_select_related = ["program", "program__company"]
    search_fields = ["program__title", "program__company__name", "period"]
    readonly_fields = [
        "program",
        "period",
        "is_final",
        "amount_spent",
        "description",
        "state",
        "submitted_by",
        "submitted_at",
        "verified_by",
        "verified_at",
        "dinsos_note",
    ]
    actions = ["verify_selected"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("amount spent"), ordering="amount_spent")
    def amount_display(self, obj):
        return rupiah(obj.amount_spent)

    @admin.display(description=_("open"))
    def open_link(self, obj):
        url = reverse("programs:realisation_detail", args=[obj.program_id, obj.pk])
        return format_html('<a class="button" href="{}">{}</a>', url, _("Open"))

    @admin.action(description=_("Verify the selected submitted reports"))
    def verify_selected(self, request, queryset):
        verified = 0
        for report in queryset:
            try:
                services.realisation_verify(report=report, actor=request.user)
                verified += 1
            except services.ProgramError as exc:
                self.message_user(request, f"{report}: {exc}", messages.WARNING)
        if verified:
            self.message_user(
                request,
                ngettext("%(count)d report verified.", "%(count)d reports verified.", verified)
                % {"count": verified},
                messages.SUCCESS,
            )
