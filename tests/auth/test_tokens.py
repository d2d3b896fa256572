"""Live authorization, revocation (logout, password change) and token attacks."""
import pytest

from app.extensions import db
from app.models import RevokedToken, User
from app.utils.passwords import verify_password
from tests.factories import bearer

ME = "/api/auth/me"
CHANGE = "/api/auth/change-password"


def test_ban_takes_effect_on_the_next_request(client, admin, customer):
    assert client.get(ME, headers=customer.headers).status_code == 200
    assert client.post(f"/api/users/{customer.id}/ban", headers=admin.headers).status_code == 200
    response = client.get(ME, headers=customer.headers)
    assert response.status_code == 401 and "error" in response.get_json()
    client.post(f"/api/users/{customer.id}/unban", headers=admin.headers)
    assert client.get(ME, headers=customer.headers).status_code == 200


def test_deactivation_through_update_takes_effect_at_once(client, admin, manager):
    client.put(f"/api/users/{manager.id}", json={"is_active": False}, headers=admin.headers)
    assert client.get("/api/users/customers", headers=manager.headers).status_code == 401


def test_deleted_user_token_is_401(client, admin, customer):
    assert client.delete(f"/api/users/{customer.id}", headers=admin.headers).status_code == 200
    assert client.get(ME, headers=customer.headers).status_code == 401


@pytest.mark.parametrize("new_role", ["customer", "cashier"])
def test_demotion_takes_effect_on_the_next_request(client, admin, manager, new_role):
    assert client.get("/api/users/customers", headers=manager.headers).status_code == 200
    client.put(f"/api/users/{manager.id}/role", json={"role": new_role}, headers=admin.headers)
    response = client.get("/api/users/customers", headers=manager.headers)
    assert response.status_code == 403
    assert response.get_json()["your_role"] == new_role


def test_demoted_admin_loses_admin_routes(client, app, admin):
    from tests.factories import make_user
    second = make_user(app, "admin")
    client.put(f"/api/users/{second.id}/role", json={"role": "manager"}, headers=admin.headers)
    assert client.get("/api/users", headers=second.headers).status_code == 403


def test_change_password_really_changes_it_and_revokes_old_tokens(client, app, customer):
    response = client.post(CHANGE, json={"old_password": customer.password, "new_password": "BrandNew123!"},
                           headers=customer.headers)
    assert response.status_code == 200
    body = response.get_json()
    assert body["message"] == "Password changed successfully"
    assert client.get(ME, headers=customer.headers).status_code == 401  # old access token
    assert client.post("/api/auth/refresh", headers=bearer(customer.refresh_token)).status_code == 401
    assert client.get(ME, headers=bearer(body["access_token"])).status_code == 200
    assert client.post("/api/auth/refresh", headers=bearer(body["refresh_token"])).status_code == 200
    old = client.post("/api/auth/login", json={"email_or_username": customer.email, "password": customer.password})
    assert old.status_code == 401
    new = client.post("/api/auth/login", json={"email_or_username": customer.email, "password": "BrandNew123!"})
    assert new.status_code == 200
    with app.app_context():
        assert verify_password(db.session.get(User, customer.id).password_hash, "BrandNew123!")


def test_change_password_with_wrong_old_password(client, app, customer):
    response = client.post(CHANGE, json={"old_password": "nope-nope", "new_password": "BrandNew123!"},
                           headers=customer.headers)
    assert response.status_code == 400
    assert response.get_json()["error"] == "Invalid current password"
    assert client.get(ME, headers=customer.headers).status_code == 200  # nothing revoked


@pytest.mark.parametrize("body, field", [
    ({"old_password": "Customer123!"}, "new_password"),
    ({"new_password": "BrandNew123!"}, "old_password"),
    ({"old_password": "Customer123!", "new_password": "short"}, "new_password"),
    ({"old_password": "Customer123!", "new_password": "x" * 129}, "new_password"),
    ({"old_password": "Customer123!", "new_password": 123456789}, "new_password"),
    ({"old_password": "Customer123!", "new_password": "Customer123!"}, "new_password"),
])
def test_change_password_validation(client, customer, body, field):
    response = client.post(CHANGE, json=body, headers=customer.headers)
    assert response.status_code == 400
    assert field in response.get_json()["details"]


