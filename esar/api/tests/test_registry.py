import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from esar.api.tests.conftest import codes
from esar.organizations.models import (
    Institution,
    InstitutionKind,
    LaoType,
    LaoTypeChange,
    LocalAuthority,
    Province,
)

CM_SCHOOL, CM_CENTRE, KK_SCHOOL = "3050000001", "3050000002", "3040000001"
CM_CITY, CM_SAO, KK_TOWN = "2500101", "6500102", "3400101"


# --- Who sees what ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "provinces", "laos", "institutions"),
    [
        ("cm_supervisor", ["50"], [CM_CITY, CM_SAO], [CM_CENTRE, CM_SCHOOL]),
        ("kk_supervisor", ["40"], [KK_TOWN], [KK_SCHOOL]),
        ("cm_city_officer", ["50"], [CM_CITY], [CM_SCHOOL]),
        ("cm_sao_officer", ["50"], [CM_SAO], [CM_CENTRE]),
        ("kk_town_officer", ["40"], [KK_TOWN], [KK_SCHOOL]),
        ("cm_school_officer", ["50"], [CM_CITY], [CM_SCHOOL]),
        ("kk_school_officer", ["40"], [KK_TOWN], [KK_SCHOOL]),
        ("nobody", [], [], []),
    ],
)
def test_lists_show_only_the_callers_part(
    api, world, token_for, persona, provinces, laos, institutions
):
    token = token_for(getattr(world, persona))

    assert codes(api.get("/provinces", token)) == sorted(provinces)
    assert codes(api.get("/laos", token)) == sorted(laos)
    assert codes(api.get("/institutions", token)) == sorted(institutions)


@pytest.mark.parametrize("persona", ["dla_admin", "dla_analyst", "onesqa_reviewer", "helpdesk"])
def test_national_roles_see_the_whole_country(api, world, token_for, persona):
    token = token_for(getattr(world, persona))

    assert api.get("/provinces", token).json()["count"] == 77
    assert codes(api.get("/laos", token)) == sorted([CM_CITY, CM_SAO, KK_TOWN])
    assert codes(api.get("/institutions", token)) == sorted([CM_SCHOOL, CM_CENTRE, KK_SCHOOL])


@pytest.mark.parametrize(
    ("persona", "path"),
    [
        ("kk_supervisor", f"/institutions/{CM_SCHOOL}"),
        ("kk_supervisor", f"/laos/{CM_CITY}"),
        ("kk_supervisor", "/provinces/50"),
        ("cm_sao_officer", f"/institutions/{CM_SCHOOL}"),
        ("cm_sao_officer", f"/laos/{CM_CITY}"),
        ("cm_school_officer", f"/institutions/{KK_SCHOOL}"),
        ("cm_school_officer", f"/institutions/{CM_CENTRE}"),
        ("cm_school_officer", f"/laos/{KK_TOWN}"),
        ("nobody", f"/institutions/{CM_SCHOOL}"),
        ("nobody", f"/laos/{CM_CITY}"),
        ("nobody", "/provinces/50"),
    ],
)
def test_outsiders_get_the_same_404_as_for_a_missing_code(api, world, token_for, persona, path):
    token = token_for(getattr(world, persona))
    missing = api.get(path.rsplit("/", 1)[0] + "/0000000000", token)

    response = api.get(path, token)

    assert response.status_code == missing.status_code == 404
    assert response.json() == missing.json() == {"detail": "Not found."}


def test_insiders_get_the_detail(api, world, token_for):
    assert api.get(f"/institutions/{CM_SCHOOL}", token_for(world.cm_supervisor)).status_code == 200
    assert (
        api.get(f"/institutions/{CM_SCHOOL}", token_for(world.cm_city_officer)).status_code == 200
    )
    assert (
        api.get(f"/institutions/{CM_SCHOOL}", token_for(world.cm_school_officer)).status_code == 200
    )
    assert api.get(f"/laos/{CM_SAO}", token_for(world.cm_sao_officer)).status_code == 200
    assert api.get("/provinces/40", token_for(world.kk_supervisor)).status_code == 200


# --- What a row says --------------------------------------------------------------------------


