from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from poverty_data.models import Desa, Kecamatan


class DesaInline(admin.TabularInline):
    model = Desa
    fields = ["kode", "nama", "jenis"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


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
