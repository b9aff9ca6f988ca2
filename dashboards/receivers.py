"""Keep the figures' summary tables exact: connected in DashboardsConfig.ready().

The apps below dashboards may not call its services: they say what changed with a signal, and the summary
rows of what it touches are recounted here, in the sender's transaction.
"""

from django.db import connections
from django.db.models.signals import post_migrate

from dashboards.models import FiguresState
from dashboards.selectors.version import version_function_sql
from dashboards.services.summary import (
    figures_build_if_missing,
    figures_rebuild,
    figures_refresh_program,
    figures_touch,
)
from poverty_data.signals import registry_changed
from programs.signals import ledger_changed


def on_registry_changed(sender, *, households_changed: bool = True, **kwargs):
    if households_changed:
        figures_rebuild()
    else:
        figures_touch()


def on_ledger_changed(sender, *, program_id: int, reach: bool = True, **kwargs):
    if reach:
        figures_refresh_program(program_id=program_id)
    else:
        figures_touch()


def on_post_migrate(sender, *, using, **kwargs):
    """A new database (or one migrated to new summary tables) gets them built at ``migrate`` time, and on
    PostgreSQL the function that reads the figures' version is (re)created from its current definition."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(version_function_sql())
    if FiguresState._meta.db_table in connection.introspection.table_names():
        figures_build_if_missing()


def connect(app_config) -> None:
    registry_changed.connect(on_registry_changed, dispatch_uid="dashboards.registry_changed")
    ledger_changed.connect(on_ledger_changed, dispatch_uid="dashboards.ledger_changed")
    post_migrate.connect(on_post_migrate, sender=app_config, dispatch_uid="dashboards.post_migrate")
