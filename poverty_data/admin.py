import re

from django.contrib import admin
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from poverty_data.models import Desa, Household, HouseholdChange, ImportBatch, Kecamatan, Member
from tslp_portal.admin_mixins import DinsosOnlyAdminMixin, ReadOnlyAdminMixin
from tslp_portal.params import ascii_int


class DesaInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Desa
    fields = ["kode", "nama", "jenis"]
    readonly_fields = fields
    show_change_link = True


@admin.register(Kecamatan)
class KecamatanAdmin(admin.ModelAdmin):
    list_display = ["kode", "nama", "desa_count"]
    search_fields = ["kode", "nama"]
    readonly_fields = ["kode", "kabupaten_kode", "centroid_lat", "centroid_lng"]
    exclude = ["boundary"]
    inlines = [DesaInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_desa_count=Count("desa_set"))

    @admin.display(description=_("desa/kelurahan"), ordering="_desa_count")
    def desa_count(self, obj):
        return obj._desa_count


@admin.register(Desa)
class DesaAdmin(admin.ModelAdmin):
    list_display = ["kode", "nama", "jenis", "kecamatan"]
    list_filter = ["jenis", "kecamatan"]
    list_select_related = ["kecamatan"]
    search_fields = ["kode", "nama"]
    readonly_fields = ["kode", "kecamatan", "centroid_lat", "centroid_lng"]
    exclude = ["boundary"]


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    pass


class MemberInline(ReadOnlyInline):
    model = Member
    fields = ["nik", "nama", "hubungan", "jenis_kelamin", "tanggal_lahir"]
    readonly_fields = fields


class HouseholdChangeInline(ReadOnlyInline):
    model = HouseholdChange
    fields = ["kind", "batch_link", "batch_period", "batch_date"]
    readonly_fields = fields
    verbose_name_plural = _("import history")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("batch").order_by("-batch__created_at", "-id")

    @admin.display(description=_("import batch"))
    def batch_link(self, obj):
        url = reverse("admin:poverty_data_importbatch_change", args=[obj.batch_id])
        return format_html('<a href="{}">{}</a>', url, obj.batch.get_source_display())

    @admin.display(description=_("period"))
    def batch_period(self, obj):
        return obj.batch.period

    @admin.display(description=_("date"))
    def batch_date(self, obj):
        return obj.batch.created_at


