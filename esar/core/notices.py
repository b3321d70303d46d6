"""In-app notices and their e-mails: how the people who must act next learn about it.

`notify` writes one Notice per person inside the caller's transaction; the e-mails are sent by a
task queued when that transaction commits (in-process in the embedded default, a Celery worker in
deployment), so a rolled-back change sends nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from celery import shared_task
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation

from esar.core.models import Notice


def notify(
    *, users: Iterable[AbstractBaseUser | None], title: str, body: str = "", url: str = ""
) -> list[Notice]:
    recipients = {user.pk: user for user in users if user is not None and user.is_active}
    notices = Notice.objects.bulk_create(
        [
            Notice(recipient_id=pk, title=title[:255], body=body, url=url[:500])
            for pk in sorted(recipients)
        ]
    )
    ids = [notice.pk for notice in notices]
    if ids:
        transaction.on_commit(lambda: send_notice_emails.delay(ids))
    return notices


@shared_task(name="core.send_notice_emails")
def send_notice_emails(notice_ids: list[int]) -> int:
    """E-mail each notice once (a redelivered task skips those already sent)."""
    sent = 0
    base = settings.ESAR_SITE_URL.rstrip("/")
    notices = Notice.objects.filter(pk__in=notice_ids, emailed_at__isnull=True).select_related(
        "recipient"
    )
    for notice in notices:
        email = notice.recipient.email
        if not email:
            continue
        # Claim before sending, so that two workers never send the same notice.
        claimed = Notice.objects.filter(pk=notice.pk, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
        if not claimed:
            continue
        link = f"{base}{notice.url}" if notice.url.startswith("/") else notice.url
        with translation.override(settings.LANGUAGE_CODE):
            send_mail(
                subject=f"[e-SAR] {notice.title}",
                message="\n\n".join(part for part in (notice.body, link) if part),
                from_email=None,
                recipient_list=[email],
            )
        sent += 1
    return sent


def unread_for(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Notice]:
    # The pages behind sign-in ask with the request's user, which the type checker cannot know
    # to be signed in there; the anonymous one has no notices.
    if not user.is_authenticated:
        return Notice.objects.none()
    # By id: the field points to settings.AUTH_USER_MODEL, which the type checker names
    # accounts' User, a model the kernel may not import.
    return Notice.objects.filter(recipient_id=user.pk, read_at__isnull=True)


def mark_read(*, user: AbstractBaseUser | AnonymousUser, notice_id: int | None = None) -> int:
    """Mark one notice (or all) of `user` as read; another person's notice is never touched."""
    qs = unread_for(user)
    if notice_id is not None:
        qs = qs.filter(pk=notice_id)
    return qs.update(read_at=timezone.now())
