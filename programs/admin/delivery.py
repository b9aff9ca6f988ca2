"""Back office for sharing by-name data: PKS records and the acceptances of the data-use terms."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from programs.models import DataSharingAgreement, DataUseAcceptance
from tslp_portal.admin_mixins import ReadOnlyAdminMixin


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
class DataUseAcceptanceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["program", "user", "agreement", "terms_version", "accepted_at"]
    list_select_related = ["program", "user", "agreement"]
    search_fields = ["program__title", "user__username", "agreement__number"]
    readonly_fields = ["program", "user", "agreement", "terms_version", "accepted_at"]
