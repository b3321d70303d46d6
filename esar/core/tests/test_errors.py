"""One error vocabulary: every app's services refuse with the kernel's errors, and the API maps
each the same way whichever app raised it."""

from __future__ import annotations

import json

import pytest

from esar.accounts import services as accounts
from esar.api.errors import service_error
from esar.circulars import services as circulars
from esar.core import errors
from esar.delivery import services as delivery
from esar.helpdesk import services as helpdesk
from esar.sar import services as sar
from esar.sar.content import Missing, MissingCode
from esar.supervision import services as supervision
from esar.synthesis import services as synthesis


@pytest.mark.parametrize(
    "module", [accounts, circulars, delivery, helpdesk, sar, supervision, synthesis]
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
