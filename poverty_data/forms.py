from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from poverty_data.importing.periods import period_parse
from poverty_data.importing.readers import ImportRefused, ods_message, xls_message
from poverty_data.models import ImportBatch


def _checked_upload(upload):
    """A registry file within the size limit, .xlsx or .csv."""
    limit = settings.TSLP_IMPORT_MAX_UPLOAD
    if upload.size > limit:
        raise forms.ValidationError(
            _("The file is larger than %(limit)s; split it per kabupaten.") % {"limit": filesizeformat(limit)}
        )
    name = upload.name.lower()
    if name.endswith((".ods", ".fods")):
        raise forms.ValidationError(ods_message())
    if name.endswith(".xls"):
        raise forms.ValidationError(xls_message())
    if not name.endswith((".xlsx", ".csv")):
        raise forms.ValidationError(_("Upload an Excel workbook (.xlsx) or a CSV file."))
    return upload


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "Excel workbook (.xlsx) or CSV as exported from SIKS-NG (DTKS), DTSEN or P3KE; for DTSEN, the "
            "family file."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    member_file = forms.FileField(
        label=_("DTSEN member file (optional)"),
        required=False,
        help_text=_(
            "The member file exported with the DTSEN family file above: both are checked and applied together, "
            "as one import that one undo takes back."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    source = forms.ChoiceField(label=_("Source"), choices=ImportBatch.Source.choices)
    period = forms.CharField(
        label=_("Period"),
        max_length=40,
        help_text=_("For example 2026, 2026-03, “Maret 2026”, 2026-Q2, 2025-III or 2026-S1."),
    )
    complete = forms.BooleanField(
        label=_("Complete regency file"),
        required=False,
        initial=False,
        help_text=_(
            "Tick only when the file holds every household of this source in the whole kabupaten: households "
            "missing from it are then deactivated in every desa. Otherwise only in the desa the file covers."
        ),
    )
    strict = forms.BooleanField(
        label=_("Refuse the whole file if any row is invalid"), required=False, initial=False
    )

    def clean_period(self):
        try:
            return period_parse(self.cleaned_data["period"]).label
        except ImportRefused as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_file(self):
        return _checked_upload(self.cleaned_data["file"])

    def clean_member_file(self):
        upload = self.cleaned_data.get("member_file")
        return _checked_upload(upload) if upload else None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("member_file") and cleaned.get("source") != ImportBatch.Source.DTSEN:
            self.add_error(
                "member_file",
                _(
                    "A member file goes with a DTSEN family file: choose DTSEN as the source, or upload it alone."
                ),
            )
        return cleaned


class ImportApplyForm(forms.Form):
    """Applying a checked file; when it deactivates many households, Dinsos types their number."""

    confirmation = forms.CharField(
        label=_("Number of households to deactivate"), required=False, max_length=20
    )

    def __init__(self, *args, batch: ImportBatch, **kwargs):
        super().__init__(*args, **kwargs)
        self.batch = batch
        if batch.needs_confirmation:
            self.fields["confirmation"].required = True
            self.fields["confirmation"].help_text = _(
                "Type %(count)s to confirm that these households leave the active registry."
            ) % {"count": batch.deactivated_count}
        else:
            del self.fields["confirmation"]

    def clean_confirmation(self):
        typed = "".join(char for char in self.cleaned_data["confirmation"] if char.isdigit())
        if typed != str(self.batch.deactivated_count):
            raise forms.ValidationError(
                _("Type the number of households that will be deactivated: %(count)s.")
                % {"count": self.batch.deactivated_count}
            )
        return typed
