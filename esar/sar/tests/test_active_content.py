"""PDFs that carry active content (scripts, launch actions, embedded files) are refused with a
Thai reason, on every upload path; ordinary PDFs, with links and form-free annotations, pass."""

from __future__ import annotations

import io

import pytest
from django.utils import translation
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, TextStringObject

from esar.sar.files import UploadRefused, check_pdf
from esar.sar.models import Attachment
from esar.testing.sar import active_pdf, pdf_bytes, upload

KINDS = ["javascript", "open_script", "launch", "link_script", "embedded"]
REASONS = {
    "javascript": "สคริปต์",
    "open_script": "สคริปต์",
    "link_script": "สคริปต์",
    "launch": "โปรแกรม",
    "embedded": "ไฟล์อื่นฝัง",
}


@pytest.mark.parametrize("kind", KINDS)
def test_active_content_is_refused_with_its_reason_in_thai(kind):
    # In Thai whatever an earlier test left active in this thread.
    with translation.override("th"), pytest.raises(UploadRefused) as refused:
        check_pdf(upload(active_pdf(kind)), limit_mb=10)
    assert REASONS[kind] in refused.value.message


def test_an_ordinary_pdf_with_a_web_link_passes():
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    link = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (10, 10, 100, 100)]),
            NameObject("/A"): DictionaryObject(
                {
                    NameObject("/S"): NameObject("/URI"),
                    NameObject("/URI"): TextStringObject("https://www.dla.go.th/"),
                }
            ),
        }
    )
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(link)])
    out = io.BytesIO()
    writer.write(out)
    assert check_pdf(upload(out.getvalue()), limit_mb=10).page_count == 1
    assert check_pdf(upload(pdf_bytes(3)), limit_mb=10).page_count == 3


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("part", ["document", "evidence"])
def test_the_sar_page_refuses_active_pdfs_and_keeps_the_draft(client, world, filled, kind, part):
    from django.urls import reverse

    before = (filled.version, filled.document_id, Attachment.objects.count())
    client.force_login(world.cm_school_officer)
    response = client.post(
        reverse("sar:upload", args=[filled.pk]), {"kind": part, "file": upload(active_pdf(kind))}
    )
    assert response.status_code == 422
    assert REASONS[kind] in response.content.decode()
    filled.refresh_from_db()
    assert (filled.version, filled.document_id, Attachment.objects.count()) == before


@pytest.mark.parametrize("kind", ["javascript", "embedded"])
def test_the_api_refuses_active_pdfs_with_a_422(client, world, sar, kind):
    from esar.accounts.tokens import issue_token

    token = issue_token(user=world.cm_school_officer).token
    response = client.post(
        f"/api/v1/sars/{sar.pk}/document",
        {"file": upload(active_pdf(kind))},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 422
    assert REASONS[kind] in response.json()["detail"]
    sar.refresh_from_db()
    assert sar.document is None
