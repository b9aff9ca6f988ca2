from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CycleConfig(AppConfig):
    """The register of companies that owe a TSLP plan and report, and the yearly cycle around it."""

    name = "cycle"
    verbose_name = _("TSLP cycle")

    def ready(self):
        from cycle import receivers  # noqa: F401
