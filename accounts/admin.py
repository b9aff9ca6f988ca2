from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "get_full_name", "email", "role", "kecamatan", "company", "is_active"]
    list_filter = ["role", "is_active", "kecamatan", "company_role"]
    list_select_related = ["kecamatan", "company"]
    search_fields = ["username", "first_name", "last_name", "email", "company__name"]
    autocomplete_fields = ["company"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Person"), {"fields": ["first_name", "last_name", "email", "phone"]}),
        (_("Role and scope"), {"fields": ["role", "kecamatan", "company", "company_role"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["username", "password1", "password2", "role", "kecamatan", "company"],
            },
        ),
    ]
    readonly_fields = ["last_login", "date_joined"]
