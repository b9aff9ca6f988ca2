"""The new first-assistance counts start empty: mark the summary tables unbuilt, so that they are recounted
from the ledger when ``migrate`` ends (``dashboards.receivers.on_post_migrate``)."""

from django.db import migrations


def mark_unbuilt(apps, schema_editor):
    apps.get_model("dashboards", "FiguresState").objects.update(built_at=None)


class Migration(migrations.Migration):
    dependencies = [("dashboards", "0002_first_assist_count")]

    operations = [migrations.RunPython(mark_unbuilt, migrations.RunPython.noop)]
