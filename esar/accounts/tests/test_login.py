"""Login, logout, password change, lockout, hashing, cookies and security headers."""

from django.urls import reverse

from esar.accounts.models import User
from esar.core.models import AuditEvent
from esar.testing.world import PASSWORD


def login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_login_with_the_right_password_opens_the_home_page(client, world):
    response = login(client, "cm.school", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    page = client.get("/")
    assert page.status_code == 200
    assert "โรงเรียนเทศบาลดอยคำวิทยา" in page.content.decode()
    assert AuditEvent.objects.filter(
        action="account.logged_in", actor=world.cm_school_officer
    ).exists()


def test_wrong_password_is_refused_with_a_message_and_recorded(client, world):
    response = login(client, "cm.school", "wrong-password")
    assert response.status_code == 422
    assert "_auth_user_id" not in client.session
    assert response.context["form"].errors
    assert AuditEvent.objects.filter(
        action="account.login_failed", data__username="cm.school"
    ).exists()


def test_account_is_locked_after_repeated_failures(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "cm.city", "not-the-password")
    response = login(client, "cm.city", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another account from the same address is not locked with it.
    assert login(client, "kk.town", PASSWORD).status_code == 302


def test_logout_ends_the_session(client, world):
    login(client, "cm.school", PASSWORD)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_password_change_requires_the_old_password_and_takes_effect(client, world):
    client.force_login(world.cm_school_officer)
    url = reverse("accounts:password_change")
    bad = client.post(
        url,
        {
            "old_password": "nope",
            "new_password1": "ฝนตกที่ดอยคำ2569",
            "new_password2": "ฝนตกที่ดอยคำ2569",
        },
    )
    assert bad.status_code == 422
    assert bad.context["form"].errors["old_password"]
    weak = client.post(
        url, {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"}
    )
    assert weak.context["form"].errors["new_password2"]
    ok = client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "ฝนตกที่ดอยคำ2569",
            "new_password2": "ฝนตกที่ดอยคำ2569",
        },
    )
    assert ok.status_code == 302
    user = User.objects.get(pk=world.cm_school_officer.pk)
    assert user.check_password("ฝนตกที่ดอยคำ2569")
    assert user.password.startswith("argon2")
    assert AuditEvent.objects.filter(action="account.password_changed", actor=user).exists()


def test_passwords_are_hashed_with_argon2(world):
    assert User.objects.get(username="cm.school").password.startswith("argon2$")


def test_security_headers_and_cookies(client, world):
    response = client.get(reverse("accounts:login"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    login(client, "cm.school", PASSWORD)
    cookie = client.cookies["esar_session"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_admin_is_only_for_dla_administrators(client, world):
    client.force_login(world.dla_admin)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/organizations/institution/").status_code == 200
    for persona in (world.dla_analyst, world.cm_supervisor, world.cm_school_officer):
        client.force_login(persona)
        response = client.get("/admin/")
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]
