"""The bulk seeder writes what `submit` would: one submitted revision with its ratings per school."""

from esar.sar.models import RevisionRating, Sar, SarStatus
from esar.sar.scale import seed_submitted_sars
from esar.standards.models import StandardItem
from esar.testing.years import make_year


def test_bulk_seed_submits_one_sar_per_institution_once(world):
    year = make_year(2569)
    created = seed_submitted_sars(year)
    assert created == 3  # the three institutions of the test world
    sar = Sar.objects.get(institution=world.cm_school, year=year)
    assert sar.status == SarStatus.SUBMITTED
    assert sar.current_revision.number == 1
    assert sar.document.sha256 == sar.current_revision.document.sha256
    # Early childhood (14) and basic (21) items, one rating each.
    items = StandardItem.objects.filter(standard__standard_set__in=sar.standard_sets.all())
    assert items.count() == 35
    assert RevisionRating.objects.filter(revision=sar.current_revision).count() == 35
    assert seed_submitted_sars(year) == 0
    assert Sar.objects.count() == 3
