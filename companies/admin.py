from dataclasses import dataclass

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from companies.forms import DecisionForm
from companies.models import Company, CompanyEvent
from companies.services import (
    REJECT_FROM,
    SUSPEND_FROM,
    VERIFY_FROM,
    CompanyError,
    company_reject,
    company_suspend,
    company_verify,
)
from tslp_portal.admin_mixins import ReadOnlyAdminMixin


@dataclass(frozen=True)
class Decision:
    service: object
    allowed_from: frozenset
    title: Promise
    done: Promise
    note_required: bool


# The buttons on a company's change page; each calls the same service as the changelist actions.
DECISIONS = {
    "verify": Decision(
        company_verify, VERIFY_FROM, gettext_lazy("Verify"), gettext_lazy("%(name)s is verified."), False
    ),
    "reject": Decision(
        company_reject, REJECT_FROM, gettext_lazy("Reject"), gettext_lazy("%(name)s is rejected."), True
    ),
    "suspend": Decision(
        company_suspend, SUSPEND_FROM, gettext_lazy("Suspend"), gettext_lazy("%(name)s is suspended."), True
    ),
}

STATUS_FIELDS = ["status", "status_note", "verified_by", "verified_at", "created_at", "updated_at"]


class CompanyEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = CompanyEvent
    fields = ["created_at", "actor", "from_status", "to_status", "note"]
    readonly_fields = fields
    ordering = ["-created_at", "-pk"]
    verbose_name_plural = gettext_lazy("History")

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
    change_form_template = "companies/admin/company_change_form.html"

    def get_urls(self):
        decide = path(
            "<int:pk>/keputusan/<slug:decision>/",
            self.admin_site.admin_view(self.decision_view),
            name="companies_company_decide",
        )
        return [decide, *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        company = self.get_object(request, object_id)
        decisions = []
        if company is not None and self.has_change_permission(request, company):
            decisions = [
                (reverse("admin:companies_company_decide", args=[company.pk, key]), decision.title)
                for key, decision in DECISIONS.items()
                if company.status in decision.allowed_from
            ]
        extra_context = {**(extra_context or {}), "decisions": decisions}
        return super().change_view(request, object_id, form_url, extra_context)

    def decision_view(self, request, pk: int, decision: str):
        """GET shows the decision with its reason field; POST calls the service."""
        if decision not in DECISIONS:
            raise Http404
        company = get_object_or_404(Company.objects.select_related("kecamatan"), pk=pk)
        if not self.has_change_permission(request, company):
            raise PermissionDenied
        chosen = DECISIONS[decision]
        change_url = reverse("admin:companies_company_change", args=[company.pk])
        data = request.POST if request.method == "POST" else None
        form = DecisionForm(data, note_required=chosen.note_required)
        if request.method == "POST" and form.is_valid():
            try:
                chosen.service(company=company, actor=request.user, note=form.cleaned_data["note"])
            except CompanyError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                self.message_user(request, chosen.done % {"name": company.name}, messages.SUCCESS)
            return redirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": f"{chosen.title}: {company.name}",
            "opts": self.model._meta,
            "form": form,
            "companies": [company],
            "submit_label": chosen.title,
            "cancel_url": change_url,
        }
        return TemplateResponse(request, "companies/admin/company_decision.html", context)

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
            "submit_label": title,
            "cancel_url": reverse("admin:companies_company_changelist"),
        }
        return TemplateResponse(request, "companies/admin/company_decision.html", context)
