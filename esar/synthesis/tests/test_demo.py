"""The demo's syntheses: last year's completed on time by every LAO, this year's being written."""

from io import StringIO

from django.core.management import call_command

from esar.synthesis.models import Synthesis, SynthesisStatus, SynthesisVersion


def test_seed_demo_completes_last_years_syntheses_on_time_once(db):
    call_command("seed_demo", stdout=StringIO())
    past = Synthesis.objects.filter(year_id=2568)
    assert past.count() == 12  # every demo LAO has schools with accepted 2568 SARs
    assert set(past.values_list("status", flat=True)) == {SynthesisStatus.COMPLETE}
    versions = SynthesisVersion.objects.filter(synthesis__year_id=2568)
    assert versions.count() == 12 and not versions.filter(is_late=True).exists()
    assert all(v.issues and v.figures["accepted"] > 0 for v in versions)
    assert Synthesis.objects.filter(year_id=2569, status=SynthesisStatus.DRAFT).count() == 1
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert Synthesis.objects.count() == 13
    assert "Demo syntheses created" not in out.getvalue()
