"""Forms of the matching page: how to spread the target, why a household is removed or added by hand."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tslp_portal.forms import TextLimitsMixin


class ProposeForm(TextLimitsMixin, forms.Form):
    spread = forms.ChoiceField(
        label=_("How to spread the target over the desa"),
        choices=[
            ("proportional", _("In proportion to eligible households per desa")),
            ("ranked", _("The poorest of all desa together")),
        ],
        initial="proportional",
        widget=forms.RadioSelect,
    )


class ReasonForm(TextLimitsMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class AddForm(TextLimitsMixin, forms.Form):
    household = forms.IntegerField(widget=forms.HiddenInput)
    override_reason = forms.CharField(
        label=_("Reason for adding despite the rules"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
