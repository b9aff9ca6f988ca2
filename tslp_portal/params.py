"""Whole numbers typed by users (query strings, ids in paths): ASCII digits only.

``str.isdigit()`` is true for superscripts and circled numbers (``²⁰²⁶``, ``①``) that ``int()`` refuses, and
``int()`` reads Arabic-Indic digits and surrounding spaces that a URL should not carry. Every view, API view,
filter and download that reads a number from the request reads it through :func:`ascii_int`. A paginated
list's page links keep its filters through :func:`query_without_page`.
"""

import re

import django_filters
from django import forms
from drf_spectacular.utils import extend_schema_field

# 18 digits always fit a 64-bit integer (a database id, a page number): longer input is not a number we use.
_DIGITS = re.compile(r"[0-9]{1,18}")
LARGEST = 10**18 - 1


def ascii_int(value) -> int | None:
    """``value`` as an int when it is 1 to 18 ASCII digits, otherwise None."""
    if isinstance(value, str) and _DIGITS.fullmatch(value):
        return int(value)
    return None


def query_without_page(request) -> str:
    """The request's query string without ``page``: what a paginated list's page links carry (its filters)."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def query_int(request, name: str, *, default: int) -> int:
    """The query parameter ``name`` as an int; ``default`` when it is missing or empty.

    Raises ValueError when it is anything but ASCII digits: the caller decides between a 400 and the default.
    """
    value = request.GET.get(name, "")
    if value == "":
        return default
    number = ascii_int(value)
    if number is None:
        raise ValueError(name)
    return number


class AsciiIntegerField(forms.IntegerField):
    """``forms.IntegerField`` that accepts ASCII digits only (for filters of query strings)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        number = ascii_int(str(value))
        if number is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number


@extend_schema_field({"type": "integer", "minimum": 0, "maximum": LARGEST})
class WholeNumberFilter(django_filters.NumberFilter):
    """``django_filters.NumberFilter`` on :class:`AsciiIntegerField`: a year, a desil, an id."""

    field_class = AsciiIntegerField
