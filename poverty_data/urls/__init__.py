from django.urls import path

from poverty_data.views import wilayah as views

app_name = "poverty_data"

urlpatterns = [
    path("", views.KecamatanListView.as_view(), name="kecamatan_list"),
    path("<str:kode>/", views.KecamatanDetailView.as_view(), name="kecamatan_detail"),
]
