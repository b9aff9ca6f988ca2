"""Statistics API, included by the root URLs at ``api/v1/statistik/``."""

from django.urls import path

from dashboards import api

app_name = "statistik"

urlpatterns = [
    path("kecamatan/", api.KecamatanStatistikView.as_view(), name="kecamatan"),
    path("desa/", api.DesaStatistikView.as_view(), name="desa"),
]
