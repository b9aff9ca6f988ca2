from django.urls import path

from publik import etalase, gap, views

app_name = "publik"

urlpatterns = [
    path("", views.home, name="home"),
    path("kecamatan/<str:kode>/", views.kecamatan, name="kecamatan"),
    path("unduh/<slug:table>.<slug:fmt>", views.download, name="download"),
    path("perusahaan/", views.companies, name="companies"),
    path("perusahaan/<str:nib>/", views.company, name="company"),
    path("data/", views.open_data, name="open_data"),
    path("etalase/", etalase.etalase, name="etalase"),
    path("celah/", gap.gap, name="gap"),
    path("data/tslp-3w-hxl.csv", views.three_w, name="three_w"),
    path("data/tslp-iati-activities.xml", views.iati, name="iati"),
    path("data/tslp-360giving.json", views.threesixty, name="threesixty"),
]
