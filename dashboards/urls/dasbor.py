"""The dashboards, under ``/dasbor/`` (namespace ``dashboards``)."""

from django.urls import path

from dashboards.views import dashboard

app_name = "dashboards"

urlpatterns = [
    path("", dashboard.HomeDashboardView.as_view(), name="dashboard"),
    path("kabupaten/", dashboard.RegencyDashboardView.as_view(), name="regency"),
    path("kecamatan/<str:kode>/", dashboard.KecamatanDashboardView.as_view(), name="kecamatan"),
    path("kecamatan/<str:kode>/ringkasan/", dashboard.BriefView.as_view(), name="brief"),
    path("desa/<str:kode>/", dashboard.DesaDashboardView.as_view(), name="desa"),
]
