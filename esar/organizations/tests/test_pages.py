"""Every registry page: anonymous → login, outsider → 404, the right role → sees its part."""

import pytest
from django.test import Client
from django.urls import reverse

from esar.organizations.models import Institution, InstitutionKind, LaoType, LocalAuthority

NATIONAL = ["dla_admin", "dla_analyst", "onesqa_reviewer", "helpdesk"]


def get(client: Client, user, url: str):
    client.force_login(user)
    return client.get(url)


@pytest.mark.parametrize(
    "url",
    [
        "/registry/provinces/",
        "/registry/provinces/50/",
        "/registry/laos/",
        "/registry/laos/2500101/",
        "/registry/institutions/",
        "/registry/institutions/3050000001/",
        "/registry/institutions/mine/",
        "/audit/",
        "/",
    ],
)
def test_anonymous_is_sent_to_login(client, world, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        # Another province's supervisor.
        ("kk_supervisor", "/registry/provinces/50/"),
        ("kk_supervisor", "/registry/laos/2500101/"),
        ("kk_supervisor", "/registry/institutions/3050000001/"),
        # Another LAO of the same province.
        ("cm_sao_officer", "/registry/laos/2500101/"),
        ("cm_sao_officer", "/registry/institutions/3050000001/"),
        # Another province's LAO and school.
        ("kk_town_officer", "/registry/institutions/3050000001/"),
        ("kk_school_officer", "/registry/institutions/3050000001/"),
        ("kk_school_officer", "/registry/laos/2500101/"),
        # Another school of the same province.
        ("cm_school_officer", "/registry/institutions/3050000002/"),
        # National lists are only for national roles.
        ("cm_supervisor", "/registry/provinces/"),
        ("cm_city_officer", "/registry/provinces/"),
        ("cm_school_officer", "/registry/provinces/"),
        # The audit log is DLA's.
        ("cm_supervisor", "/audit/"),
        ("onesqa_reviewer", "/audit/"),
        ("cm_school_officer", "/audit/"),
        # An account without a role sees nothing.
        ("nobody", "/registry/laos/"),
        ("nobody", "/registry/institutions/3050000001/"),
        ("nobody", "/registry/institutions/"),
        # Missing objects look the same as forbidden ones.
        ("dla_admin", "/registry/institutions/9999999999/"),
        ("dla_admin", "/registry/laos/9999999/"),
    ],
)
def test_outsiders_get_404(client, world, persona, url):
    response = get(client, getattr(world, persona), url)
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        *[(p, "/registry/provinces/") for p in NATIONAL],
        *[(p, "/registry/institutions/3050000001/") for p in NATIONAL],
        ("cm_supervisor", "/registry/provinces/50/"),
        ("cm_supervisor", "/registry/laos/2500101/"),
        ("cm_supervisor", "/registry/laos/6500102/"),
        ("cm_supervisor", "/registry/institutions/3050000002/"),
        ("cm_city_officer", "/registry/laos/2500101/"),
        ("cm_city_officer", "/registry/institutions/3050000001/"),
        ("cm_school_officer", "/registry/institutions/3050000001/"),
        ("dla_admin", "/audit/"),
        ("dla_analyst", "/audit/"),
    ],
)
def test_right_role_sees_the_page(client, world, persona, url):
    response = get(client, getattr(world, persona), url)
    assert response.status_code == 200


def test_province_supervisor_lists_only_own_laos_and_institutions(client, world):
    body = get(client, world.cm_supervisor, "/registry/laos/").content.decode()
    assert "เทศบาลนครดอยคำ" in body
    assert "องค์การบริหารส่วนตำบลบ้านป่าสัก" in body
    assert "เทศบาลเมืองหนองแวงใหญ่" not in body
    body = client.get("/registry/institutions/").content.decode()
    assert "โรงเรียนเทศบาลดอยคำวิทยา" in body
    assert "โรงเรียนเทศบาลหนองแวงใหญ่" not in body
    # Asking for another province by filter shows nothing rather than leaking it.
    body = client.get("/registry/institutions/?province=40").content.decode()
    assert "โรงเรียนเทศบาลหนองแวงใหญ่" not in body


