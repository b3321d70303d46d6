"""One error vocabulary: every app's services refuse with the kernel's errors, and the API maps
each the same way whichever app raised it."""

from __future__ import annotations

import json

import pytest
from django.utils import translation

from esar.accounts import services as accounts
from esar.api.errors import service_error
from esar.circulars import services as circulars
from esar.core import errors
from esar.delivery import services as delivery
from esar.helpdesk import services as helpdesk
from esar.sar.content import Missing, MissingCode
from esar.sar.services import drafts as sar
from esar.sar.services import revisions as sar_revisions
from esar.supervision import services as supervision
from esar.synthesis import services as synthesis


@pytest.mark.parametrize(
    "module", [accounts, circulars, delivery, helpdesk, sar, sar_revisions, supervision, synthesis]
)
def test_every_apps_refusals_are_the_kernels(module):
    assert module.NotAllowed is errors.NotAllowed
    assert module.Conflict is errors.Conflict
    assert module.Invalid is errors.Invalid


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (errors.NotAllowed("ไม่มีสิทธิ์"), 403),
        (errors.Conflict("มีผู้แก้ไขก่อน"), 409),
        (errors.Invalid("ค่าไม่ถูกต้อง", details=["บรรทัด 1"]), 422),
    ],
)
def test_the_api_answers_each_refusal_by_its_kind(error, status):
    answer = service_error(error)
    assert answer.status_code == status
    assert answer.value["detail"] == error.message
    assert answer.value["details"] == error.details


def test_an_incomplete_report_is_422_with_its_coded_list():
    missing = [Missing("document", "ไฟล์ SAR", code=MissingCode.DOCUMENT)]
    answer = service_error(sar.Incomplete(missing))
    assert answer.status_code == 422
    assert isinstance(sar.Incomplete(missing), errors.Invalid)
    assert json.loads(json.dumps(answer.value["missing"], default=str))[0]["code"] == "document"


@pytest.fixture
def draft(world):
    from esar.testing.years import make_year

    year = make_year(2569)
    return sar.open_sar(institution=world.cm_school, year=year, actor=world.cm_school_officer)


def test_a_page_answers_a_role_that_may_not_act_with_403_and_changes_nothing(client, world, draft):
    """The LAO sees the school's draft but does not write it: 403 (it was a 404 on the SAR pages,
    a 403 in the API); another province's officer gets 404."""
    url = f"/sar/{draft.pk}/summary/"
    values = {"version": draft.version, "strengths": "เขียนแทนโรงเรียน"}
    client.force_login(world.cm_city_officer)
    response = client.post(url, values)
    assert response.status_code == 403
    assert "บทบาทของท่านไม่มีสิทธิ์ทำรายการนี้" in response.content.decode()  # the Thai 403 page
    client.force_login(world.kk_town_officer)
    assert client.post(url, values).status_code == 404
    draft.refresh_from_db()
    assert draft.version == 1 and not draft.content.get("summary", {}).get("strengths")


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (errors.NotAllowed("บทบาทนี้ส่งรายงานไม่ได้"), 403),
        (errors.Conflict("มีผู้ตัดสินก่อนแล้ว"), 409),
        (errors.Invalid("วันที่ไม่ถูกต้อง"), 422),
    ],
)
def test_a_refusal_no_page_answered_is_one_thai_page_with_its_reason(rf, world, error, status):
    from esar.core.middleware import ServiceRefusalMiddleware

    middleware = ServiceRefusalMiddleware(lambda request: None)
    request = rf.post("/sar/1/summary/")
    request.user = world.cm_city_officer
    with translation.override("th"):
        page = middleware.process_exception(request, error)
    assert page.status_code == status
    assert error.message in page.content.decode()
    assert "ไม่มีการเปลี่ยนแปลง" in page.content.decode()
    # The API answers its own way (JSON, esar.api.errors).
    assert middleware.process_exception(rf.post("/api/v1/sars/1/submit"), error) is None
