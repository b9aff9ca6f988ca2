"""Tokens issued before scopes existed keep working for the statistics alone.

They were issued without a second factor and could read every household: rather than revoke them (breaking
integrations that only read figures), each keeps only the ``statistics:read`` scope. An integration that needs
programs or households gets a new token with those scopes (README, "API"). Reversing leaves the scopes as they
are; reversing the previous migration removes them.
"""

from django.db import migrations


def limit_existing_tokens(apps, schema_editor):
    ApiToken = apps.get_model("api", "ApiToken")
    ApiToken.objects.update(scopes=["statistics:read"])  # every row here predates scopes


class Migration(migrations.Migration):
    dependencies = [("api", "0003_token_scopes")]

    operations = [migrations.RunPython(limit_existing_tokens, migrations.RunPython.noop)]
