"""A schemathesis-like walk of the OpenAPI document.

Every GET operation is called with a valid token, once bare and once with realistic values for all
its parameters; none may answer 5xx, and a 200 must carry exactly the documented top-level keys.
"""

from typing import Any

import pytest

from esar.api.tests.conftest import API

PATH_VALUES = {
    "/api/v1/provinces/{code}": {"code": "50"},
    "/api/v1/laos/{code}": {"code": "2500101"},
    "/api/v1/institutions/{code}": {"code": "3050000001"},
}
# The registry's read endpoints, walked here by hand; every operation of the document, the SAR
# cycle's included, is also driven by schemathesis (test_schemathesis.py).
REGISTRY_PATHS = {
    "/api/v1/me",
    "/api/v1/provinces",
    "/api/v1/provinces/{code}",
    "/api/v1/laos",
    "/api/v1/laos/{code}",
    "/api/v1/institutions",
    "/api/v1/institutions/{code}",
}
QUERY_VALUES = {
    "q": "เทศบาล",
    "region": "north",
    "province": "50",
    "lao": "2500101",
    "lao_type": "city",
    "kind": "school",
    "level": "basic",
    "active": "true",
    "target_group": "true",
    "year": "2569",
    "page": "1",
    "page_size": "20",
}


def _resolve(document: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _get_operations(document: dict) -> list[tuple[str, dict]]:
    return [
        (path, operations["get"])
        for path, operations in sorted(document["paths"].items())
        if "get" in operations
    ]


@pytest.fixture
def document(api) -> dict[str, Any]:
    response = api.client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_the_document_describes_the_api(document):
    assert document["openapi"].startswith("3.")
    assert document["components"]["securitySchemes"]["TokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }
    paths = {path for path, _ in _get_operations(document)}
    assert paths == REGISTRY_PATHS | {
        "/api/v1/standard-sets",
        "/api/v1/standard-sets/{code}",
        "/api/v1/years",
        "/api/v1/years/{year}",
        "/api/v1/sars",
        "/api/v1/sars/{sar_id}",
        "/api/v1/sars/{sar_id}/revisions",
        "/api/v1/sars/{sar_id}/revisions/{number}",
        "/api/v1/sars/{sar_id}/revisions/{number}/compare",
        "/api/v1/review-queue",
        "/api/v1/files/{attachment_id}",
        "/api/v1/syntheses",
        "/api/v1/syntheses/{lao}/{year}",
        "/api/v1/syntheses/{lao}/{year}/versions/{number}",
        "/api/v1/deliveries",
        "/api/v1/deliveries/pending",
        "/api/v1/deliveries/{delivery_id}",
        "/api/v1/deliveries/{delivery_id}/manifest",
        "/api/v1/deliveries/{delivery_id}/sars/{institution_code}",
        "/api/v1/deliveries/{delivery_id}/synthesis",
        "/api/v1/deliveries/{delivery_id}/files/{path}",
        "/api/v1/circulars",
        "/api/v1/circulars/{circular_id}",
        "/api/v1/circulars/{circular_id}/files/{file_id}",
        "/api/v1/visits",
        "/api/v1/visits/{visit_id}",
        "/api/v1/follow-ups",
        "/api/v1/progress/institutions",
        "/api/v1/progress/laos",
        "/api/v1/dashboards/province/{code}",
        "/api/v1/dashboards/national",
        "/api/v1/jobs",
        "/api/v1/jobs/{job_id}",
        "/api/v1/jobs/{job_id}/file",
        "/api/v1/imports/{kind}/template",
        "/api/v1/issuances",
        "/api/v1/issuances/plan",
        "/api/v1/issuances/{batch_id}",
        "/api/v1/issuances/{batch_id}/files/{province}.{kind}",
        "/api/v1/issuances/{batch_id}/all.zip",
        "/api/v1/reminders/settings",
        "/api/v1/helpdesk/reports",
        "/api/v1/helpdesk/reports/{reference}",
    }
    assert set(PATH_VALUES) <= paths


def test_there_is_no_swagger_page(api):
    assert api.client.get(f"{API}/docs").status_code == 404


def test_every_get_operation_answers_as_documented(api, world, token_for, document):
    token = token_for(world.dla_admin)
    checked = 0
    for path, operation in _get_operations(document):
        if path not in REGISTRY_PATHS:
            continue
        url = path.format(**PATH_VALUES.get(path, {}))
        assert "{" not in url, f"no example value for {path}"
        query_names = [p["name"] for p in operation["parameters"] if p["in"] == "query"]
        assert set(query_names) <= set(QUERY_VALUES), f"no example value for {path}"
        for params in ({}, {name: QUERY_VALUES[name] for name in query_names}):
            response = api.client.get(url, params, headers={"Authorization": f"Bearer {token}"})
            assert response.status_code < 500, (path, params)
            documented = operation["responses"].get(str(response.status_code))
            assert documented is not None, (path, params, response.status_code)
            schema = _resolve(document, documented["content"]["application/json"]["schema"])
            body = response.json()
            assert set(body) == set(schema["properties"]), (path, params)
            assert set(schema.get("required", [])) <= set(body)
            checked += 1
    assert checked == 14


def test_every_get_operation_documents_401(document):
    for path, operation in _get_operations(document):
        assert "401" in operation["responses"], path
        assert operation["security"] == [{"TokenAuth": []}], path
