"""Formatting the way people in Pulang Pisau read it: Rp 1.250.000, 26 November 2026."""

from django import template

from tslp_portal import numbers

register = template.Library()


@register.filter
def rupiah(value):
    """Whole rupiah with Indonesian thousands separators: 1250000 -> "Rp 1.250.000"."""
    try:
        return numbers.rupiah(value)
    except (TypeError, ValueError):
        return value


@register.filter
def angka(value):
    """A whole number with Indonesian thousands separators: 1083 -> "1.083"."""
    try:
        return numbers.whole(value)
    except (TypeError, ValueError):
        return value


@register.filter
def persen(value):
    """A ratio 0-1 as a percentage, one decimal rounded half up: 0.3605 -> "36,1%"."""
    return numbers.percent(value)


@register.filter
def bootstrap(bound_field):
    """Render a form field's widget with Bootstrap classes, marked invalid when it has errors."""
    widget = bound_field.field.widget
    input_type = getattr(widget, "input_type", None)
    if input_type in {"checkbox", "radio"}:
        css = "form-check-input"
    elif input_type == "select" or widget.__class__.__name__.endswith("Select"):
        css = "form-select"
    else:
        css = "form-control"
    existing = widget.attrs.get("class", "")
    classes = " ".join(filter(None, [existing, css, "is-invalid" if bound_field.errors else ""]))
    attrs = {"class": classes}
    if bound_field.errors:
        attrs["aria-invalid"] = "true"
    return bound_field.as_widget(attrs=attrs)
