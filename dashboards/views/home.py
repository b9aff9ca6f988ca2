"""Each role's home page: what to look at or do now. Camat and pimpinan land on their dashboard."""

from django.shortcuts import render

from accounts.models import User
from cycle.selectors.compliance import company_status
from dashboards.selectors.home import company_todo, dinsos_todo
from dashboards.views.dashboard import HomeDashboardView
from poverty_data.models import Desa, Kecamatan

HOME_TEMPLATES = {
    User.Role.DINSOS: "dashboards/home/dinsos.html",
    User.Role.PERUSAHAAN: "dashboards/home/perusahaan.html",
}


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
        return render(request, HOME_TEMPLATES[User.Role.DINSOS], {"todo": dinsos_todo()})
    if user.is_camat or user.is_pimpinan:
        return HomeDashboardView.as_view()(request)
    context = {}
    if user.is_company_member:
        context = {"todo": company_todo(user), "obligation": company_status(company_id=user.company_id)}
    return render(request, HOME_TEMPLATES[User.Role.PERUSAHAAN], context)
