"""Back office for the company's side: PKS records and realisation reports (issue 5)."""

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from programs import services
from programs.models import DataSharingAgreement, DataUseAcceptance, RealisationReport
from tslp_portal.templatetags.portal import rupiah


class DataSharingAgreementForm(forms.ModelForm):
    class Meta:
        model = DataSharingAgreement
        fields = ["company", "number", "signed_on", "valid_until"]

    def clean(self):
        data = super().clean()
        signed_on, valid_until = data.get("signed_on"), data.get("valid_until")
        if signed_on and valid_until and valid_until < signed_on:
            self.add_error("valid_until", _("The agreement cannot end before it is signed."))
        return data


@admin.register(DataSharingAgreement)
class DataSharingAgreementAdmin(admin.ModelAdmin):
    form = DataSharingAgreementForm
    list_display = ["number", "company", "signed_on", "valid_until", "recorded_by", "recorded_at"]
    list_filter = ["signed_on"]
    list_select_related = ["company", "recorded_by"]
    search_fields = ["number", "company__name", "company__nib"]
    autocomplete_fields = ["company"]
    fields = ["company", "number", "signed_on", "valid_until", "recorded_by", "recorded_at"]
    readonly_fields = ["recorded_by", "recorded_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        # Acceptances point at the agreement: the record of what was shared under it must stay.
        return False


@admin.register(DataUseAcceptance)
class DataUseAcceptanceAdmin(admin.ModelAdmin):
    list_display = ["program", "user", "agreement", "terms_version", "accepted_at"]
    list_select_related = ["program", "user", "agreement"]
    search_fields = ["program__title", "user__username", "agreement__number"]
    readonly_fields = ["program", "user", "agreement", "terms_version", "accepted_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
