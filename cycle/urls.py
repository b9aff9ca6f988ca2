from django.urls import path

from cycle.views import coverage, invitations, register

app_name = "cycle"

urlpatterns = [
    path("perusahaan/", register.RegisterListView.as_view(), name="register"),
    path("perusahaan/<int:pk>/", register.RegisterDetailView.as_view(), name="register_detail"),
    path("perusahaan/<int:pk>/pengecualian/", register.RegisterExemptView.as_view(), name="register_exempt"),
    path("impor/", register.RegisterImportView.as_view(), name="import"),
    path("impor/<int:pk>/", register.RegisterImportDetailView.as_view(), name="import_detail"),
    path("impor/<int:pk>/terapkan/", register.RegisterImportApplyView.as_view(), name="import_apply"),
    path("undangan/", invitations.InvitationListView.as_view(), name="invitations"),
    path("undangan/kirim/", invitations.InviteView.as_view(), name="invite"),
    path("undangan/<str:token>/", invitations.ClaimView.as_view(), name="claim"),
    path("cakupan/", coverage.CoverageView.as_view(), name="coverage"),
    path("cakupan/ingatkan/", coverage.RemindMissingView.as_view(), name="remind_missing"),
    path("penghargaan/", coverage.AwardView.as_view(), name="award"),
]
