from django.urls import path

from etalase import views
from etalase.models import NeedEvent

app_name = "etalase"

A = NeedEvent.Action
urlpatterns = [
    path("", views.NeedListView.as_view(), name="list"),
    path("usulkan/", views.NeedCreateView.as_view(), name="create"),
    path("ring-1/", views.RingView.as_view(), name="ring"),
    path("ring-1/<int:company_pk>/konfirmasi/", views.RingConfirmView.as_view(), name="ring_confirm"),
    path("impor/", views.NeedImportView.as_view(), name="import"),
    path("<int:pk>/", views.NeedDetailView.as_view(), name="detail"),
    path("<int:pk>/ubah/", views.NeedUpdateView.as_view(), name="update"),
    path("<int:pk>/setujui/", views.NeedDecisionView.as_view(action=A.APPROVE), name="approve"),
    path("<int:pk>/tolak/", views.NeedDecisionView.as_view(action=A.REJECT), name="reject"),
    path("<int:pk>/selesai/", views.NeedDecisionView.as_view(action=A.COMPLETE), name="complete"),
    path("<int:pk>/adopsi/", views.NeedAdoptView.as_view(), name="adopt"),
    path("<int:pk>/foto/<int:photo_pk>/", views.PhotoView.as_view(), name="photo"),
]