def test_institution_detail(api, world, token_for):
    body = api.get(f"/institutions/{CM_SCHOOL}", token_for(world.cm_city_officer)).json()

    assert body == {
        "code": CM_SCHOOL,
        "onesqa_code": "50000001",
        "name_th": "โรงเรียนเทศบาลดอยคำวิทยา",
        "name_en": "",
        "kind": "school",
        "kind_label": "School",
        "lao_code": CM_CITY,
        "province_code": "50",
        "levels": ["early_childhood", "basic"],
        "district": "",
        "is_active": True,
    }


def test_lao_detail_has_its_type_history(api, world, token_for):
    LaoTypeChange.objects.create(
        lao=world.cm_sao,
        from_type=LaoType.SAO,
        to_type=LaoType.SUBDISTRICT_MUNICIPALITY,
        source="test",
    )
    LaoTypeChange.objects.create(lao=world.cm_sao, from_type="", to_type=LaoType.SAO)

    body = api.get(f"/laos/{CM_SAO}", token_for(world.cm_supervisor)).json()

    assert body["lao_type"] == "sao"
    assert body["lao_type_label"] == "Subdistrict Administrative Organisation (SAO)"
    assert body["province_code"] == "50"
    assert body["institution_count"] == 1
    assert [(c["from_type"], c["to_type"]) for c in body["type_changes"]] == [
        (None, "sao"),
        ("sao", "subdistrict_municipality"),
    ]
    assert body["type_changes"][1]["to_type_label"] == "Subdistrict municipality"


def test_province_detail_counts_only_what_the_caller_sees(api, world, token_for):
    assert api.get("/provinces/50", token_for(world.cm_supervisor)).json() == {
        "code": "50",
        "name_th": "เชียงใหม่",
        "name_en": "Chiang Mai",
        "region": "north",
        "region_label": "North",
        "lao_count": 2,
        "institution_count": 2,
    }
    body = api.get("/provinces/50", token_for(world.cm_sao_officer)).json()
    assert (body["lao_count"], body["institution_count"]) == (1, 1)


# --- Filters: the page filters, the same names ------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"province": "50"}, [CM_CENTRE, CM_SCHOOL]),
        ({"province": "40"}, [KK_SCHOOL]),
        ({"lao": CM_SAO}, [CM_CENTRE]),
        ({"kind": "child_centre"}, [CM_CENTRE]),
        ({"kind": "school", "province": "50"}, [CM_SCHOOL]),
        ({"level": "basic"}, [KK_SCHOOL, CM_SCHOOL]),
        ({"level": "early_childhood"}, [CM_CENTRE, CM_SCHOOL]),
        ({"level": "vocational"}, []),
        ({"q": "ดอยคำ"}, [CM_SCHOOL]),
        ({"q": "  หนองแวง\u200b "}, [KK_SCHOOL]),
        ({"q": "๓๐๕๐"}, [CM_CENTRE, CM_SCHOOL]),
        ({"q": "40000001"}, [KK_SCHOOL]),
        ({"active": "true"}, [KK_SCHOOL, CM_CENTRE, CM_SCHOOL]),
        ({"active": "false"}, []),
    ],
)
def test_institution_filters(api, world, token_for, params, expected):
    response = api.get("/institutions", token_for(world.dla_analyst), **params)

    assert codes(response) == sorted(expected)


def test_filters_never_widen_the_scope(api, world, token_for):
    token = token_for(world.cm_supervisor)

    assert codes(api.get("/institutions", token, province="40")) == []
    assert codes(api.get("/institutions", token, q="หนองแวง")) == []
    assert codes(api.get("/laos", token, province="40")) == []


def test_an_inactive_institution_is_found_with_active_false(api, world, token_for):
    Institution.objects.filter(code=CM_CENTRE).update(is_active=False)
    token = token_for(world.cm_supervisor)

    assert codes(api.get("/institutions", token, active="false")) == [CM_CENTRE]
    assert codes(api.get("/institutions", token, active="true")) == [CM_SCHOOL]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"lao_type": "sao"}, [CM_SAO]),
        ({"lao_type": "city"}, [CM_CITY]),
        ({"province": "40"}, [KK_TOWN]),
        ({"q": "เทศบาล"}, [CM_CITY, KK_TOWN]),
        ({"q": "ป่าสัก"}, [CM_SAO]),
        ({"q": "250"}, [CM_CITY]),
        ({"active": "false"}, []),
    ],
)
def test_lao_filters(api, world, token_for, params, expected):
    assert codes(api.get("/laos", token_for(world.dla_admin), **params)) == sorted(expected)


