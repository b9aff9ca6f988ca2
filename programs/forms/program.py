"""Forms of the program itself: the company's program form, its confirmations and Dinsos' review decision."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from poverty_data.models import Desa, Kecamatan
from programs.forms.fields import IndonesianDateField, RupiahField, validate_attachment
from programs.models import Assistance, Need, Program, ProgramAttachment
from tslp_portal.forms import TextLimitsMixin


class DesaChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return obj.nama


class ProgramForm(TextLimitsMixin, forms.ModelForm):
    budget = RupiahField(label=_("Planned budget (Rp)"), help_text=_("Whole rupiah, e.g. 150.000.000."))
    value_per_household = RupiahField(
        label=_("Value per household (Rp)"), required=False, help_text=_("Leave empty if not per household.")
    )
    all_desa_of = forms.ModelMultipleChoiceField(
        label=_("All desa of these kecamatan"),
        queryset=Kecamatan.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A shortcut: every desa and kelurahan of the kecamatan you tick is added."),
    )
    locations = DesaChoiceField(label=_("Desa/kelurahan"), queryset=Desa.objects.none(), required=False)
    needs = forms.MultipleChoiceField(
        label=_("Needs targeted"), choices=Need.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    excluded_assistance = forms.MultipleChoiceField(
        label=_("Households already receiving this are excluded"),
        choices=Assistance.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    start_date = IndonesianDateField(label=_("Start date"), help_text=_("DD/MM/YYYY, e.g. 01/03/2027."))
    end_date = IndonesianDateField(label=_("End date"), help_text=_("DD/MM/YYYY, e.g. 30/11/2027."))
    proposal = forms.FileField(
        label=_("Proposal"),
        required=False,
        help_text=_("Needed before you submit. PDF, XLSX, DOCX, JPG or PNG, at most 10 MB."),
    )
    rab = forms.FileField(
        label=_("Budget plan (RAB)"),
        required=False,
        help_text=_("Needed before you submit. PDF, XLSX, DOCX, JPG or PNG, at most 10 MB."),
    )
    other_document = forms.FileField(
        label=_("Other document"),
        required=False,
        help_text=_("Optional: a map, a letter of support, photos."),
    )

    class Meta:
        model = Program
        fields = [
            "tahun",
            "title",
            "bentuk",
            "bidang",
            "description",
            "objective",
            "budget",
            "start_date",
            "end_date",
            "target_households",
            "max_desil",
            "needs",
            "excluded_assistance",
            "value_per_household",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "objective": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "max_desil": _("1 (poorest) to 10. Leave empty when the program does not target by welfare."),
            "target_households": _("How many households the program means to reach (0 if none)."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kabupaten = settings.TSLP_KABUPATEN_KODE
        self.fields["all_desa_of"].queryset = Kecamatan.objects.filter(kabupaten_kode=kabupaten)
        self.fields["locations"].queryset = Desa.objects.filter(
            kecamatan__kabupaten_kode=kabupaten
        ).select_related("kecamatan")
        if self.instance.pk:
            self.initial.setdefault(
                "locations", list(self.instance.locations.values_list("desa_id", flat=True))
            )
        else:
            self.initial.setdefault("tahun", timezone.localdate().year + 1)
        self.fields["tahun"].widget.attrs.update({"min": 2020, "max": 2100})

    def location_groups(self) -> list[dict]:
        """Desa grouped by kecamatan with what is ticked, so the template keeps what the user chose."""
        chosen_desa = {str(pk) for pk in (self["locations"].value() or [])}
        chosen_kecamatan = {str(pk) for pk in (self["all_desa_of"].value() or [])}
        groups: dict[int, dict] = {}
        for desa in self.fields["locations"].queryset:
            group = groups.setdefault(
                desa.kecamatan_id,
                {
                    "kecamatan": desa.kecamatan,
                    "all_checked": str(desa.kecamatan_id) in chosen_kecamatan,
                    "desa": [],
                    "count": 0,
                },
            )
            checked = str(desa.pk) in chosen_desa
            group["desa"].append({"desa": desa, "checked": checked})
            group["count"] += checked
        return list(groups.values())

    def clean_tahun(self):
        tahun = self.cleaned_data["tahun"]
        this_year = timezone.localdate().year
        if not this_year - 1 <= tahun <= this_year + 5:
            raise ValidationError(
                _("The budget year must be between %(first)s and %(last)s.")
                % {"first": this_year - 1, "last": this_year + 5}
            )
        return tahun

    def _clean_upload(self, name):
        upload = self.cleaned_data.get(name)
        if upload:
            validate_attachment(upload)
        return upload

    def clean_proposal(self):
        return self._clean_upload("proposal")

    def clean_rab(self):
        return self._clean_upload("rab")

    def clean_other_document(self):
        return self._clean_upload("other_document")

    def uploads(self) -> list[tuple]:
        """The files chosen in this form with their kind, for ``program_save``."""
        kinds = {
            "proposal": ProgramAttachment.Kind.PROPOSAL,
            "rab": ProgramAttachment.Kind.RAB,
            "other_document": ProgramAttachment.Kind.OTHER,
        }
        return [
            (self.cleaned_data[name], kind) for name, kind in kinds.items() if self.cleaned_data.get(name)
        ]

    def clean(self):
        cleaned = super().clean()
        desa = set(cleaned.get("locations") or [])
        for kecamatan in cleaned.get("all_desa_of") or []:
            desa.update(kecamatan.desa_set.all())
        if not desa and not self.has_error("locations"):
            self.add_error("locations", _("Choose at least one desa, or tick a whole kecamatan."))
        cleaned["all_locations"] = desa
        start, end, tahun = cleaned.get("start_date"), cleaned.get("end_date"), cleaned.get("tahun")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        if start and tahun and start.year not in {tahun - 1, tahun}:
            self.add_error(
                "start_date", _("The program should start in its budget year %(tahun)s.") % {"tahun": tahun}
            )
        if start and end and (end - start).days > 5 * 366:
            self.add_error("end_date", _("A program can run for at most five years."))
        value, budget = cleaned.get("value_per_household"), cleaned.get("budget")
        target = cleaned.get("target_households")
        if value and target and budget is not None and value * target > budget:
            self.add_error(
                "value_per_household",
                _("Value per household × target households is more than the planned budget."),
            )
        return cleaned


class DecisionForm(TextLimitsMixin, forms.Form):
    """A Dinsos decision on a submitted program (review screen)."""

    action = forms.ChoiceField(
        widget=forms.RadioSelect,
        choices=[
            ("approve", _("Approve")),
            ("request_revision", _("Request revision")),
            ("reject", _("Reject")),
        ],
    )
    note = forms.CharField(
        label=_("Note to the company"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    expected_status = forms.CharField(widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("action") in {"request_revision", "reject"}
            and not (cleaned.get("note") or "").strip()
        ):
            self.add_error("note", _("A note is required to request a revision or to reject."))
        return cleaned


class ConfirmForm(TextLimitsMixin, forms.Form):
    """Confirmation of a company action; carries the status the page was showing."""

    expected_status = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
