"""Forms of the delivery page: one row per household, the filled-in list upload, the data-use terms."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from programs.forms.fields import (
    MAX_ATTACHMENT_BYTES,
    IndonesianDateField,
    IndonesianDateInput,
    RupiahField,
    RupiahInput,
    file_looks_like,
)
from programs.models import Beneficiary
from programs.services.delivery import DeliveryRow

B = Beneficiary.State
NOT_REPORTED = ""


def status_choices():
    choices = [(NOT_REPORTED, _("Not reported yet")), (B.DELIVERED, B.DELIVERED.label)]
    choices += [(reason.value, reason.label) for reason in Beneficiary.NotDeliveredReason]
    return choices


class DeliveryRowForm(forms.Form):
    """One household's row on the delivery page; the prefix is the beneficiary's id."""

    status = forms.ChoiceField(
        label=_("Delivery status"),
        choices=status_choices,
        required=False,
        widget=forms.Select(attrs={"class": "delivery-status", "data-field": "status"}),
    )
    delivered_on = IndonesianDateField(
        label=_("Date delivered"),
        required=False,
        widget=IndonesianDateInput(attrs={"class": "delivery-date", "data-field": "date"}),
    )
    value = RupiahField(
        label=_("Value delivered (Rp)"),
        required=False,
        widget=RupiahInput(attrs={"class": "delivery-value text-end", "data-field": "value"}),
    )

    def __init__(self, *args, beneficiary: Beneficiary, **kwargs):
        self.beneficiary = beneficiary
        if beneficiary.state == B.DELIVERED:
            status = B.DELIVERED
        elif beneficiary.state == B.NOT_DELIVERED:
            status = beneficiary.not_delivered_reason
        else:
            status = NOT_REPORTED
        initial = {
            "status": status,
            "delivered_on": beneficiary.delivered_on,
            "value": beneficiary.delivered_value,
        }
        super().__init__(*args, prefix=f"b{beneficiary.pk}", initial=initial, **kwargs)
        # One row per household: each field is named after its household for screen readers.
        for field in self.fields.values():
            field.widget.attrs["aria-label"] = f"{field.label} — {beneficiary.household.nama_kepala}"

    def clean(self):
        data = super().clean()
        if (
            data.get("status") == B.DELIVERED
            and not data.get("delivered_on")
            and "delivered_on" not in self.errors
        ):
            self.add_error("delivered_on", _("Give the date of delivery."))
        return data

    def to_row(self) -> DeliveryRow:
        status = self.cleaned_data["status"]
        if status == B.DELIVERED:
            state, reason = B.DELIVERED, ""
        elif status in Beneficiary.NotDeliveredReason.values:
            state, reason = B.NOT_DELIVERED, status
        else:
            state, reason = B.CONFIRMED, ""
        return DeliveryRow(
            beneficiary_id=self.beneficiary.pk,
            state=state,
            reason=reason,
            delivered_on=self.cleaned_data.get("delivered_on"),
            value=self.cleaned_data.get("value"),
        )


class DeliveryUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Filled-in beneficiary list (.xlsx)"),
        help_text=_("The Excel file downloaded from this page, with the delivery columns filled in."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith(".xlsx"):
            raise ValidationError(_("Upload the list as an Excel workbook (.xlsx)."), code="extension")
        if upload.size > MAX_ATTACHMENT_BYTES:
            raise ValidationError(_("The file is too large for a beneficiary list."), code="size")
        if not file_looks_like(upload, ".xlsx"):
            raise ValidationError(_("This file is not an Excel workbook (.xlsx)."), code="disguised")
        return upload


class TermsForm(forms.Form):
    accept = forms.BooleanField(
        label=_("I accept these terms for this program"),
        error_messages={"required": _("Tick the box to accept the terms.")},
    )
