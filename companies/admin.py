from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from companies.forms import DecisionForm
from companies.models import Company, CompanyEvent
from companies.services import CompanyError, company_reject, company_suspend, company_verify

STATUS_FIELDS = ["status", "status_note", "verified_by", "verified_at", "created_at", "updated_at"]


class CompanyEventInline(admin.TabularInline):
    model = CompanyEvent
    fields = ["created_at", "actor", "from_status", "to_status", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["-created_at", "-pk"]
    verbose_name_plural = gettext_lazy("History")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "legal_form", "nib", "npwp", "kecamatan", "sector", "status", "created_at"]
    list_filter = ["status", "legal_form", "kecamatan"]
    list_select_related = ["kecamatan"]
    search_fields = ["name", "nib", "npwp"]
    date_hierarchy = "created_at"
    actions = ["verify_selected", "reject_selected", "suspend_selected"]
    inlines = [CompanyEventInline]

    def get_readonly_fields(self, request, obj=None):
        # Status changes only through the actions (services); identifiers are fixed once registered.
        if obj is None:
            return STATUS_FIELDS
        return ["nib", "npwp", *STATUS_FIELDS]

    def _apply(self, request, queryset, service, done_message: str, **kwargs) -> int:
        done = 0
        for company in queryset:
            try:
                service(company=company, actor=request.user, **kwargs)
            except CompanyError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, done_message % {"count": done}, messages.SUCCESS)
        return done

    @admin.action(description=gettext_lazy("Verify selected companies"), permissions=["change"])
    def verify_selected(self, request, queryset):
        self._apply(request, queryset, company_verify, _("%(count)d companies verified."))

    @admin.action(
        description=gettext_lazy("Reject selected companies (reason required)"), permissions=["change"]
    )
    def reject_selected(self, request, queryset):
        return self._with_reason(
            request, queryset, company_reject, _("Reject companies"), _("%(count)d companies rejected.")
        )

    @admin.action(
        description=gettext_lazy("Suspend selected companies (reason required)"), permissions=["change"]
    )
    def suspend_selected(self, request, queryset):
        return self._with_reason(
            request, queryset, company_suspend, _("Suspend companies"), _("%(count)d companies suspended.")
        )

    def _with_reason(self, request, queryset, service, title: str, done_message: str):
        """An intermediate page asking for the reason; the second POST (with ``apply``) acts."""
        form = DecisionForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            self._apply(request, queryset, service, done_message, note=form.cleaned_data["note"])
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "form": form,
            "companies": queryset.select_related("kecamatan"),
            "action": request.POST.get("action"),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "companies/admin/company_decision.html", context)
