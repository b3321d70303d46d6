from __future__ import annotations

import pytest

from esar.circulars import selectors
from esar.circulars.demo import seed_demo_circulars
from esar.circulars.models import Circular, CircularAttachment, CircularStatus

pytestmark = pytest.mark.django_db


def test_the_demo_circulars_are_created_once_and_reach_their_audience(world):
    assert seed_demo_circulars() == 4
    assert seed_demo_circulars() == 0
    assert Circular.objects.count() == 4
    assert Circular.objects.filter(status=CircularStatus.DRAFT).count() == 1
    calendar = Circular.objects.get(number="มท 0816.4/ว 2150")
    assert CircularAttachment.objects.get(circular=calendar).extension == "xlsx"
    chiang_mai = Circular.objects.get(number="มท 0816.4/ว 2417")
    cm_school = {c.pk for c in selectors.circulars_for(world.cm_school_officer)}
    kk_lao = {c.pk for c in selectors.circulars_for(world.kk_town_officer)}
    assert chiang_mai.pk in cm_school and chiang_mai.pk not in kk_lao
    accounts = Circular.objects.get(number="มท 0816.4/ว 2388")
    assert accounts.pk in kk_lao and accounts.pk not in cm_school
