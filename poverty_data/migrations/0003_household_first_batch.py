import django.db.models.deletion
from django.db import migrations, models


def fill_first_batch(apps, schema_editor):
    """Households imported before this field existed: the best known first batch is their last one."""
    Household = apps.get_model("poverty_data", "Household")
    Household.objects.filter(first_batch__isnull=True).update(first_batch_id=models.F("last_batch_id"))


class Migration(migrations.Migration):
    dependencies = [
        ("poverty_data", "0002_registry"),
    ]

    operations = [
        migrations.AddField(
            model_name="household",
            name="first_batch",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="poverty_data.importbatch",
                verbose_name="first imported by",
            ),
        ),
        migrations.RunPython(fill_first_batch, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="household",
            name="first_batch",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="poverty_data.importbatch",
                verbose_name="first imported by",
            ),
        ),
    ]
