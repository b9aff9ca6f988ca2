import re

from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from companies.models import Company
from companies.services import IDENTITY_FIELDS, PROFILE_FIELDS
from poverty_data.models import Kecamatan
from tslp_portal.forms import TextLimitsMixin

DUPLICATE_NIB = _("This NIB is already registered. If it is your company, contact Dinsos.")
# People type identifiers the way they are printed: 01.234.567.8-901.000, 9120 0000 0000 1.
SEPARATORS = re.compile(r"[\s.\-/]")

phone_validator = RegexValidator(
    r"^\+?[0-9][0-9\s().-]{5,19}$",
    _("Enter a phone number of digits, e.g. 0513-61000 or +62 812 3456 7890."),
)


def _digits(value: str) -> str:
    return SEPARATORS.sub("", value or "")


class CompanyForm(TextLimitsMixin, forms.ModelForm):
    """The company's own data, used when it registers and when it edits its profile."""

    nib = forms.CharField(
        label=_("NIB"),
        max_length=30,
        help_text=_("Nomor Induk Berusaha from OSS, 13 digits."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    npwp = forms.CharField(
        label=_("NPWP"),
        max_length=30,
        help_text=_("15 or 16 digits; dots and dashes may be typed."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    class Meta:
        model = Company
        fields = PROFILE_FIELDS
        labels = {
            "name": _("Legal name of the company"),
            "kecamatan": _("Kecamatan where it operates"),
            "phone": _("Company phone"),
            "email": _("Company e-mail"),
        }
        help_texts = {
            "name": _("As in the deed of establishment, e.g. Sawit Kahayan Lestari."),
            "sector": _("e.g. palm-oil plantation, mining, banking, retail."),
        }
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"nib": {"unique": DUPLICATE_NIB}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kecamatan = self.fields["kecamatan"]
        kecamatan.queryset = Kecamatan.objects.filter(kabupaten_kode=settings.TSLP_KABUPATEN_KODE)
        kecamatan.empty_label = _("— choose a kecamatan —")
        self.fields["phone"].validators.append(phone_validator)
        if self.instance.pk and self.instance.identity_locked:
            for name in IDENTITY_FIELDS:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Verified by Dinsos; contact Dinsos to change it.")

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_nib(self):
        nib = _digits(self.cleaned_data["nib"])
        if not re.fullmatch(r"\d{13}", nib):
            raise ValidationError(_("NIB must be exactly 13 digits."), code="invalid")
        others = Company.objects.filter(nib=nib)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise ValidationError(DUPLICATE_NIB, code="unique")
        return nib

    def clean_npwp(self):
        npwp = _digits(self.cleaned_data["npwp"])
        if not re.fullmatch(r"\d{15}|\d{16}", npwp):
            raise ValidationError(_("NPWP must be 15 or 16 digits."), code="invalid")
        return npwp

    def validate_unique(self):
        # clean_nib already refused a duplicate with a message that reveals nothing about the other company.
        pass


class ContactAccountForm(TextLimitsMixin, forms.Form):
    """The account of the person who registers the company; they become its owner."""

    contact_name = forms.CharField(label=_("Your full name"), max_length=150)
    contact_phone = forms.CharField(
        label=_("Your phone"), max_length=20, required=False, validators=[phone_validator]
    )
    contact_email = forms.EmailField(label=_("Your e-mail"))
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Letters, digits and @ . + - _ only; used to log in."),
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits, not too common."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            # Said the same way for any username that cannot be had; registration is rate-limited per
            # address (TSLP_REGISTER_LIMIT), so the form is no tool to list the portal's accounts.
            raise ValidationError(_("This username cannot be used; choose another."), code="unavailable")
        return username

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords do not match."))
        elif password1:
            user = User(
                username=cleaned.get("username", ""),
                first_name=cleaned.get("contact_name", ""),
                email=cleaned.get("contact_email", ""),
            )
            try:
                validate_password(password1, user)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class MemberAddForm(TextLimitsMixin, forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=150)
    company_role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            (User.CompanyRole.EDITOR, _("Editor: keeps the profile and the programs")),
            (User.CompanyRole.FIELD, _("Field officer: only records deliveries of assigned programs")),
        ],
        initial=User.CompanyRole.EDITOR,
        required=False,
        widget=forms.RadioSelect,
    )
    email = forms.EmailField(label=_("E-mail"), help_text=_("The link to choose a password is sent here."))
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Letters, digits and @ . + - _ only; used to log in."),
    )

    def clean_company_role(self):
        return self.cleaned_data.get("company_role") or User.CompanyRole.EDITOR

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            # Said the same way for any username that cannot be had; registration is rate-limited per
            # address (TSLP_REGISTER_LIMIT), so the form is no tool to list the portal's accounts.
            raise ValidationError(_("This username cannot be used; choose another."), code="unavailable")
        return username


class DecisionForm(TextLimitsMixin, forms.Form):
    """The reason Dinsos gives when it rejects or suspends companies (sent to them by e-mail)."""

    note = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent to the company and shown on its profile."),
    )

    def __init__(self, *args, note_required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].required = note_required
        if not note_required:
            self.fields["note"].label = _("Note (optional)")
