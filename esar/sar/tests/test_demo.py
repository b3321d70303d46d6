"""The demo world's SARs: every state to show, last year's sent on time, nothing doubled."""

from io import StringIO

from django.core.management import call_command

from esar.sar.models import Revision, RevisionStatus, Sar, SarStatus


def test_seed_demo_makes_sars_in_every_state_once(db):
    call_command("seed_demo", stdout=StringIO())
    past = Sar.objects.filter(year_id=2568)
    assert past.count() == 40
    assert set(past.values_list("status", flat=True)) == {SarStatus.ACCEPTED}
    assert not Revision.objects.filter(sar__year_id=2568, is_late=True).exists()
    current = set(Sar.objects.filter(year_id=2569).values_list("status", flat=True))
    assert current == {
        SarStatus.DRAFT,
        SarStatus.SUBMITTED,
        SarStatus.RETURNED,
        SarStatus.ACCEPTED,
    }
    returned = Revision.objects.filter(sar__year_id=2569, status=RevisionStatus.RETURNED)
    assert returned.exists()
    assert all(revision.reasons.count() == 2 for revision in returned)
    # Some institutions have not started 2569, so that "start the SAR" can be shown.
    assert Sar.objects.filter(year_id=2569).count() < 40
    before = Sar.objects.count(), Revision.objects.count()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert (Sar.objects.count(), Revision.objects.count()) == before
    assert "Demo SARs created" not in out.getvalue()
