"""Test material for SARs: an academic year, real PDF files (good and bad), a complete draft."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from esar.accounts.models import User
from esar.cycles.models import AcademicYear
from esar.organizations.models import Institution, LocalAuthority
from esar.sar import content as sar_content
from esar.sar.models import Revision, Sar
from esar.sar.services import drafts, revisions
from esar.testing.years import make_year  # noqa: F401  (re-exported for SAR tests)


def pdf_bytes(pages: int = 2, *, password: str | None = None, filler: int = 0) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if filler:
        # Bulk that PDF readers ignore: an unreferenced stream object.
        from pypdf.generic import DecodedStreamObject

        stream = DecodedStreamObject()
        stream.set_data(b"0" * filler)
        writer._add_object(stream)
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def upload(data: bytes, name: str = "sar.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def complete_content(
    sar: Sar,
    *,
    level: int = 4,
    text: str = "ดำเนินการตามแผน",
    standard_level: int | None = None,
) -> dict[str, Any]:
    items = sar_content.items_of(sar)
    return {
        "basic_data": {
            "as_of": "2026-06-10",
            "students": {lvl: 120 for lvl, _label in drafts.levels_of(sar)},
            "staff": {"administrators": 1, "teachers": 12, "support": 2},
            "tests": [{"test": "O-NET", "grade": "ป.6", "subject": "คณิตศาสตร์", "score": 35.5}],
        },
        "items": {
            str(item.id): {
                "level": level,
                "target": 3,
                "how": f"{text} {item.number}",
                "results": f"ผล {item.number}",
                "evidence": "",
            }
            for item in items
        },
        "standards": {
            str(standard.id): {
                "level": standard_level if standard_level is not None else level,
                "strengths": f"จุดเด่นมาตรฐาน {standard.number}",
                "improvements": f"จุดควรพัฒนามาตรฐาน {standard.number}",
            }
            for standard in sar_content.standards_of(sar)
        },
        "summary": {
            "strengths": "ครูมีความตั้งใจ",
            "improvements": "การอ่านของนักเรียน",
            "plan": "โครงการรักการอ่าน",
            "help_needed": "",
        },
    }


def fill_complete(sar: Sar, actor: User, **kwargs: Any) -> Sar:
    raw = complete_content(sar, **kwargs)
    sar = drafts.save_draft(
        sar=sar,
        actor=actor,
        expected_version=sar.version,
        basic_data=raw["basic_data"],
        items=raw["items"],
        standards=raw["standards"],
        summary=raw["summary"],
    )
    drafts.attach_file(sar=sar, actor=actor, upload=upload(pdf_bytes()), kind="document")
    sar.refresh_from_db()
    return sar


def accepted_revision(
    institution: Institution,
    year: AcademicYear,
    school_officer: User,
    lao_officer: User,
    **content: Any,
) -> Revision:
    """The institution's SAR of `year`, filled in, sent and accepted by its LAO's officer."""
    sar = drafts.open_sar(institution=institution, year=year, actor=school_officer)
    sar = fill_complete(sar, school_officer, **content)
    revision = revisions.submit(sar=sar, actor=school_officer, expected_version=sar.version)
    return revisions.accept(revision=revision, actor=lao_officer)


def add_accepted_centres(
    lao: LocalAuthority, year: AcademicYear, lao_officer: User, count: int
) -> None:
    """`count` more child development centres of `lao`, each with its officer and an accepted
    SAR of `year`: to show that a page or a figure costs no query per institution."""
    from esar.accounts.roles import Role
    from esar.accounts.services import create_account
    from esar.organizations.models import InstitutionKind

    for index in range(count):
        centre = Institution.objects.create(
            code=f"30508{index:05d}",
            name_th=f"ศูนย์พัฒนาเด็กเล็กทดสอบ {index}",
            kind=InstitutionKind.CHILD_CENTRE,
            lao=lao,
            teaches_early_childhood=True,
        )
        officer = create_account(
            username=f"centre{index}",
            password=None,
            role=Role.SCHOOL_OFFICER,
            organization=centre,
            first_name=f"ครู {index}",
            email=f"centre{index}@example.org",
        )
        accepted_revision(centre, year, officer, lao_officer)


def active_pdf(kind: str) -> bytes:
    """A one-page PDF carrying active content of `kind`: a document-level script, a script run on
    opening, a launch action, a script on a link, or an embedded file."""
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        TextStringObject,
    )

    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    if kind == "javascript":
        # A document-level script: the catalogue's /Names /JavaScript tree.
        script = DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.alert('e-SAR');"),
            }
        )
        tree = DictionaryObject(
            {
                NameObject("/Names"): ArrayObject(
                    [TextStringObject("hello"), writer._add_object(script)]
                )
            }
        )
        writer._root_object[NameObject("/Names")] = DictionaryObject(
            {NameObject("/JavaScript"): writer._add_object(tree)}
        )
    elif kind == "open_script":
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.launchURL('http://x.invalid');"),
            }
        )
    elif kind == "launch":
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
            {
                NameObject("/S"): NameObject("/Launch"),
                NameObject("/F"): TextStringObject("cmd.exe"),
            }
        )
    elif kind == "link_script":
        link = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Link"),
                NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (10, 10, 100, 100)]),
                NameObject("/A"): DictionaryObject(
                    {
                        NameObject("/S"): NameObject("/JavaScript"),
                        NameObject("/JS"): TextStringObject("this.print();"),
                    }
                ),
            }
        )
        page[NameObject("/Annots")] = ArrayObject([writer._add_object(link)])
    elif kind == "embedded":
        writer.add_attachment("setup.exe", b"MZ\x90\x00" * 64)
    else:
        raise ValueError(kind)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
