"""``/api/v1/``: each app's ``api.py`` assembled into one router; the schema and its offline docs."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from api.views import unknown_endpoint
from companies.api import CompanyViewSet
from etalase.api import NeedViewSet
from poverty_data.api import DesaViewSet, HouseholdViewSet, KecamatanViewSet
from programs.api import ProgramViewSet
from publik.api import PublicCompanyList, PublicDesaStatistik, PublicKecamatanStatistik

app_name = "api"


class Router(DefaultRouter):
    include_root_view = False


router = Router()
router.register("wilayah/kecamatan", KecamatanViewSet, basename="kecamatan")
router.register("wilayah/desa", DesaViewSet, basename="desa")
router.register("companies", CompanyViewSet, basename="company")
router.register("programs", ProgramViewSet, basename="program")
router.register("households", HouseholdViewSet, basename="household")
router.register("etalase", NeedViewSet, basename="need")

urlpatterns = [
    path("v1/", include(router.urls)),
    path(
        "v1/publik/statistik/kecamatan/",
        PublicKecamatanStatistik.as_view(),
        name="publik-statistik-kecamatan",
    ),
    path("v1/publik/statistik/desa/", PublicDesaStatistik.as_view(), name="publik-statistik-desa"),
    path("v1/publik/perusahaan/", PublicCompanyList.as_view(), name="publik-perusahaan"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/docs.html"),
        name="docs",
    ),
    # Anything else under /api/ answers in the API's error shape, not with the HTML 404 page; the
    # pattern matches a path with a newline in it too ("." would not).
    re_path(r"^[\s\S]*$", unknown_endpoint),
]
