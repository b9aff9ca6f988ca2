from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("poverty_data", "0002_registry"),
    ]

    operations = [
        migrations.AddField(
            model_name="household",
            name="csr_count",
            field=models.PositiveIntegerField(
                db_default=0,
                help_text="Programs this household was confirmed for; matching puts those who received least first.",
                verbose_name="CSR assistance received",
            ),
        ),
    ]
