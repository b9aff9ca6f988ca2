from django.contrib import admin, messages
from django.db.models import Prefetch
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from poverty_data.models import Household, Kecamatan
from programs import services
from programs.forms.program import DecisionForm
from programs.models import Beneficiary, BidangRule, Program, ProgramAttachment, ProgramEvent, ProgramLocation
from programs.selectors import program as selectors
from tslp_portal.templatetags.portal import rupiah


class KecamatanFilter(admin.SimpleListFilter):
    title = _("kecamatan")
    parameter_name = "kecamatan"

    def lookups(self, request, model_admin):
        return [(k.pk, k.nama) for k in Kecamatan.objects.all()]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(locations__desa__kecamatan_id=self.value()).distinct()
        return queryset


class ProgramEventInline(admin.TabularInline):
    model = ProgramEvent
    fields = ["created_at", "action", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ProgramAttachmentInline(admin.TabularInline):
    model = ProgramAttachment
    fields = ["download", "kind", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("file"))
    def download(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.original_name)


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "company",
        "status",
        "tahun",
        "bentuk",
        "bidang",
        "kecamatan_list",
        "budget_display",
        "submitted_at",
        "review_link",
    ]
    list_filter = ["status", "tahun", "bentuk", "bidang", KecamatanFilter, "company"]
    list_select_related = ["company"]
    search_fields = ["title", "company__name"]
    date_hierarchy = None
    actions = ["approve_selected"]
    readonly_fields = [
        "company",
        "status",
        "submitted_at",
        "decided_at",
        "created_by",
        "created_at",
        "updated_at",
    ]
    inlines = [ProgramAttachmentInline, ProgramEventInline]
    list_per_page = 50

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("locations", queryset=ProgramLocation.objects.select_related("desa__kecamatan"))
            )
        )

    def get_ordering(self, request):
        # The review queue reads top-down: oldest submission first, never-submitted last.
        from django.db.models import F

        return [F("submitted_at").asc(nulls_last=True), "pk"]

    def has_change_permission(self, request, obj=None):
        # Programs change through the workflow (review screen, actions), never by editing fields.
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("kecamatan"))
    def kecamatan_list(self, obj):
        return ", ".join(sorted({loc.desa.kecamatan.nama for loc in obj.locations.all()}))

    @admin.display(description=_("budget"), ordering="budget")
    def budget_display(self, obj):
        return rupiah(obj.budget)

    @admin.display(description=_("review"))
    def review_link(self, obj):
        url = reverse("admin:programs_program_review", args=[obj.pk])
        label = _("Review") if obj.status == Program.Status.SUBMITTED else _("Open")
        return format_html('<a class="button" href="{}">{}</a>', url, label)

    @admin.action(description=_("Approve the selected submitted programs"))
    def approve_selected(self, request, queryset):
        approved, refused = 0, []
        for program in queryset:
            try:
                services.program_approve(
                    program=program, actor=request.user, expected_status=Program.Status.SUBMITTED
                )
                approved += 1
            except services.ProgramError as exc:
                refused.append(f"{program.title}: {exc}")
        if approved:
            self.message_user(
                request,
                ngettext("%(count)d program approved.", "%(count)d programs approved.", approved)
                % {"count": approved},
                messages.SUCCESS,
            )
        for line in refused:
            self.message_user(request, line, messages.WARNING)

    def get_urls(self):
        return [
            path(
                "<int:pk>/review/",
                self.admin_site.admin_view(self.review_view),
                name="programs_program_review",
            ),
            *super().get_urls(),
        ]

    def review_view(self, request, pk):
        program = Program.objects.select_related("company", "company__kecamatan").filter(pk=pk).first()
        if program is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, str(pk))
        form = DecisionForm(request.POST or None, initial={"expected_status": program.status})
        if request.method == "POST" and form.is_valid():
            service = services.DINSOS_DECISIONS[form.cleaned_data["action"]]
            try:
                service(
                    program=program,
                    actor=request.user,
                    note=form.cleaned_data["note"],
                    expected_status=form.cleaned_data["expected_status"],
                )
            except services.ProgramError as exc:
                self.message_user(request, str(exc), messages.ERROR)
                return redirect("admin:programs_program_review", pk=pk)
            self.message_user(
                request,
                _("Decision recorded: %(title)s is now %(status)s.")
                % {"title": program.title, "status": program.get_status_display()},
                messages.SUCCESS,
            )
            return redirect("admin:programs_program_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Review: %(title)s") % {"title": program.title},
            "program": program,
            "locations": program.locations.select_related("desa__kecamatan").order_by("desa__kode"),
            "events": program.events.select_related("actor"),
            "attachments": program.attachments.all(),
            "overlaps": selectors.program_overlaps(program=program),
            "preview": selectors.targeting_preview(program=program),
            "form": form,
            "can_decide": program.status == Program.Status.SUBMITTED,
        }
        return TemplateResponse(request, "admin/programs/program/review.html", context)


@admin.register(BidangRule)
class BidangRuleAdmin(admin.ModelAdmin):
    """Dinsos decides per bidang how long a confirmed household is kept from another program of it."""

    list_display = ["bidang", "repeat_allowed", "exclusion_years", "updated_at"]
    list_editable = ["repeat_allowed", "exclusion_years"]
    readonly_fields = ["bidang"]

    def has_add_permission(self, request):
        return False  # one rule per bidang, created by migration

    def has_delete_permission(self, request, obj=None):
        return False


class HouseholdLedgerInline(admin.TabularInline):
    """Every program a household was proposed, confirmed or delivered for (the household ledger)."""

    model = Beneficiary
    fk_name = "household"
    fields = ["program_link", "company", "bidang", "tahun", "state", "delivered_on", "delivered_value"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = _("assistance")
    verbose_name_plural = _("assistance ledger")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("program__company")
            .order_by("-program__tahun", "-pk")
        )

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

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


# poverty_data does not know programs; programs adds its ledger to the household admin page.
_household_admin = admin.site._registry[Household]
_household_admin.inlines = [*_household_admin.inlines, HouseholdLedgerInline]
