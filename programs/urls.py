from django.urls import path

from programs import views

app_name = "programs"

urlpatterns = [
    path("", views.ProgramListView.as_view(), name="list"),
    path("baru/", views.ProgramCreateView.as_view(), name="create"),
    path("rencana/<int:tahun>/", views.AnnualPlanView.as_view(), name="annual_plan"),
    path("<int:pk>/", views.ProgramDetailView.as_view(), name="detail"),
    path("<int:pk>/ubah/", views.ProgramUpdateView.as_view(), name="update"),
    path("<int:pk>/ajukan/", views.ProgramActionView.as_view(action="submit"), name="submit"),
    path("<int:pk>/tarik/", views.ProgramActionView.as_view(action="withdraw"), name="withdraw"),
    path("<int:pk>/lampiran/<int:attachment_pk>/", views.AttachmentDownloadView.as_view(), name="attachment"),
    path(
        "<int:pk>/lampiran/<int:attachment_pk>/hapus/",
        views.AttachmentDeleteView.as_view(),
        name="attachment_delete",
    ),
]
