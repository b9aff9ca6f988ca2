"""Forms of the realisation loop: the company's report with its documents, Dinsos' decision on it."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from programs.forms.fields import RupiahField, validate_attachment
from tslp_portal.forms import TextLimitsMixin

MAX_DOCUMENTS = 20


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class RealisationForm(TextLimitsMixin, forms.Form):
    period = forms.CharField(
        label=_("Period"), max_length=60, help_text=_("E.g. “March–June 2027” or “Tahap 1”.")
    )
    amount_spent = RupiahField(label=_("Amount spent (Rp)"), help_text=_("Whole rupiah, e.g. 150.000.000."))
    description = forms.CharField(label=_("What was delivered"), widget=forms.Textarea(attrs={"rows": 4}))
    documents = MultipleFileField(
        label=_("Documents and photos"),
        required=False,
        help_text=_("Receipts, handover minutes (berita acara), photos: PDF, XLSX, DOCX, JPG or PNG."),
    )
    is_final = forms.BooleanField(
        label=_("This is the final report"),
        required=False,
        help_text=_("Once Dinsos verifies the final report, the program is completed."),
    )

    def clean_documents(self):
        documents = self.cleaned_data.get("documents") or []
        if len(documents) > MAX_DOCUMENTS:
            raise ValidationError(
                _("Attach at most %(max)s files to one report.") % {"max": MAX_DOCUMENTS}, code="too_many"
            )
        for upload in documents:
            validate_attachment(upload)
        return documents


class RealisationDecisionForm(TextLimitsMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("verify", _("Verify")), ("return", _("Return for correction"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note for the company"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you return the report."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("note") or "").strip():
            self.add_error("note", _("Write a note that explains the decision to the company."))
        return data
