"""Mark the memberships of the e-SAR accounts issued so far as delivery accounts."""

from django.db import migrations


def mark(apps, schema_editor):
    EsarAccount = apps.get_model("delivery", "EsarAccount")
    Membership = apps.get_model("accounts", "Membership")
    users = EsarAccount.objects.values("user_id")
    Membership.objects.filter(user_id__in=users).update(delivery_account=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_membership_delivery_account"),
        ("delivery", "0002_issuance"),
    ]

    operations = [migrations.RunPython(mark, migrations.RunPython.noop)]
