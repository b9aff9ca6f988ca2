from django.urls import path

from programs.views import delivery as views_delivery
from programs.views import matching as views_matching
from programs.views import program as views
from programs.views import realisation as views_realisation

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

urlpatterns += [
    path("<int:pk>/pencocokan/", views_matching.MatchingView.as_view(), name="matching"),
    path("<int:pk>/pencocokan/usulkan/", views_matching.ProposeView.as_view(), name="matching_propose"),
    path("<int:pk>/pencocokan/tambah/", views_matching.AddView.as_view(), name="matching_add"),
    path("<int:pk>/pencocokan/tetapkan/", views_matching.ConfirmView.as_view(), name="matching_confirm"),
    path(
        "<int:pk>/pencocokan/<int:beneficiary_pk>/keluarkan/",
        views_matching.RemoveView.as_view(),
        name="matching_remove",
    ),
    path(
        "keluarga/<int:household_pk>/", views_matching.HouseholdLedgerView.as_view(), name="household_ledger"
    ),
]

# The company's side and the realisation loop.
urlpatterns += [
    path("terlambat/", views_realisation.OverdueView.as_view(), name="overdue"),
    path("<int:pk>/pengingat/", views_realisation.ReminderView.as_view(), name="remind"),
    path("<int:pk>/penerima/", views_delivery.BeneficiaryListView.as_view(), name="beneficiaries"),
    path(
        "<int:pk>/penerima/xlsx/", views_delivery.BeneficiaryDownloadView.as_view(), name="beneficiaries_xlsx"
    ),
    path("<int:pk>/penerima/unggah/", views_delivery.DeliveryUploadView.as_view(), name="delivery_upload"),
    path("<int:pk>/penerima/syarat/", views_delivery.TermsView.as_view(), name="terms"),
    path(
        "<int:pk>/realisasi/baru/",
        views_realisation.RealisationCreateView.as_view(),
        name="realisation_create",
    ),
    path(
        "<int:pk>/realisasi/<int:report_pk>/",
        views_realisation.RealisationReportView.as_view(),
        name="realisation_detail",
    ),
    path(
        "<int:pk>/realisasi/<int:report_pk>/dokumen/<int:document_pk>/",
        views_realisation.RealisationDocumentView.as_view(),
        name="realisation_document",
    ),
]
