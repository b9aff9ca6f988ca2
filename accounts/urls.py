from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("keamanan/", views.SecurityView.as_view(), name="security"),
    path("2fa/siapkan/", views.TwoFactorSetupView.as_view(), name="2fa_setup"),
    path("2fa/qr.svg", views.TwoFactorQrView.as_view(), name="2fa_qr"),
    path("2fa/kode/", views.TwoFactorVerifyView.as_view(), name="2fa_verify"),
    path("2fa/kode-pemulihan/", views.RecoveryCodesView.as_view(), name="2fa_codes"),
    # Django's own reset page (django.contrib.auth.urls, included after these) with rate limits; links
    # still reverse "password_reset", which is the same address.
    path("password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
]
