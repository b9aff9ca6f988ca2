"""Coverage of the register for a budget year, the reminder of those missing, and the award table."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from accounts.mixins import RoleRequiredMixin
from accounts.models import User
from cycle.excel import award_workbook, coverage_workbook
from cycle.forms import selected_year, year_choices
from cycle.models import CycleYear
from cycle.selectors.award import award_ranking
from cycle.selectors.cache import register_cached
from cycle.selectors.compliance import current_tahun
from cycle.selectors.coverage import coverage, coverage_summary
from cycle.services.reminders import reminders_missing_send
from tslp_portal.excel import xlsx_response

SHOWN_MISSING = 100
READERS = frozenset({User.Role.DINSOS, User.Role.PIMPINAN})


class CoverageView(RoleRequiredMixin, View):
    """Dinsos and pimpinan: the share of obligated companies with a plan and a report, and who is missing."""

    allowed_roles = READERS

    def get(self, request):
        tahun = selected_year(request.GET, current_tahun())
        if request.GET.get("format") == "xlsx":
            return xlsx_response(coverage_workbook(coverage(tahun=tahun)), f"cakupan-tslp-{tahun}.xlsx")
        summary = register_cached(
            lambda: coverage_summary(tahun=tahun, shown=SHOWN_MISSING), "coverage", tahun, SHOWN_MISSING
        )
        context = {
            **summary,
            "hidden_missing": max(0, summary["missing_count"] - SHOWN_MISSING),
            "tahun": tahun,
            "years": year_choices(),
            "cycle": CycleYear.objects.filter(tahun=tahun).first(),
            "today": timezone.localdate(),
        }
        return render(request, "cycle/coverage/coverage.html", context)


class RemindMissingView(RoleRequiredMixin, View):
    """POST only (Dinsos): remind now every company whose plan or report of the year is missing."""

    allowed_roles = frozenset({User.Role.DINSOS})
    http_method_names = ["post"]

    def post(self, request):
        tahun = selected_year(request.POST, current_tahun())
        sent = reminders_missing_send(tahun=tahun, actor=request.user)
        messages.success(request, _("%(count)s companies were reminded.") % {"count": sent})
        return redirect(f"{reverse('cycle:coverage')}?tahun={tahun}")


class AwardView(RoleRequiredMixin, View):
    """Dinsos and pimpinan: the year's award ranking with every component."""

    allowed_roles = READERS

    def get(self, request):
        tahun = selected_year(request.GET, current_tahun())
        weights, rows = award_ranking(tahun=tahun)
        if request.GET.get("format") == "xlsx":
            return xlsx_response(award_workbook(tahun, weights, rows), f"penghargaan-tslp-{tahun}.xlsx")
        context = {"weights": weights, "rows": rows, "tahun": tahun, "years": year_choices()}
        return render(request, "cycle/coverage/award.html", context)
