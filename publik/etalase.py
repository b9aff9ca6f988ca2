"""``/publik/etalase/``: what the desa asked for and what is still to fund. A need holds no personal data."""

from django.core.paginator import Paginator
from django.shortcuts import render

from etalase.forms import EtalaseFilterForm
from etalase.models import Need
from etalase.selectors import need_list
from tslp_portal.params import query_without_page


def etalase(request):
    form = EtalaseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    filters.pop("ring", None)
    if filters.get("status") not in Need.PUBLIC_STATUSES:
        filters.pop("status", None)
    needs = need_list(needs=Need.objects.public(), filters=filters)
    page = Paginator(needs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "publik/etalase.html",
        {"form": form, "page_obj": page, "needs": page.object_list, "query": query_without_page(request)},
    )
