"""What every form of the portal shares: sane limits on text typed by users."""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# A long text (description, note, reason, address) is a few paragraphs, never megabytes.
LONG_TEXT_MAX_LENGTH = 5000


@deconstructible
class SingleLineValidator:
    """A one-line value (a title, a name) holds no line break, tab or other control character.

    Such values end up in mail subjects, Excel cells and file names, where a line break forges a header
    or splits a row.
    """

    message = _("Write this on one line, without line breaks, tabs or other control characters.")
    code = "single_line"

    def __call__(self, value):
        if any(unicodedata.category(ch) == "Cc" for ch in str(value)):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other):
        return isinstance(other, SingleLineValidator)


class TextLimitsMixin:
    """Give every one-line text field the single-line check and every text area a length limit."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not isinstance(field, forms.CharField) or isinstance(field.widget, forms.PasswordInput):
                continue
            if isinstance(field.widget, forms.Textarea):
                if field.max_length is None:
                    field.max_length = LONG_TEXT_MAX_LENGTH
                    field.validators.append(MaxLengthValidator(LONG_TEXT_MAX_LENGTH))
                    field.widget.attrs.setdefault("maxlength", str(LONG_TEXT_MAX_LENGTH))
            elif isinstance(field.widget, forms.TextInput | forms.EmailInput | forms.URLInput):
                field.validators.append(SingleLineValidator())
