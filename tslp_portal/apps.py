from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TslpPortalConfig(AppConfig):
    name = "tslp_portal"
    verbose_name = _("TSLP Portal")