def test_change_password_needs_a_token_and_json(client, customer):
    assert client.post(CHANGE, json={"old_password": "a", "new_password": "BrandNew123!"}).status_code == 401
    assert client.post(CHANGE, data="x", content_type="text/plain", headers=customer.headers).status_code == 415
    assert client.post(CHANGE, data="null", content_type="application/json", headers=customer.headers).status_code == 400


@pytest.mark.parametrize("role", ["customer", "cashier", "manager", "admin"])
def test_every_role_may_change_its_password(client, actors, role):
    actor = actors[role]
    response = client.post(CHANGE, json={"old_password": actor.password, "new_password": "Another123!"},
                           headers=actor.headers)
    assert response.status_code == 200


def test_logout_revokes_the_access_token(client, app, customer):
    response = client.post("/api/auth/logout", headers=customer.headers)
    assert response.status_code == 200 and response.get_json() == {"message": "Logged out successfully"}
    after = client.get(ME, headers=customer.headers)
    assert after.status_code == 401 and after.get_json()["error"] == "Token has been revoked"
    assert client.post("/api/auth/refresh", headers=bearer(customer.refresh_token)).status_code == 200
    with app.app_context():
        row = db.session.query(RevokedToken).one()
        assert row.user_id == customer.id and row.token_type == "access" and row.expires_at is not None


def test_logout_also_revokes_the_refresh_token_sent_in_the_body(client, customer):
    response = client.post("/api/auth/logout", json={"refresh_token": customer.refresh_token}, headers=customer.headers)
    assert response.status_code == 200
    assert client.post("/api/auth/refresh", headers=bearer(customer.refresh_token)).status_code == 401


def test_logout_rejects_someone_elses_or_a_bogus_refresh_token(client, app, customer, other_customer):
    for token in (other_customer.refresh_token, "garbage", customer.access_token):
        response = client.post("/api/auth/logout", json={"refresh_token": token}, headers=customer.headers)
        assert response.status_code == 400
    assert client.get(ME, headers=customer.headers).status_code == 200  # nothing was revoked
    assert client.post("/api/auth/refresh", headers=bearer(other_customer.refresh_token)).status_code == 200


def test_logout_validation_and_auth(client, customer):
    assert client.post("/api/auth/logout").status_code == 401
    bad = client.post("/api/auth/logout", json={"refresh_token": 5}, headers=customer.headers)
    assert bad.status_code == 400


def test_password_reset_by_admin_revokes_tokens(client, admin, customer):
    response = client.post(f"/api/users/{customer.id}/password-reset", json={"new_password": "ResetPass1!"},
                           headers=admin.headers)
    assert response.status_code == 200
    assert client.get(ME, headers=customer.headers).status_code == 401
    login = client.post("/api/auth/login", json={"email_or_username": customer.username, "password": "ResetPass1!"})
    assert login.status_code == 200


@pytest.mark.parametrize("attack", ["alg_none", "tampered", "expired", "refresh_as_access", "garbage", "no_scheme"])
def test_token_attacks_get_401_json(client, forge, customer, attack):
    headers = {
        "alg_none": bearer(forge.alg_none(customer.id)),
        "tampered": bearer(forge.tampered(customer.access_token)),
        "expired": bearer(forge.expired_access(customer.id, "customer")),
        "refresh_as_access": bearer(customer.refresh_token),
        "garbage": bearer("abc.def.ghi"),
        "no_scheme": {"Authorization": customer.access_token},
    }[attack]
    for path in (ME, "/api/users"):
        response = client.get(path, headers=headers)
        assert response.status_code == 401
        assert response.is_json and "error" in response.get_json()
    if attack == "expired":
        assert client.get(ME, headers=headers).get_json()["error"] == "Token has expired"


def test_access_token_used_as_refresh_is_401(client, customer):
    response = client.post("/api/auth/refresh", headers=customer.headers)
    assert response.status_code == 401 and response.get_json()["error"] == "Invalid token"
