"""Files of a circular: PDF, Word and Excel only, checked before anything is stored; downloaded
only by those who may open the circular."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from esar.circulars import services
from esar.circulars.files import UploadRefused
from esar.circulars.models import CircularAttachment
from esar.circulars.tests.conftest import as_user, office_file, upload
from esar.core.models import AuditEvent
from esar.testing.sar import active_pdf, pdf_bytes

pytestmark = pytest.mark.django_db


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("ปฏิทิน.pdf", pdf_bytes(1)),
        ("แบบฟอร์ม.docx", office_file("docx")),
        ("รายชื่อ.xlsx", office_file("xlsx")),
    ],
)
def test_pdf_word_and_excel_files_are_stored_hashed_and_downloadable(world, publish, name, data):
    draft = publish(draft=True, provinces=("50",))
    attachment = services.attach_file(
        circular=draft, actor=world.dla_admin, upload=upload(data, name)
    )
    assert attachment.original_name == name
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    assert attachment.size == len(data)
    assert AuditEvent.objects.filter(action="circular.file_attached").count() == 1
    services.publish(circular=draft, actor=world.dla_admin)

    url = reverse("circulars:download", args=[draft.pk, attachment.pk])
    response = as_user(world.cm_school_officer).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Type"] == attachment.content_type
    # Not meant for Khon Kaen: the file is as invisible as the circular.
    assert as_user(world.kk_town_officer).get(url).status_code == 404
    # Nor is it reachable through another circular's address.
    other = publish()
    wrong = reverse("circulars:download", args=[other.pk, attachment.pk])
    assert as_user(world.dla_admin).get(wrong).status_code == 404


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("คำสั่ง.exe", b"MZ\x90\x00" * 100),
        ("ภาพ.jpg", b"\xff\xd8\xff\xe0" * 100),
        ("ปลอม.pdf", b"not a pdf at all" * 10),
        ("เสีย.pdf", pdf_bytes(1)[:-200]),
        ("เก่า.docx", b"\xd0\xcf\x11\xe0" * 100),  # an old OLE .doc renamed
        ("สลับ.xlsx", office_file("docx")),  # a Word package named .xlsx
        ("ว่าง.pdf", b""),
        ("ไม่มีนามสกุล", pdf_bytes(1)),
        ("สคริปต์.pdf", active_pdf("javascript")),
        ("แนบไฟล์.pdf", active_pdf("embedded")),
    ],
)
def test_a_refused_file_changes_nothing(world, publish, name, data):
    draft = publish(draft=True)
    version = draft.version
    with pytest.raises(UploadRefused) as refused:
        services.attach_file(circular=draft, actor=world.dla_admin, upload=upload(data, name))
    assert refused.value.message
    draft.refresh_from_db()
    assert draft.version == version
    assert not CircularAttachment.objects.exists()
    assert not AuditEvent.objects.filter(action="circular.file_attached").exists()
    assert stored_files() == []


def test_a_file_over_the_limit_is_refused_through_the_page(world, publish, settings):
    settings.ESAR_CIRCULAR_UPLOAD_LIMIT_MB = 1
    draft = publish(draft=True)
    big = pdf_bytes(1, filler=2 * 1024 * 1024)
    response = as_user(world.dla_admin).post(
        reverse("circulars:upload", args=[draft.pk]), {"file": upload(big, "ใหญ่.pdf")}
    )
    assert response.status_code == 302
    assert not CircularAttachment.objects.exists()
    assert stored_files() == []


def test_files_are_attached_and_removed_on_drafts_only_by_dla_admin(world, publish):
    draft = publish(draft=True)
    page_upload = reverse("circulars:upload", args=[draft.pk])
    # The analyst sees DLA's drafts but may not change them (403); a province does not see one (404).
    for user, status in ((world.dla_analyst, 403), (world.cm_supervisor, 404)):
        response = as_user(user).post(page_upload, {"file": upload(pdf_bytes(1), "a.pdf")})
        assert response.status_code == status
    assert not CircularAttachment.objects.exists()

    dla = as_user(world.dla_admin)
    assert dla.post(page_upload, {"file": upload(pdf_bytes(1), "a.pdf")}).status_code == 302
    attachment = CircularAttachment.objects.get()
    assert len(stored_files()) == 1
    remove = reverse("circulars:remove_file", args=[draft.pk, attachment.pk])
    assert as_user(world.cm_supervisor).post(remove).status_code == 404
    assert dla.post(remove).status_code == 302
    assert not CircularAttachment.objects.exists()

    services.attach_file(
        circular=draft, actor=world.dla_admin, upload=upload(pdf_bytes(2), "b.pdf")
    )
    services.publish(circular=draft, actor=world.dla_admin)
    with pytest.raises(services.Conflict):
        services.attach_file(
            circular=draft, actor=world.dla_admin, upload=upload(pdf_bytes(3), "c.pdf")
        )
    assert CircularAttachment.objects.count() == 1
