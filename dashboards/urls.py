from django.urls import include, path

from dashboards.views import home

urlpatterns = [
    path("", home.home, name="home"),
    path("dasbor/", include("dashboards.urls_dasbor")),
]
