from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PovertyDataConfig(AppConfig):
    name = "poverty_data"
    verbose_name = _("Wilayah and poverty registry")
