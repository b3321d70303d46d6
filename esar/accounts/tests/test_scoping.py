from esar.accounts.scoping import visible
from esar.organizations.models import Institution, LocalAuthority, Province


def codes(qs):
    return sorted(qs.values_list("code", flat=True))


def test_province_supervisor_sees_only_own_province(world):
    assert codes(visible(world.cm_supervisor, LocalAuthority.objects.all())) == [
        "2500101",
        "6500102",
    ]
    assert codes(visible(world.cm_supervisor, Institution.objects.all())) == [
        "3050000001",
        "3050000002",
    ]
    assert codes(visible(world.kk_supervisor, Institution.objects.all())) == ["3040000001"]
    assert codes(visible(world.cm_supervisor, Province.objects.all())) == ["50"]


def test_lao_officer_sees_only_own_lao_and_its_institutions(world):
    assert codes(visible(world.cm_city_officer, LocalAuthority.objects.all())) == ["2500101"]
    assert codes(visible(world.cm_city_officer, Institution.objects.all())) == ["3050000001"]
    assert codes(visible(world.cm_sao_officer, Institution.objects.all())) == ["3050000002"]
    assert codes(visible(world.cm_city_officer, Province.objects.all())) == ["50"]


def test_school_officer_sees_only_own_institution(world):
    assert codes(visible(world.cm_school_officer, Institution.objects.all())) == ["3050000001"]
    assert codes(visible(world.cm_school_officer, LocalAuthority.objects.all())) == ["2500101"]
    assert codes(visible(world.kk_school_officer, Institution.objects.all())) == ["3040000001"]


def test_national_roles_see_everything(world):
    total = Institution.objects.count()
    for user in (world.dla_admin, world.dla_analyst, world.onesqa_reviewer, world.helpdesk):
        assert visible(user, Institution.objects.all()).count() == total
        assert visible(user, Province.objects.all()).count() == 77


def test_account_without_membership_sees_nothing(world):
    assert not visible(world.nobody, Institution.objects.all()).exists()
    assert not visible(world.nobody, Province.objects.all()).exists()
