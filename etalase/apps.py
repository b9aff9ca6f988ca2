from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EtalaseConfig(AppConfig):
    name = "etalase"
    verbose_name = _("Etalase of needs")
