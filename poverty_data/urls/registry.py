from django.urls import path

from poverty_data.views import registry as views

app_name = "registry"

urlpatterns = [
    path("impor/", views.ImportUploadView.as_view(), name="import_upload"),
    path("impor/<int:pk>/", views.ImportDetailView.as_view(), name="import_detail"),
    path("impor/<int:pk>/terapkan/", views.ImportApplyView.as_view(), name="import_apply"),
    path("impor/<int:pk>/batalkan/", views.ImportUndoView.as_view(), name="import_undo"),
    path("impor/<int:pk>/baris-ditolak.xlsx", views.ImportErrorsDownloadView.as_view(), name="import_errors"),
]
