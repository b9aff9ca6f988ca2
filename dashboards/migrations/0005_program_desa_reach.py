"""Reach per program and desa, a new summary table: it starts empty, so the summary tables are marked unbuilt
and recounted from the ledger when ``migrate`` ends (``dashboards.receivers.on_post_migrate``)."""

import django.db.models.deletion
from django.db import migrations, models


def mark_unbuilt(apps, schema_editor):
    apps.get_model("dashboards", "FiguresState").objects.update(built_at=None)


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0004_need_counts"),
        ("poverty_data", "0016_nik_kepala_hash_index"),
        ("programs", "0007_field_delivery"),
    ]

    operations = [
        migrations.CreateModel(
            name="ProgramDesaReach",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("terjangkau", models.PositiveIntegerField(default=0)),
                (
                    "desa",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="poverty_data.desa"
                    ),
                ),
                (
                    "program",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="programs.program"
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("program", "desa"), name="dashboards_programdesa_unique")
                ],
            },
        ),
        migrations.RunPython(mark_unbuilt, migrations.RunPython.noop),
    ]
