"""The review queue and review screen of submitted programs (Dinsos)."""

from django.contrib import admin, messages
from django.db.models import Prefetch
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from poverty_data.models import Kecamatan
from programs import services
from programs.forms.program import DecisionForm
from programs.models import Program, ProgramAttachment, ProgramEvent, ProgramLocation
from programs.selectors import matching as matching_selectors
from programs.selectors import program as selectors
from tslp_portal.admin_mixins import ReadOnlyAdminMixin
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


class ProgramEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ProgramEvent
    fields = ["created_at", "action", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields


class ProgramAttachmentInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ProgramAttachment
    fields = ["download", "kind", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields

    @admin.display(description=_("file"))
    def download(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.original_name)


@admin.register(Program)
class ProgramAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The review queue. Programs change through the workflow (review screen, actions), never by editing."""

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
            "preview": matching_selectors.targeting_preview(program=program),
            "form": form,
            "can_decide": "review" in services.program_actions(program, request.user),
        }
        return TemplateResponse(request, "admin/programs/program/review.html", context)
