from django.urls import path

from lapangan import views

app_name = "lapangan"

urlpatterns = [
    path("", views.AppView.as_view(), name="app"),
    path("sw.js", views.service_worker, name="sw"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("api/saya/", views.WhoView.as_view(), name="api_who"),
    path("api/data/", views.DataView.as_view(), name="api_data"),
    path("api/catatan/", views.EventsView.as_view(), name="api_events"),
    path("api/foto/<uuid:event_id>/", views.PhotoView.as_view(), name="api_photo"),
    path("petugas/", views.OfficersView.as_view(), name="officers"),
    path("program/<int:pk>/", views.ProgramFieldView.as_view(), name="program"),
    path("program/<int:pk>/foto/<uuid:event_id>/", views.PhotoFileView.as_view(), name="photo"),
]
