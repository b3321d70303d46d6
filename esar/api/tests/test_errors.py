"""Bad requests get a 422 or 400 that names the field and says what is wrong, in Thai by default."""

from esar.api.tests.conftest import API


def test_invalid_query_values_name_the_field_in_thai(client, world, token_for):
    token = token_for(world.cm_supervisor)
    response = client.get(
        f"{API}/institutions",
        {"page_size": "0", "kind": "temple"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "คำขอมีค่าที่ไม่ถูกต้อง ดูรายละเอียดใน errors"
    errors = {error["field"]: error for error in body["errors"]}
    assert errors["page_size"]["location"] == "query"
    assert errors["page_size"]["message"] == "ต้องไม่น้อยกว่า 1"
    assert errors["kind"]["message"].startswith("ต้องเป็นค่าใดค่าหนึ่งต่อไปนี้")
    assert "'school'" in errors["kind"]["message"]


def test_invalid_values_in_english_when_asked(api, world, token_for):
    response = api.get("/laos", token_for(world.dla_analyst), q="ก" * 201, active="maybe")
    assert response.status_code == 422
    errors = {error["field"]: error["message"] for error in response.json()["errors"]}
    assert errors == {"q": "At most 200 characters.", "active": "Must be true or false."}


def test_a_token_request_without_fields_or_with_a_broken_body(api, world):
    response = api.client.post(
        f"{API}/auth/token", {"username": "cm.school"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"location": "body", "field": "password", "message": "ต้องระบุค่านี้"}
    ]
    response = api.client.post(f"{API}/auth/token", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "อ่านข้อมูลที่ส่งมาไม่ได้ กรุณาส่งเป็น JSON"}
