"""Each role's home page: what to look at or do now."""

from django.shortcuts import render

from accounts.models import User
from poverty_data.models import Desa, Kecamatan

HOME_TEMPLATES = {
    User.Role.DINSOS: "dashboards/home/dinsos.html",
    User.Role.CAMAT: "dashboards/home/camat.html",
    User.Role.PIMPINAN: "dashboards/home/pimpinan.html",
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
    role = User.Role.DINSOS if user.is_dinsos else user.role
    context = {}
    if role == User.Role.CAMAT:
        context["desa_list"] = Desa.objects.filter(kecamatan_id=user.kecamatan_id)
    elif role == User.Role.PIMPINAN:
        context["kecamatan_list"] = Kecamatan.objects.all()
    return render(request, HOME_TEMPLATES[role], context)
