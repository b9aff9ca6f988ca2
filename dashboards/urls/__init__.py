"""The home page and the dashboards; the statistics API's URLs are in ``dashboards.urls.api``."""

from django.urls import include, path

from dashboards.views import home

urlpatterns = [
    path("", home.home, name="home"),
    path("dasbor/", include("dashboards.urls.dasbor")),
]
