from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class TslpPortalConfig(AppConfig):
    name = "tslp_portal"
    verbose_name = _("TSLP Portal")

    def ready(self):
        from tslp_portal import security  # noqa: F401  (connects the sign-in log)


class PortalAdminConfig(admin_apps.AdminConfig):
    """The admin with the portal's site: Dinsos by role, signed in through the portal's login."""

    default = False  # named explicitly in INSTALLED_APPS
    default_site = "tslp_portal.admin_site.PortalAdminSite"


class TasksDatabaseConfig(TasksAppConfig):
    """django-tasks-db, named in the back office in the portal's language (its own name is not translated)."""

    verbose_name = _("Background tasks")
