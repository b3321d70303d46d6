from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import RequestFactory, override_settings
from django.urls import reverse

from esar.accounts.models import Membership, User
from esar.accounts.roles import Role
from esar.core.models import AuditEvent
from esar.organizations import demo
from esar.organizations.models import (
    Institution,
    InstitutionKind,
    LaoType,
    LaoTypeChange,
    LocalAuthority,
    Province,
    ProvincialOffice,
)

pytestmark = pytest.mark.django_db

# Argon2 takes ~0.15 s a check; the same code paths with a fast hasher keep 59 logins quick.
# The generated-secret hasher stays: seeding issues e-SAR accounts with one-time passwords.
FAST_HASHER = override_settings(
    PASSWORD_HASHERS=[
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "esar.accounts.hashers.GeneratedSecretHasher",
    ]
)
TYPE_DIGIT = {
    LaoType.PAO: "1",
    LaoType.CITY_MUNICIPALITY: "2",
    LaoType.TOWN_MUNICIPALITY: "3",
    LaoType.SUBDISTRICT_MUNICIPALITY: "5",
    LaoType.SAO: "6",
}


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    return {
        "laos": sorted(LocalAuthority.objects.values_list("code", "name_th", "lao_type")),
        "institutions": sorted(Institution.objects.values_list("code", "onesqa_code", "lao__code")),
        "type_changes": LaoTypeChange.objects.count(),
        "users": sorted(User.objects.values_list("username", "password")),
        "memberships": Membership.objects.count(),
    }


def assert_lao_code_is_valid(lao: LocalAuthority) -> None:
    assert len(lao.code) == 7 and lao.code.isdigit()
    assert lao.code[1:3] == lao.province_id
    history = sorted(lao.type_changes.all(), key=lambda change: change.id)
    assert history, f"{lao.code} has no type history"
    assert history[-1].to_type == lao.lao_type
    # The first digit follows the type the LAO had when it was coded.
    assert lao.code[0] == TYPE_DIGIT[LaoType(history[0].to_type)]


def assert_institution_is_valid(institution: Institution) -> None:
    assert len(institution.code) == 10 and institution.code.isdigit()
    assert institution.code.startswith("30")
    assert institution.code[2:4] == institution.lao.province_id
    if institution.kind == InstitutionKind.CHILD_CENTRE:
        assert institution.levels == ["early_childhood"]
    elif institution.kind == InstitutionKind.COLLEGE:
        assert institution.levels == ["vocational"]
    else:
        assert "basic" in institution.levels and "vocational" not in institution.levels


def test_seed_demo_builds_three_provinces_of_laos_and_institutions():
    output = seed()

    assert "12 LAOs, 40 institutions and 59 accounts in 3 provinces" in output
    laos = list(LocalAuthority.objects.select_related("province"))
    assert {lao.province_id for lao in laos} == {"50", "40", "90"}
    assert 10 <= len(laos) <= 14
    assert {lao.lao_type for lao in laos} == {
        LaoType.PAO,
        LaoType.CITY_MUNICIPALITY,
        LaoType.TOWN_MUNICIPALITY,
        LaoType.SUBDISTRICT_MUNICIPALITY,
        LaoType.SAO,
    }
    for lao in laos:
        assert_lao_code_is_valid(lao)

    institutions = list(Institution.objects.select_related("lao"))
    assert 35 <= len(institutions) <= 45
    kinds = [i.kind for i in institutions]
    assert kinds.count(InstitutionKind.COLLEGE) == 1
    assert kinds.count(InstitutionKind.SCHOOL) >= 10
    assert kinds.count(InstitutionKind.CHILD_CENTRE) >= 20
    for institution in institutions:
        assert_institution_is_valid(institution)
    # Every school has an ONESQA code, some child centres have none.
    assert all(i.onesqa_code for i in institutions if i.kind != InstitutionKind.CHILD_CENTRE)
    assert any(not i.onesqa_code for i in institutions)


def test_seed_demo_records_an_upgraded_sao_that_kept_its_code():
    seed()

    upgraded = LaoTypeChange.objects.get(from_type=LaoType.SAO)
    assert upgraded.to_type == LaoType.SUBDISTRICT_MUNICIPALITY
    assert upgraded.lao.lao_type == LaoType.SUBDISTRICT_MUNICIPALITY
    assert upgraded.lao.code.startswith("6")
    assert upgraded.effective_date is not None


def test_seed_demo_gives_every_organisation_one_account_per_role():
    seed()

    def members(role: Role, **organization) -> list[str]:
        return list(
            Membership.objects.filter(role=role, **organization).values_list(
                "user__username", flat=True
            )
        )

    assert members(Role.DLA_ADMIN, agency="DLA") == ["dla.admin"]
    assert members(Role.DLA_ANALYST, agency="DLA") == ["dla.analyst"]
    assert members(Role.ONESQA_REVIEWER, agency="ONESQA") == ["onesqa.reviewer"]
    assert members(Role.HELPDESK, agency="ONESQA") == ["helpdesk"]
    for office in ProvincialOffice.objects.filter(province__in=["50", "40", "90"]):
        assert members(Role.PROVINCE_SUPERVISOR, province_office=office) == [f"prov{office.pk}"]
    for lao in LocalAuthority.objects.all():
        # The LAO's officer, and the e-SAR account DLA issued to it for delivering.
        assert sorted(members(Role.LAO_OFFICER, lao=lao)) == [f"esar{lao.code}", f"lao{lao.code}"]
    for institution in Institution.objects.all():
        assert members(Role.SCHOOL_OFFICER, institution=institution) == [
            f"school{institution.code}"
        ]
    assert User.objects.count() == 4 + 3 + 12 + 40 + 12
    user = User.objects.get(username="lao2500001")
    assert user.email == "lao2500001@example.com"
    assert user.first_name and user.last_name and not user.phone


