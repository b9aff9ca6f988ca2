from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LapanganConfig(AppConfig):
    name = "lapangan"
    verbose_name = _("Field app")
