from django.urls import path

from companies import views

app_name = "companies"

urlpatterns = [
    path("profil/", views.CompanyProfileView.as_view(), name="profile"),
]
