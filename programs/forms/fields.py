"""Fields the programs forms share: rupiah amounts typed the Indonesian way, and checked attachments."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tslp_portal.params import ascii_int
from tslp_portal.uploads import upload_content_ok

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ALLOWED_EXTENSIONS = {".pdf", ".xlsx", ".docx", ".jpg", ".jpeg", ".png"}


class RupiahInput(forms.TextInput):
    """Shows whole rupiah with thousands separators (1.250.000) and a numeric keyboard on phones."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "numeric", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, int):
            return f"{value:,}".replace(",", ".")
        return super().format_value(value)


class RupiahField(forms.Field):
    widget = RupiahInput
    default_error_messages = {
        "invalid": _("Type an amount in whole rupiah, e.g. 150.000.000."),
        "negative": _("The amount cannot be negative."),
        "too_large": _("That amount is too large."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int):
            return value
        text = str(value).strip()
        if text.startswith("-"):
            raise ValidationError(self.error_messages["negative"], code="negative")
        text = re.sub(r"^rp\.?", "", text, flags=re.IGNORECASE).strip()
        text = re.sub(r",-?$|,00$", "", text)  # "150.000,-" and "150.000,00" are common ways to write it
        digits = text.replace(".", "").replace(" ", "")
        amount = ascii_int(digits)
        if amount is None and not (digits.isascii() and digits.isdigit()):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if amount is None or amount > 10**15:
            raise ValidationError(self.error_messages["too_large"], code="too_large")
        return amount


def file_looks_like(upload, extension: str) -> bool:
    """Check the file's content is what its extension says (parsed, decoded, unzipped within limits)."""
    return upload_content_ok(upload, extension)


def validate_attachment(upload) -> None:
    name = upload.name or ""
    extension = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if extension not in ALLOWED_EXTENSIONS:
        raise ValidationError(
            _("Only PDF, Excel (.xlsx), Word (.docx), JPG and PNG files can be attached."), code="extension"
        )
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            _("The file is %(size)s MB; at most %(max)s MB can be attached.")
            % {"size": round(upload.size / 1024 / 1024, 1), "max": MAX_ATTACHMENT_BYTES // 1024 // 1024},
            code="size",
        )
    if not file_looks_like(upload, extension):
        raise ValidationError(
            _(
                "The content of this file does not match its type %(ext)s. Save it again as a real %(ext)s file."
            )
            % {"ext": extension},
            code="disguised",
        )


DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]


class IndonesianDateInput(forms.DateInput):
    """A date typed as 26/11/2026 whatever the browser's language (a native date picker would show the
    browser's own order, e.g. mm/dd/yyyy in an English browser)."""

    def __init__(self, attrs=None):
        super().__init__(
            {"inputmode": "numeric", "autocomplete": "off", "placeholder": _("dd/mm/yyyy"), **(attrs or {})},
            format="%d/%m/%Y",
        )


# The shape of DATE_INPUT_FORMATS, whatever the numbers: such a text that does not parse is a date that does
# not exist (31/02/2027), not one written the wrong way.
DATE_SHAPE = re.compile(r"[0-9]{1,2}([/.-])[0-9]{1,2}\1[0-9]{4}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}")


class IndonesianDateField(forms.DateField):
    widget = IndonesianDateInput
    input_formats = DATE_INPUT_FORMATS
    default_error_messages = {
        "invalid": _("Write the date as DD/MM/YYYY, e.g. 26/11/2026."),
        "nonexistent": _("The date %(value)s does not exist."),
    }

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            text = str(value).strip()
            if DATE_SHAPE.fullmatch(text):
                raise ValidationError(
                    self.error_messages["nonexistent"], code="nonexistent", params={"value": text}
                ) from None
            raise
