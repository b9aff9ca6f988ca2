"""Showing suppressed figures: "<5" as it is, a hidden cell as a dash with its reason."""

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def count(value):
    if value is None:
        return format_html(
            '<span title="{}">–</span>', _("Hidden so that a small count cannot be worked out")
        )
    if isinstance(value, str):
        return value
    return number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)


@register.filter
def percent(value):
    if value is None:
        return "–"
    return f"{number_format(value * 100, decimal_pos=1, use_l10n=True)}%"