class NeedsFilter(admin.SimpleListFilter):
    title = _("needs")
    parameter_name = "needs"

    def lookups(self, request, model_admin):
        return [
            ("house", _("uninhabitable house")),
            ("water", _("no clean water")),
            ("toilet", _("no toilet")),
            ("any", _("at least one need")),
            ("none", _("no needs")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value in {"house", "water", "toilet"}:
            return queryset.filter(**{f"needs_{value}": True})
        if value == "any":
            return queryset.filter(needs_count__gt=0)
        if value == "none":
            return queryset.filter(needs_count=0)
        return queryset


class DesilFilter(admin.SimpleListFilter):
    """Desil 1-10 and unranked from a fixed list: no ``SELECT DISTINCT desil`` over the registry per page."""

    title = _("desil")
    parameter_name = "desil"

    def lookups(self, request, model_admin):
        return [(str(number), str(number)) for number in range(1, 11)] + [("none", _("without desil"))]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "none":
            return queryset.filter(desil__isnull=True)
        number = ascii_int(value)
        return queryset if number is None else queryset.filter(desil=number)


class KecamatanFilter(admin.SimpleListFilter):
    """Kecamatan by name only: the plain related filter loads every kecamatan with its boundary shape."""

    title = _("kecamatan")
    parameter_name = "desa__kecamatan__id__exact"

    def lookups(self, request, model_admin):
        return [(str(pk), nama) for pk, nama in Kecamatan.objects.order_by("nama").values_list("pk", "nama")]

    def queryset(self, request, queryset):
        number = ascii_int(self.value())
        return queryset if number is None else queryset.filter(desa__kecamatan_id=number)


class DesaFilter(admin.SimpleListFilter):
    """Desa of the chosen kecamatan, by name only, without boundary shapes; shown once a kecamatan is chosen
    (a hundred desa links cost more to render than the search itself)."""

    title = _("desa/kelurahan")
    parameter_name = "desa__id__exact"

    def lookups(self, request, model_admin):
        kecamatan = ascii_int(request.GET.get(KecamatanFilter.parameter_name, ""))
        if kecamatan is None:
            return []
        desa = Desa.objects.filter(kecamatan_id=kecamatan).order_by("nama")
        return [(str(pk), nama) for pk, nama in desa.values_list("pk", "nama")]

    def queryset(self, request, queryset):
        number = ascii_int(self.value())
        return queryset if number is None else queryset.filter(desa_id=number)


class CappedCountPaginator(Paginator):
    """Counts at most ``CAP`` rows: an exact count of a million-row registry costs more than the page."""

    CAP = 10_000

    @cached_property
    def count(self):
        return self.object_list[: self.CAP + 1].count()

    @property
    def capped(self) -> bool:
        """The count stopped at the cap: the list shows "more than 10.000", never the CAP + 1 it counted."""
        return self.count > self.CAP

    def capped_text(self) -> str:
        return _("more than %(cap)s") % {"cap": number_format(self.CAP, force_grouping=True)}


IDENTITY = re.compile(r"\d{16}")
MEMBER_MATCHES = 1000


@admin.register(Household)
class HouseholdAdmin(DinsosOnlyAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """The registry for Dinsos: search, filter, and read a household with its members and import history.

    Households change only through imports, so the admin is read-only.
    """

    list_display = [
        "no_kk",
        "nik_kepala",
        "nama_kepala",
        "desa",
        "kecamatan",
        "desil",
        "needs_count",
        "is_active",
    ]
    list_filter = [
        "is_active",
        DesilFilter,
        NeedsFilter,
        # Not "related only" (it would scan the whole registry for its distinct desa), and names only.
        KecamatanFilter,
        DesaFilter,
        "source",
        "receives_pkh",
        "receives_bpnt",
        "receives_pbi_jkn",
        "receives_rtlh",
        "has_elderly",
        "has_disabled",
        "has_toddler",
        "has_school_age",
    ]
    list_select_related = ["desa__kecamatan"]
    search_fields = ["nama_kepala"]  # see get_search_results
    search_help_text = _("No. KK or NIK (all 16 digits), or part of a name.")
    paginator = CappedCountPaginator
    show_full_result_count = False
    list_per_page = 50
    inlines = [MemberInline, HouseholdChangeInline]
    fieldsets = [
        (None, {"fields": ["no_kk", "nik_kepala", "nama_kepala", "is_active"]}),
        (_("Address"), {"fields": ["alamat", "rt", "rw", "dusun", "desa"]}),
        (
            _("Ranking and source"),
            {"fields": ["desil", "source", "source_id", "member_count", "first_batch", "last_batch"]},
        ),
        (
            _("Government assistance"),
            {"fields": ["receives_pkh", "receives_bpnt", "receives_pbi_jkn", "receives_rtlh"]},
        ),
        (
            _("Housing"),
            {"fields": ["roof", "wall", "floor", "drinking_water", "lighting", "toilet", "house_ownership"]},
        ),
        (_("Needs"), {"fields": ["needs_house", "needs_water", "needs_toilet", "needs_count"]}),
        (_("Vulnerability"), {"fields": ["has_elderly", "has_disabled", "has_toddler", "has_school_age"]}),
        (_("Dates"), {"fields": ["created_at", "updated_at"]}),
    ]

    def lookup_allowed(self, lookup, value, request=None):
        if lookup in (KecamatanFilter.parameter_name, DesaFilter.parameter_name):
            return True
        return super().lookup_allowed(lookup, value, request)

    def get_queryset(self, request):
        # The list shows desa and kecamatan names: never load their boundary shapes for 50 rows.
        return super().get_queryset(request).defer("desa__boundary", "desa__kecamatan__boundary")

    def get_search_results(self, request, queryset, search_term):
        """A 16-digit query looks up the indexed identity columns exactly; anything else searches names.

        Both avoid Django's default (``iexact`` ORed with ``icontains`` across a join to members, then a
        ``DISTINCT`` over every column), which made PostgreSQL scan the whole registry: an identity lookup is
        a union of three index lookups, a name search the trigram indexes of migration 0008.
        """
        term = search_term.strip().replace(" ", "")
        if not search_term.strip():
            return queryset, False
        if IDENTITY.fullmatch(term):
            ids = set(Household.objects.filter(no_kk=term).values_list("pk", flat=True))
            ids |= set(Household.objects.filter(nik_kepala=term).values_list("pk", flat=True))
            ids |= set(Member.objects.filter(nik=term).values_list("household_id", flat=True))
            return queryset.filter(pk__in=ids), False
        name = search_term.strip()
        members = list(
            Member.objects.filter(nama__icontains=name).values_list("household_id", flat=True)[
                :MEMBER_MATCHES
            ]
        )
        return queryset.filter(Q(nama_kepala__icontains=name) | Q(pk__in=members)), False

    @admin.display(description=_("kecamatan"), ordering="desa__kecamatan__nama")
    def kecamatan(self, obj):
        return obj.desa.kecamatan

    def personal_rows(self, request, object_id) -> int:
        household_id = ascii_int(object_id)
        return 1 + (0 if household_id is None else Member.objects.filter(household_id=household_id).count())


@admin.register(ImportBatch)
class ImportBatchAdmin(DinsosOnlyAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Every import with its counts and rejected rows; new imports start from the upload page."""

    personal_data = False  # counts and messages; the rejected rows are only in the logged download

    list_display = [
        "created_at",
        "source",
        "period",
        "file_name",
        "state",
        "dry_run",
        "rows_read",
        "created_count",
        "updated_count",
        "unchanged_count",
        "deactivated_count",
        "rejected_count",
        "created_by",
    ]
    list_filter = ["source", "state", "dry_run"]
    list_select_related = ["created_by"]
    search_fields = ["file_name", "period", "checksum"]
    exclude = ["errors", "stored_file", "stored_member_file", "summary", "period_order"]
    readonly_fields = [
        "source",
        "period",
        "file_name",
        "member_file_name",
        "file_size",
        "checksum",
        "dry_run",
        "strict",
        "state",
        "message",
        "created_by",
        "created_at",
        "finished_at",
        "progress",
        "rows_read",
        "created_count",
        "updated_count",
        "unchanged_count",
        "deactivated_count",
        "rejected_count",
        "unknown_columns",
        "duration",
        "complete",
        "desa_count",
        "source_active_count",
        "unranked_count",
        "mass_deactivation_confirmed",
        "undone_at",
        "undone_by",
        "import_page",
        "errors_download",
    ]

    @admin.display(description=_("import page"))
    def import_page(self, obj):
        url = reverse("registry:import_detail", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Summary per kecamatan, apply or undo"))

    @admin.display(description=_("rejected rows"))
    def errors_download(self, obj):
        if not obj.errors:
            return "—"
        # The one download of rejected rows (named, logged), the import page's.
        url = reverse("registry:import_errors", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download the rejected rows (Excel)"))
