from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from etalase.models import Adoption, Need, NeedEvent, RingDesa
from etalase.services import NeedError, need_approve, ring_desa_confirm
from tslp_portal.admin_mixins import ReadOnlyAdminMixin


class NeedEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = NeedEvent
    fields = ["created_at", "actor", "action", "from_status", "to_status", "note"]
    readonly_fields = fields
    verbose_name_plural = _("History")


class AdoptionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Adoption
    fields = ["program", "created_by", "created_at"]
    readonly_fields = fields


@admin.register(Need)
class NeedAdmin(admin.ModelAdmin):
    """Status changes go through the pages' services (approve also here, in bulk); a need with adoptions
    cannot be deleted."""

    list_display = ["title", "kecamatan", "desa", "bidang", "budget", "priority", "status", "created_at"]
    list_filter = ["status", "bidang", "source", "priority", "kecamatan"]
    list_select_related = ["kecamatan", "desa"]
    search_fields = ["title", "source_ref", "desa__nama"]
    readonly_fields = ["status", "reject_reason", "created_by", "created_at", "updated_at"]
    raw_id_fields = ["desa"]
    inlines = [AdoptionInline, NeedEventInline]
    actions = ["approve_selected"]

    def has_add_permission(self, request):
        return False  # through the page, which records the history

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.adoptions.exists():
            return False
        return super().has_delete_permission(request, obj)

    @admin.action(description=_("Approve the selected proposals"))
    def approve_selected(self, request, queryset):
        done = 0
        for need in queryset.filter(status=Need.Status.PROPOSED):
            try:
                need_approve(need=need, actor=request.user)
                done += 1
            except NeedError as exc:
                self.message_user(request, f"{need}: {exc}", messages.ERROR)
        self.message_user(request, _("%(count)s needs approved.") % {"count": done})


@admin.register(RingDesa)
class RingDesaAdmin(admin.ModelAdmin):
    list_display = ["company", "desa", "confirmed_at", "confirmed_by"]
    list_filter = [("confirmed_at", admin.EmptyFieldListFilter)]
    list_select_related = ["company", "desa", "confirmed_by"]
    search_fields = ["company__name", "desa__nama"]
    readonly_fields = ["confirmed_at", "confirmed_by"]
    raw_id_fields = ["company", "desa"]
    actions = ["confirm_selected"]

    @admin.action(description=_("Confirm the selected ring-1 desa"))
    def confirm_selected(self, request, queryset):
        try:
            count = ring_desa_confirm(ring_desas=queryset, actor=request.user)
        except NeedError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        self.message_user(request, _("%(count)s ring-1 desa confirmed.") % {"count": count})