@FAST_HASHER
def test_every_demo_account_logs_in_with_the_demo_password(client):
    seed()

    request = RequestFactory().post("/accounts/login/")
    for user in User.objects.all():
        assert authenticate(request, username=user.username, password=demo.DEMO_PASSWORD) == user
    assert authenticate(request, username="dla.admin", password="wrong-password") is None

    response = client.post(
        reverse("accounts:login"),
        {"username": "school3050000004", "password": demo.DEMO_PASSWORD},
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(username="school3050000004").pk)


def test_seed_demo_twice_changes_nothing():
    seed()
    before = snapshot()

    output = seed()

    assert snapshot() == before
    assert "created now" not in output
    assert AuditEvent.objects.filter(action="demo.seeded").count() == 1


def test_seed_demo_records_what_it_created():
    seed()

    event = AuditEvent.objects.get(action="demo.seeded")
    assert event.data["scale"] == "small"
    assert event.data["created"] == {
        "laos": 12,
        "institutions": 40,
        "type_changes": 13,
        "accounts": 59,
    }


def test_seed_demo_refuses_in_production_without_force():
    with override_settings(PRODUCTION=True):
        with pytest.raises(CommandError, match="production"):
            seed()
        assert not LocalAuthority.objects.exists()
        assert not User.objects.exists()

        seed("--force")
    assert LocalAuthority.objects.count() == 12


def test_scale_national_creates_exactly_the_requested_counts_with_valid_codes():
    output = seed("--scale", "national", "--laos", "300", "--institutions", "800")

    assert "created now: 300 LAOs" in output
    assert LocalAuthority.objects.count() == 300
    assert Institution.objects.count() == 800
    # Every province but Bangkok has exactly one PAO; Bangkok gets nothing.
    provinces = set(Province.objects.exclude(code="10").values_list("code", flat=True))
    paos = list(
        LocalAuthority.objects.filter(lao_type=LaoType.PAO).values_list("province_id", flat=True)
    )
    assert sorted(paos) == sorted(provinces)
    assert not LocalAuthority.objects.filter(province="10").exists()
    assert LocalAuthority.objects.values("province").distinct().count() == 76
    assert {lao.lao_type for lao in LocalAuthority.objects.all()} == set(TYPE_DIGIT)
    for lao in LocalAuthority.objects.prefetch_related("type_changes"):
        assert_lao_code_is_valid(lao)
    for institution in Institution.objects.select_related("lao"):
        assert_institution_is_valid(institution)
    # National scale creates no accounts.
    assert not User.objects.exists()


def test_scale_national_spreads_institutions_like_the_country():
    seed("--scale", "national", "--laos", "300", "--institutions", "800")

    kinds = dict.fromkeys(InstitutionKind.values, 0)
    for kind in Institution.objects.values_list("kind", flat=True):
        kinds[kind] += 1
    assert kinds[InstitutionKind.CHILD_CENTRE] > kinds[InstitutionKind.SCHOOL] > 0
    assert kinds[InstitutionKind.COLLEGE] > 0
    onesqa = list(Institution.objects.values_list("onesqa_code", flat=True))
    assert "" in onesqa
    filled = [code for code in onesqa if code]
    assert len(filled) == len(set(filled))


def test_scale_national_is_idempotent():
    seed("--scale", "national", "--laos", "300", "--institutions", "800")
    before = snapshot()

    output = seed("--scale", "national", "--laos", "300", "--institutions", "800")

    assert snapshot() == before
    assert "created now: 0 LAOs, 0 type-history rows, 0 institutions" in output
    assert AuditEvent.objects.filter(action="demo.seeded").count() == 1


def test_scale_national_adopts_the_small_worlds_pao_instead_of_adding_a_second():
    seed()
    seed("--scale", "national", "--laos", "300", "--institutions", "800")

    assert LocalAuthority.objects.filter(province="50", lao_type=LaoType.PAO).count() == 1
    assert LocalAuthority.objects.count() == 12 + 299
    assert Institution.objects.count() == 40 + 800
    assert User.objects.count() == 59 + 12


def test_scale_options_are_rejected_when_nonsensical():
    with pytest.raises(CommandError):
        seed("--scale", "national", "--laos", "0", "--institutions", "10")


def test_apportion_splits_exactly():
    assert demo.apportion(10, [1, 1, 1]) == [4, 3, 3]
    assert sum(demo.apportion(7774, [30, 190, 2242, 5312])) == 7774
    assert demo.apportion(0, [1, 2]) == [0, 0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner statistics")
def test_the_national_seed_leaves_the_planner_statistics_of_what_it_loaded():
    def estimated(table: str) -> float:
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
            return cursor.fetchone()[0]

    output = seed("--scale", "national", "--laos", "300", "--institutions", "900")

    assert "Planner statistics (ANALYZE)" in output
    # Without ANALYZE a table filled since it was created is planned as never analysed (-1).
    assert estimated(Institution._meta.db_table) == Institution.objects.count() >= 900
    assert estimated(LocalAuthority._meta.db_table) == LocalAuthority.objects.count() >= 300
