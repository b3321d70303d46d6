"""The demo's helpdesk contact: invented, clearly not a real person, number or mailbox.

Only set when no contact exists, so a re-run changes nothing and DLA's own edits survive.
"""

from __future__ import annotations

from esar.helpdesk import services
from esar.helpdesk.models import HelpdeskContact

DEMO_CONTACT = {
    "name": "ศูนย์ช่วยเหลือ e-SAR (สาธิต) · คุณสายใจ ทดลองดี",
    # 02-000-0000 is not a number in service; example.org is reserved for examples (RFC 2606).
    "phone": "02-000-0000 ต่อ 000",
    "email": "helpdesk@example.org",
    "notes": "จันทร์–ศุกร์ 08:30–16:30 น. ยกเว้นวันหยุดราชการ · ข้อมูลสาธิต ไม่ใช่ช่องทางติดต่อจริง",
}


def seed_demo_contact() -> HelpdeskContact | None:
    """Set the fictional demo contact if DLA has not set one; return it if it was created."""
    if services.current_contact() is not None:
        return None
    try:
        contact, _changes = services.save_contact(actor=None, expected_version=None, **DEMO_CONTACT)
    except services.Conflict:
        return None  # set meanwhile by someone else: theirs stands
    return contact
