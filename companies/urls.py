from django.urls import path

from companies import views

app_name = "companies"

urlpatterns = [
    path("daftar/", views.CompanyRegisterView.as_view(), name="register"),
    path("profil/", views.CompanyProfileView.as_view(), name="profile"),
    path("profil/ubah/", views.CompanyUpdateView.as_view(), name="update"),
    path("anggota/", views.MemberListView.as_view(), name="members"),
    path("anggota/tambah/", views.MemberAddView.as_view(), name="member_add"),
    path("anggota/<int:pk>/nonaktifkan/", views.MemberDeactivateView.as_view(), name="member_deactivate"),
]
