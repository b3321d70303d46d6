"""Notices reach the people who must act, in the app and once by e-mail."""

from django.core import mail
from django.db import transaction

from esar.core.models import Notice
from esar.core.notices import mark_read, notify, send_notice_emails, unread_for


def test_a_notice_is_e_mailed_once_even_if_the_task_runs_twice(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notices = notify(
            users=[world.cm_city_officer, world.cm_city_officer, world.nobody],
            title="SAR 2569 รอการตรวจ",
            body="ฉบับที่ 1",
            url="/sar/1/review/",
        )
    # One notice per person, however often they were named.
    assert sorted(n.recipient.username for n in notices) == sorted(
        {world.cm_city_officer.username, world.nobody.username}
    )
    # Only people with an e-mail address get one (nobody has none); the notice is still there.
    assert [m.to for m in mail.outbox] == [[world.cm_city_officer.email]]
    message = mail.outbox[0]
    assert message.subject == "[e-SAR] SAR 2569 รอการตรวจ"
    assert "http://127.0.0.1:8000/sar/1/review/" in message.body
    # A redelivered task sends nothing more.
    assert send_notice_emails([n.pk for n in notices]) == 0
    assert len(mail.outbox) == 1


def test_a_rolled_back_change_notifies_nobody(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                notify(users=[world.cm_city_officer], title="ไม่ควรถูกส่ง")
                raise RuntimeError("the change failed")
        except RuntimeError:
            pass
    assert not Notice.objects.exists()
    assert mail.outbox == []


def test_people_mark_only_their_own_notices_read(world):
    mine = notify(users=[world.cm_school_officer], title="ของฉัน")[0]
    theirs = notify(users=[world.kk_school_officer], title="ของคนอื่น")[0]
    assert mark_read(user=world.cm_school_officer, notice_id=theirs.pk) == 0
    assert unread_for(world.kk_school_officer).count() == 1
    assert mark_read(user=world.cm_school_officer, notice_id=mine.pk) == 1
    assert unread_for(world.cm_school_officer).count() == 0
