"""The API token model now lives in accounts (`accounts.0006_api_token`); its table stays."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0006_api_token'),
        ('api', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='ApiToken')],
            database_operations=[],
        ),
    ]
