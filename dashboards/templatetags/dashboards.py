"""Template filters for the dashboards: Indonesian numbers and the cells of a dashboard table."""

from django import template
from django.http import QueryDict

from dashboards.tables import cell_text

register = template.Library()


@register.filter
def angka(value):
    """A whole number the Indonesian way: 1469 -> "1.469"."""
    return cell_text(value, "int")


@register.filter
def persen(value):
    """A ratio 0-1 as a percentage: 0.425 -> "42,5%"; "-" without poor families."""
    return cell_text(value, "ratio")


@register.filter
def cell(row: dict, column):
    return cell_text(row.get(column.key), column.kind)


@register.simple_tag(takes_context=True)
def xlsx_url(context, slug: str) -> str:
    """The current page's URL with ``format=xlsx&tabel=<slug>`` (keeping year and poverty line)."""
    request = context["request"]
    query = QueryDict(mutable=True)
    query.update({"tahun": context["tahun"], "garis": context["garis"], "format": "xlsx", "tabel": slug})
    return f"{request.path}?{query.urlencode()}"


@register.filter
def raw(row: dict, column):
    return row.get(column.key)


@register.filter
def rupiah_text(value):
    return cell_text(value, "rupiah")
