"""Showing suppressed figures: "<5" as it is, a hidden cell as a dash with its reason."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from tslp_portal import numbers

register = template.Library()


@register.filter
def count(value):
    if value is None:
        return format_html(
            '<span title="{}">–</span>', _("Hidden so that a small count cannot be worked out")
        )
    if isinstance(value, str):
        return value
    return numbers.whole(value)


@register.filter
def percent(value):
    return numbers.percent(value)
