from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from tslp_portal import views

admin.site.site_header = _("TSLP Portal back office — Dinas Sosial Kabupaten Pulang Pisau")
admin.site.site_title = _("TSLP Portal")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("", include("dashboards.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("akun/", include("accounts.urls")),
    path("akun/", include("django.contrib.auth.urls")),
    path("wilayah/", include("poverty_data.urls")),
    path("registri/", include("poverty_data.urls.registry")),
    path("perusahaan/", include("companies.urls")),
    path("program/", include("programs.urls")),
    path("siklus/", include("cycle.urls")),
    path("etalase/", include("etalase.urls")),
    path("api/v1/statistik/", include("dashboards.urls.api")),
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
    path("publik/", include("publik.urls")),
    path("lapangan/", include("lapangan.urls")),
]

handler403 = "tslp_portal.views.permission_denied"
handler404 = "tslp_portal.views.page_not_found"
handler500 = "tslp_portal.views.server_error"

if settings.DEBUG:
    urlpatterns += [path("__errors/<int:code>/", views.error_preview)]
