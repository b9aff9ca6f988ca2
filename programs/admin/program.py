"""The review queue and review screen of submitted programs (Dinsos)."""

from django.contrib import admin, messages
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from poverty_data.models import Kecamatan
from programs import services
from programs.forms.program import DecisionForm
from programs.models import Program, ProgramAttachment, ProgramEvent, ProgramLocation
from programs.selectors import matching as matching_selectors
from programs.selectors import program as selectors
from tslp_portal.admin_mixins import ReadOnlyAdminMixin
from tslp_portal.params import ascii_int
from tslp_portal.templatetags.portal import rupiah


class KecamatanFilter(admin.SimpleListFilter):
    title = _("kecamatan")
    parameter_name = "kecamatan"

    def lookups(self, request, model_admin):
        return list(Kecamatan.objects.order_by("kode").values_list("pk", "nama"))

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

    # Fits a 1366 px screen beside the filters: the title opens the review screen (no extra button column).
    list_display_links = None
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
                Prefetch(
                    "locations",
                    queryset=ProgramLocation.objects.named(),
                )
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
        return format_html('<span class="text-nowrap">{}</span>', rupiah(obj.budget))

    @admin.display(description=_("company"), ordering="company__name")
    def company_name(self, obj):
        return obj.company.name

    @admin.display(description=_("submitted"), ordering="submitted_at")
    def submitted_on(self, obj):
        return date_format(timezone.localtime(obj.submitted_at), "j M Y") if obj.submitted_at else "–"

    def get_list_display(self, request):
        # The title links to the review screen and carries the queue's filters, so a decision returns to them.
        preserved = self.get_preserved_filters(request)

        @admin.display(description=_("program"), ordering="title")
        def title_link(obj):
            # Year, bidang and kecamatan under the title: the queue then fits 1366 px beside the filters.
            url = reverse("admin:programs_program_review", args=[obj.pk])
            return format_html(
                '<a href="{}{}">{}</a><div class="help">{} · {} · {}</div>',
                url,
                f"?{preserved}" if preserved else "",
                obj.title,
                obj.tahun,
                obj.get_bidang_display(),
                self.kecamatan_list(obj),
            )

        return [title_link, "company_name", "status", "budget_display", "submitted_on"]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # A program is read and decided on its review screen; the bare read-only form has nothing to add.
        program_id = ascii_int(object_id)
        if program_id is None:
            raise Http404
        url = reverse("admin:programs_program_review", args=[program_id])
        preserved = request.GET.get("_changelist_filters")
        return redirect(f"{url}?{urlencode({'_changelist_filters': preserved})}" if preserved else url)

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
            return self._after_decision(request, program)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Review: %(title)s") % {"title": program.title},
            "program": program,
            "locations": program.locations.named().order_by("desa__kode"),
            "events": program.events.select_related("actor"),
            "attachments": program.attachments.all(),
            "overlaps": selectors.program_overlaps(program=program),
            "preview": matching_selectors.targeting_preview(program=program),
            "form": form,
            "can_decide": "review" in services.program_actions(program, request.user),
            "queue_url": self._queue_url(request),
            "next_submission": self._next_submission(program),
        }
        return TemplateResponse(request, "admin/programs/program/review.html", context)

    def _queue_url(self, request) -> str:
        """The review queue with the filters the reviewer came from."""
        url = reverse("admin:programs_program_changelist")
        filters = request.GET.get("_changelist_filters", "")
        return f"{url}?{filters}" if filters else url

    def _next_submission(self, program: Program) -> Program | None:
        """The oldest submission waiting after this one (the queue's order)."""
        return (
            Program.objects.filter(status=Program.Status.SUBMITTED)
            .exclude(pk=program.pk)
            .order_by("submitted_at", "pk")
            .first()
        )

    def _after_decision(self, request, program: Program):
        if "_review_next" in request.POST:
            following = self._next_submission(program)
            if following is not None:
                url = reverse("admin:programs_program_review", args=[following.pk])
                query = request.GET.urlencode()
                return redirect(f"{url}?{query}" if query else url)
        return redirect(self._queue_url(request))
