from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.two_factor import ENROLMENT_CODE_VALIDITY, enrolment_code_issue


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
    actions = ["issue_enrolment_code"]

    @admin.action(description=_("Issue a second-factor enrolment code"))
    def issue_enrolment_code(self, request, queryset):
        """Each code is shown once, here; it replaces the account's earlier code."""
        for user in queryset.filter(is_active=True):
            code = enrolment_code_issue(user=user, issued_by=request.user)
            messages.warning(
                request,
                _(
                    "Enrolment code for %(user)s (shown only now, give it to them in person; valid %(days)s "
                    "days): %(code)s"
                )
                % {"user": user.username, "days": ENROLMENT_CODE_VALIDITY.days, "code": code},
            )


# The second factor in the back office: Dinsos sees who has one and resets it (delete) for a colleague who
# lost their phone. django-otp's own admin would also show a device's secret as a QR code: not offered.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


@admin.register(TOTPDevice, StaticDevice)
class SecondFactorAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "confirmed"]
    list_filter = ["confirmed"]
    list_select_related = ["user"]
    search_fields = ["user__username"]
    fields = ["user", "name", "confirmed"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