def test_lao_officer_lists_only_own_institutions(client, world):
    body = get(client, world.cm_sao_officer, "/registry/institutions/").content.decode()
    assert "ศูนย์พัฒนาเด็กเล็กบ้านป่าสัก" in body
    assert "โรงเรียนเทศบาลดอยคำวิทยา" not in body
    # Their LAO list is their own LAO's page.
    response = client.get("/registry/laos/")
    assert response.status_code == 302
    assert response["Location"] == "/registry/laos/6500102/"


def test_school_officer_is_taken_to_own_institution(client, world):
    response = get(client, world.cm_school_officer, "/registry/institutions/mine/")
    assert response["Location"] == "/registry/institutions/3050000001/"
    response = client.get("/registry/institutions/")
    assert response["Location"] == "/registry/institutions/mine/"


def test_dla_searches_and_filters_institutions(client, world):
    client.force_login(world.dla_analyst)
    body = client.get("/registry/institutions/", {"q": "  ดอยคำ "}).content.decode()
    assert "โรงเรียนเทศบาลดอยคำวิทยา" in body
    assert "ศูนย์พัฒนาเด็กเล็กบ้านป่าสัก" not in body
    body = client.get("/registry/institutions/", {"kind": "child_centre"}).content.decode()
    assert "ศูนย์พัฒนาเด็กเล็กบ้านป่าสัก" in body
    assert "โรงเรียนเทศบาลดอยคำวิทยา" not in body
    # A NUL pasted into the search box is refused with a Thai page, not a server error.
    refused = client.get("/registry/institutions/", {"q": "ดอย\x00คำ"})
    assert refused.status_code == 422
    assert "มีอักขระที่ไม่อนุญาต" in refused.content.decode()
    body = client.get("/registry/institutions/", {"q": "30400"}).content.decode()
    assert "โรงเรียนเทศบาลหนองแวงใหญ่" in body
    assert "โรงเรียนเทศบาลดอยคำวิทยา" not in body
    body = client.get("/registry/institutions/", {"level": "vocational"}).content.decode()
    assert "โรงเรียน" not in body.split("<tbody>")[1].split("</tbody>")[0]
    body = client.get("/registry/laos/", {"lao_type": "sao", "province": "50"}).content.decode()
    assert "องค์การบริหารส่วนตำบลบ้านป่าสัก" in body
    assert "เทศบาลนครดอยคำ" not in body


def test_lao_detail_shows_type_history_and_institutions(client, world):
    world.cm_sao.type_changes.create(
        from_type=LaoType.SAO, to_type=LaoType.SUBDISTRICT_MUNICIPALITY
    )
    body = get(client, world.cm_supervisor, "/registry/laos/6500102/").content.decode()
    assert "ศูนย์พัฒนาเด็กเล็กบ้านป่าสัก" in body
    assert "Hathai" in body  # the LAO officer, so a supervisor knows whom to call


def _add_institutions(world, n: int) -> None:
    laos = [
        LocalAuthority(
            code=f"650{i:04d}",
            name_th=f"อบต.ทดสอบ{i}",
            lao_type=LaoType.SAO,
            province=world.chiang_mai,
        )
        for i in range(200, 200 + n)
    ]
    LocalAuthority.objects.bulk_create(laos)
    laos = list(LocalAuthority.objects.filter(code__in=[lao.code for lao in laos]))
    Institution.objects.bulk_create(
        Institution(
            code=f"30509{i:05d}",
            name_th=f"ศูนย์พัฒนาเด็กเล็กทดสอบ{i}",
            kind=InstitutionKind.CHILD_CENTRE,
            lao=laos[i % len(laos)],
            teaches_early_childhood=True,
        )
        for i in range(n * 3)
    )


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("cm_supervisor", "/registry/laos/?province=50"),
        ("dla_admin", "/registry/laos/?province=50"),
        ("dla_admin", "/registry/institutions/"),
        ("dla_analyst", "/registry/provinces/"),
        ("cm_supervisor", "/"),
        ("dla_admin", "/"),
    ],
)
def test_list_pages_use_a_fixed_number_of_queries(
    client, world, persona, url, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(getattr(world, persona))
    client.get(url)  # warm the session and any one-off lookups
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _add_institutions(world, 40)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]
