from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from poverty_data.models import ImportBatch


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("Excel workbook (.xlsx) or CSV as exported from SIKS-NG (DTKS), DTSEN or P3KE."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    source = forms.ChoiceField(label=_("Source"), choices=ImportBatch.Source.choices)
    period = forms.CharField(
        label=_("Period"), max_length=40, help_text=_("For example 2026-03 or “Maret 2026”.")
    )
    strict = forms.BooleanField(
        label=_("Refuse the whole file if any row is invalid"), required=False, initial=False
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.TSLP_IMPORT_MAX_UPLOAD
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s; split it per kabupaten.")
                % {"limit": filesizeformat(limit)}
            )
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Upload an Excel workbook (.xlsx) or a CSV file."))
        return upload