@pytest.mark.parametrize(
    ("params", "included", "excluded"),
    [
        ({"q": "เชียงใหม่"}, ["50"], ["40"]),
        ({"q": "khon"}, ["40"], ["50"]),
        ({"region": "northeast"}, ["40"], ["50"]),
        ({"region": "north"}, ["50"], ["40"]),
    ],
)
def test_province_filters(api, world, token_for, params, included, excluded):
    found = codes(api.get("/provinces", token_for(world.dla_admin), page_size=500, **params))

    assert set(included) <= set(found)
    assert not set(excluded) & set(found)


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/institutions", {"kind": "castle"}),
        ("/institutions", {"level": "university"}),
        ("/laos", {"lao_type": "kingdom"}),
        ("/provinces", {"region": "atlantis"}),
        ("/institutions", {"active": "maybe"}),
        ("/institutions", {"page": "0"}),
        ("/institutions", {"page_size": "501"}),
    ],
)
def test_unknown_filter_values_are_a_422(api, world, token_for, path, params):
    assert api.get(path, token_for(world.dla_admin), **params).status_code == 422


# --- Pagination and query budget -------------------------------------------------------------


def test_page_number_pagination(api, world, token_for):
    token = token_for(world.dla_admin)

    first = api.get("/provinces", token, page_size=10).json()
    last = api.get("/provinces", token, page_size=10, page=8).json()
    beyond = api.get("/provinces", token, page_size=10, page=9).json()
    everything = api.get("/provinces", token, page_size=500).json()
    default = api.get("/provinces", token).json()

    assert (first["count"], len(first["items"])) == (77, 10)
    assert (last["count"], len(last["items"])) == (77, 7)
    assert beyond == {"count": 77, "items": []}
    assert len(everything["items"]) == 77
    assert len(default["items"]) == 50
    names = [p["name_th"] for p in everything["items"]]
    assert names == list(Province.objects.order_by("name_th").values_list("name_th", flat=True))
    paged = [
        p["code"]
        for page in range(1, 9)
        for p in api.get("/provinces", token, page_size=10, page=page).json()["items"]
    ]
    assert paged == [p["code"] for p in everything["items"]]


def _add_institutions(world, n: int) -> None:
    Institution.objects.bulk_create(
        Institution(
            code=f"30500{i:05d}",
            name_th=f"โรงเรียนทดสอบ {i}",
            kind=InstitutionKind.SCHOOL,
            lao=world.cm_city if i % 2 else world.cm_sao,
            teaches_basic=True,
        )
        for i in range(100, 100 + n)
    )


def _queries(api, path: str, token: str) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(path, token, page_size=500)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.json()


@pytest.mark.parametrize("persona", ["dla_admin", "cm_supervisor"])
def test_the_institution_list_costs_the_same_queries_for_3_or_60_rows(
    api, world, token_for, persona
):
    token = token_for(getattr(world, persona))
    api.get("/me", token)  # the first use of a token also records it

    few, small = _queries(api, "/institutions", token)
    _add_institutions(world, 57)
    many, large = _queries(api, "/institutions", token)

    assert len(large["items"]) == large["count"] > len(small["items"])
    assert few == many
    # The token (with user and membership), the count, the page.
    assert many == 3


def test_the_lao_list_costs_the_same_queries_for_any_number_of_rows(api, world, token_for):
    token = token_for(world.dla_admin)
    api.get("/me", token)
    few, _ = _queries(api, "/laos", token)
    LocalAuthority.objects.bulk_create(
        LocalAuthority(
            code=f"59{i:05d}",
            name_th=f"อบต.ทดสอบ {i}",
            lao_type=LaoType.SAO,
            province=world.khon_kaen,
        )
        for i in range(30)
    )
    many, large = _queries(api, "/laos", token)

    assert large["count"] == 33
    assert few == many == 3
