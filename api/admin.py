"""Dinsos issues and revokes API tokens here; a new token is shown once, in the confirmation message."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from api.models import ApiToken
from api.services import (
    MAX_DAYS,
    PERSONAL_DATA_MAX_DAYS,
    ApiTokenError,
    api_token_check,
    api_token_issue,
    api_token_revoke,
)
from tslp_portal.api import TokenScope


class ApiTokenIssueForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("scopes"),
        choices=TokenScope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Households need an account with the second sign-in step and a validity of at most %(max)s days."
        )
        % {"max": PERSONAL_DATA_MAX_DAYS},
    )
    days = forms.IntegerField(label=_("valid for (days)"), min_value=1, max_value=MAX_DAYS)

    class Meta:
        model = ApiToken
        fields = ["user", "name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = self.fields["user"].queryset.filter(is_active=True)

    def clean(self):
        cleaned = super().clean()
        user, scopes, days = cleaned.get("user"), cleaned.get("scopes"), cleaned.get("days")
        if user is not None and scopes and days is not None:
            try:
                api_token_check(user=user, scopes=scopes, days=days)
            except ApiTokenError as exc:
                raise forms.ValidationError(str(exc)) from exc
        return cleaned


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "prefix",
        "user",
        "name",
        "get_scopes_display",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
    ]
    list_filter = ["revoked_at", "expires_at"]
    list_select_related = ["user"]
    search_fields = ["user__username", "name", "prefix"]
    autocomplete_fields = ["user"]
    actions = ["revoke"]
    readonly_fields = [
        "user",
        "name",
        "get_scopes_display",
        "prefix",
        "created_by",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
    ]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ApiTokenIssueForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request, obj=None):
        return ["user", "name", "scopes", "days"] if obj is None else self.readonly_fields

    # A token never changes once issued: it is revoked and a new one issued instead.
    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return
        token, key = api_token_issue(
            user=form.cleaned_data["user"],
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            days=form.cleaned_data["days"],
            issued_by=request.user,
        )
        obj.pk = token.pk
        messages.warning(
            request,
            _("New token for %(user)s, scopes %(scopes)s (shown only now, copy it): %(key)s")
            % {"user": token.user, "scopes": ", ".join(token.scopes), "key": key},
        )

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset:
            api_token_revoke(token=token)
        messages.success(request, _("%(count)d token(s) revoked.") % {"count": len(queryset)})
