"""The API token model moves from the API app to accounts (users, roles, scoping, tokens).

Only Django's record of the model moves: the table keeps its name (`api_apitoken`) and its rows,
here and in `api.0002_move_api_token_to_accounts`, which drops the model from the API app's state.
The content type and the audit events that name the model follow it, so the admin's permissions
and the audit log's links keep working.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

OLD_LABEL, NEW_LABEL = ("api", "apitoken"), ("accounts", "apitoken")


def _relabel(apps, schema_editor, old, new):
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEvent = apps.get_model("core", "AuditEvent")
    if not ContentType.objects.filter(app_label=new[0], model=new[1]).exists():
        ContentType.objects.filter(app_label=old[0], model=old[1]).update(app_label=new[0])
    AuditEvent.objects.filter(object_type=".".join(old)).update(object_type=".".join(new))


def forwards(apps, schema_editor):
    _relabel(apps, schema_editor, OLD_LABEL, NEW_LABEL)


def backwards(apps, schema_editor):
    _relabel(apps, schema_editor, NEW_LABEL, OLD_LABEL)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0005_login_devices'),
        ('api', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ApiToken',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key_prefix', models.CharField(max_length=16, unique=True, verbose_name='key prefix')),
                        ('token_hash', models.CharField(max_length=64, verbose_name='SHA-256 of the token')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created')),
                        ('expires_at', models.DateTimeField(verbose_name='expires')),
                        ('last_used_at', models.DateTimeField(blank=True, null=True, verbose_name='last used')),
                        ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='revoked')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='api_tokens', to=settings.AUTH_USER_MODEL, verbose_name='user')),
                    ],
                    options={
                        'verbose_name': 'API token',
                        'verbose_name_plural': 'API tokens',
                        'db_table': 'api_apitoken',
                        'ordering': ['-created_at', '-id'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('expires_at__gt', models.F('created_at'))), name='api_token_expires_after_creation')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards, elidable=True),
    ]
