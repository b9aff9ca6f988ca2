from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cycle.models import ObligatedCompany
from tslp_portal.forms import TextLimitsMixin

MAX_REGISTER_UPLOAD = 20 * 1024**2


class RegisterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "Excel workbook (.xlsx) or CSV with at least the columns NIB and NAMA PERUSAHAAN (or NAMA PELAKU "
            "USAHA); KBLI, ALAMAT USAHA, KECAMATAN, EMAIL and TELEPON are read when present."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    source = forms.ChoiceField(
        label=_("Source"),
        choices=[c for c in ObligatedCompany.Source.choices if c[0] != ObligatedCompany.Source.MANUAL],
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_REGISTER_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 20 MB; a register list is much smaller."))
        return upload


class ExemptForm(TextLimitsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for the exemption"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("e.g. no operations in Pulang Pisau, below the obligation threshold, closed."),
    )


class InviteForm(forms.Form):
    days = forms.IntegerField(label=_("Link valid for (days)"), min_value=1, max_value=90, initial=30)


def year_choices() -> list[tuple[int, int]]:
    this_year = timezone.localdate().year
    return [(year, year) for year in range(this_year + 1, this_year - 6, -1)]


def selected_year(params, default: int) -> int:
    """The ``tahun`` of the query string (or form) when it is a plausible budget year, else ``default``."""
    try:
        tahun = int(params.get("tahun", default))
    except (TypeError, ValueError):
        return default
    return tahun if 2020 <= tahun <= 2100 else default
