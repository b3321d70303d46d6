"""The demo's deliveries: every demo LAO delivered 2568 through its e-SAR account, once."""

import json
from io import StringIO

from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from esar.delivery.models import DeliveredRevision, Delivery, DeliveryStatus, EsarAccount


def test_seed_demo_delivers_last_year_through_the_laos_esar_accounts_once(db):
    call_command("seed_demo", stdout=StringIO())
    deliveries = Delivery.objects.filter(year_id=2568)
    assert deliveries.count() == 12
    assert set(deliveries.values_list("status", flat=True)) == {DeliveryStatus.DELIVERED}
    # Every accepted 2568 SAR is in exactly one delivery, made by its own LAO's e-SAR account.
    assert DeliveredRevision.objects.count() == 40
    for delivery in deliveries.select_related("account"):
        assert delivery.account.lao_id == delivery.lao_id
        assert delivery.delivered_at.date() < delivery.year.delivery_due
    assert deliveries.filter(acknowledged_at__isnull=False).count() == 6
    # The e-SAR accounts are listed with the demo password, and it logs in.
    out = StringIO()
    call_command("demo_accounts", "--json", stdout=out)
    listed = {row["username"]: row["password"] for row in json.loads(out.getvalue())}
    account = EsarAccount.objects.select_related("user").first()
    assert listed[account.user.username] == "esar-demo-2569"
    request = RequestFactory().post("/accounts/login/")
    assert authenticate(request, username=account.user.username, password="esar-demo-2569")
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert Delivery.objects.count() == 12 and EsarAccount.objects.count() == 12
    assert "Demo deliveries" not in out.getvalue()
