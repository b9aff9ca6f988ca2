from django.contrib import admin

from companies.models import Company


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "legal_form", "nib", "kecamatan", "sector", "status", "created_at"]
    list_filter = ["status", "legal_form", "kecamatan"]
    list_select_related = ["kecamatan"]
    search_fields = ["name", "nib", "npwp"]
    readonly_fields = ["status", "status_note", "verified_by", "verified_at", "created_at", "updated_at"]
