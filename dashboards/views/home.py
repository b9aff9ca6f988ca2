"""Each role's home page: what to look at or do now. Camat and pimpinan land on their dashboard."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from cycle.selectors.compliance import company_status
from dashboards.selectors.home import company_todo, dinsos_todo
from dashboards.views.dashboard import HomeDashboardView
from poverty_data.models import Desa, Kecamatan

HOME_TEMPLATES = {
    User.Role.DINSOS: "dashboards/home/dinsos.html",
    User.Role.PERUSAHAAN: "dashboards/home/perusahaan.html",
}


def dinsos_todo_cards(todo: dict) -> list[dict]:
    """What needs Dinsos now, one card each: the count and the list where it is dealt with."""
    return [
        {
            "href": reverse("admin:programs_program_changelist") + "?status__exact=submitted",
            "count": todo["review"],
            "label": _("programs to review"),
        },
        {
            "href": reverse("admin:programs_realisationreport_changelist") + "?state__exact=submitted",
            "count": todo["reports"],
            "label": _("realisation reports to verify"),
        },
        {
            "href": reverse("admin:companies_company_changelist") + "?status__exact=pending",
            "count": todo["companies"],
            "label": _("companies to verify"),
        },
        {
            "href": reverse("programs:overdue"),
            "count": todo["overdue"],
            "label": _("programs with an overdue report"),
        },
    ]


def home(request):
    """The public landing page, or the signed-in user's home for their role."""
    user = request.user
    if not user.is_authenticated:
        context = {
            "kecamatan_count": Kecamatan.objects.count(),
            "desa_count": Desa.objects.count(),
        }
        return render(request, "dashboards/home/landing.html", context)
    if user.is_dinsos:
        todo = dinsos_todo()
        context = {"todo": todo, "todo_cards": dinsos_todo_cards(todo)}
        return render(request, HOME_TEMPLATES[User.Role.DINSOS], context)
    if user.may_see_dashboards:
        return HomeDashboardView.as_view()(request)
    context = {}
    if user.is_company_member:
        context = {"todo": company_todo(user), "obligation": company_status(company_id=user.company_id)}
    return render(request, HOME_TEMPLATES[User.Role.PERUSAHAAN], context)
