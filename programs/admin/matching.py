"""The double-assistance rules and the household ledger in the back office (Dinsos)."""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from poverty_data.admin import HouseholdAdmin
from poverty_data.models import Household
from programs.models import Beneficiary, BidangRule
from tslp_portal import numbers
from tslp_portal.admin_mixins import ReadOnlyAdminMixin


class BidangRuleRowForm(forms.ModelForm):
    """One editable row of the rules list; its inputs are named after their bidang for screen readers."""

    class Meta:
        model = BidangRule
        fields = ["repeat_allowed", "exclusion_years"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["aria-label"] = f"{field.label} — {self.instance.get_bidang_display()}"


@admin.register(BidangRule)
class BidangRuleAdmin(admin.ModelAdmin):
    """Dinsos decides per bidang how long a confirmed household is kept from another program of it."""

    list_display = ["bidang", "repeat_allowed", "exclusion_years", "updated_at"]
    list_editable = ["repeat_allowed", "exclusion_years"]

    def get_changelist_form(self, request, **kwargs):
        return BidangRuleRowForm

    readonly_fields = ["bidang"]

    def has_add_permission(self, request):
        return False  # one rule per bidang, created by migration

    def has_delete_permission(self, request, obj=None):
        return False


class HouseholdLedgerInline(ReadOnlyAdminMixin, admin.TabularInline):
    """Every program a household was proposed, confirmed or delivered for (the household ledger)."""

    model = Beneficiary
    fk_name = "household"
    fields = ["program_link", "company", "bidang", "tahun", "state", "delivered_on", "delivered_rupiah"]
    readonly_fields = fields
    verbose_name = _("assistance")
    verbose_name_plural = _("assistance ledger")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("program__company")
            .order_by("-program__tahun", "-pk")
        )

    @admin.display(description=_("program"))
    def program_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("programs:matching", args=[obj.program_id]), obj.program.title
        )

    @admin.display(description=_("company"))
    def company(self, obj):
        return obj.program.company.name

    @admin.display(description=_("bidang"))
    def bidang(self, obj):
        return obj.program.get_bidang_display()

    @admin.display(description=_("year"))
    def tahun(self, obj):
        return obj.program.tahun

    @admin.display(description=_("value delivered (Rp)"))
    def delivered_rupiah(self, obj):
        return numbers.rupiah(obj.delivered_value)


# poverty_data does not know programs (docs/architecture.md, "Layers"): programs registers the household admin again, as a
# subclass of poverty_data's that adds the ledger.
admin.site.unregister(Household)


@admin.register(Household)
class HouseholdWithLedgerAdmin(HouseholdAdmin):
    inlines = [*HouseholdAdmin.inlines, HouseholdLedgerInline]
