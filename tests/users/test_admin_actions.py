"""Admin user management: create, read, update, delete, ban, role change, password reset."""
import pytest

from app.extensions import db
from app.models import Customer, Order, User
from app.utils.passwords import verify_password
from tests.factories import make_order, make_user
from tests.shapes import CUSTOMER_PROFILE_KEYS, EMPLOYEE_PROFILE_KEYS, USER_KEYS


def _user(app, user_id):
    with app.app_context():
        user = db.session.get(User, user_id)
        return None if user is None else {"role": user.role, "is_active": user.is_active, "email": user.email,
                                          "has_customer": user.customer is not None,
                                          "has_employee": user.employee is not None}


# ---- POST /api/users ----

@pytest.mark.parametrize("role, keys", [
    ("customer", CUSTOMER_PROFILE_KEYS), ("manager", EMPLOYEE_PROFILE_KEYS), ("cashier", EMPLOYEE_PROFILE_KEYS),
    ("admin", None),
])
def test_admin_creates_any_role(client, app, admin, role, keys):
    body = {"email": f"{role}2@shop.com", "username": f"{role}_2", "password": "Welcome123!", "role": role,
            "first_name": "Ann", "employee_id": "", "salary": "42000.50", "hire_date": "2026-03-01"}
    response = client.post("/api/users", json=body, headers=admin.headers)
    assert response.status_code == 201
    data = response.get_json()
    assert set(data) == {"message", "user", "profile"} and data["message"] == "User created successfully"
    assert set(data["user"]) == USER_KEYS and data["user"]["role"] == role
    if keys is None:
        assert data["profile"] is None
    else:
        assert set(data["profile"]) == keys and data["profile"]["first_name"] == "Ann"
    if role in ("manager", "cashier"):
        assert data["profile"]["salary"] == 42000.5
    login = client.post("/api/auth/login", json={"email_or_username": body["username"], "password": "Welcome123!"})
    assert login.status_code == 200


def test_create_user_defaults_to_customer_and_checks_conflicts(client, admin, customer):
    body = {"email": "plain@shop.com", "username": "plain", "password": "Welcome123!"}
    response = client.post("/api/users", json=body, headers=admin.headers)
    assert response.status_code == 201 and response.get_json()["user"]["role"] == "customer"
    dup = client.post("/api/users", json={**body, "email": customer.email.upper(), "username": "other"},
                      headers=admin.headers)
    assert dup.status_code == 409


@pytest.mark.parametrize("body", [
    {}, {"email": "x@y.com", "username": "xyz"}, {"email": "bad", "username": "xyz", "password": "Welcome123!"},
    {"email": "x@y.com", "username": "xyz", "password": "Welcome123!", "role": "owner"},
    {"email": "x@y.com", "username": "xyz", "password": "Welcome123!", "salary": "a lot"},
])
def test_create_user_validation(client, app, admin, body):
    response = client.post("/api/users", json=body, headers=admin.headers)
    assert response.status_code == 400 and response.get_json()["error"] == "Validation failed"
    with app.app_context():
        assert db.session.query(User).count() == 1


# ---- GET /api/users/<id> ----

@pytest.mark.parametrize("role, keys", [
    ("customer", CUSTOMER_PROFILE_KEYS), ("manager", EMPLOYEE_PROFILE_KEYS), ("cashier", EMPLOYEE_PROFILE_KEYS),
])
def test_get_user_with_profile(client, actors, role, keys):
    response = client.get(f"/api/users/{actors[role].id}", headers=actors["admin"].headers)
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"user", "profile"} and set(body["profile"]) == keys


def test_get_admin_user_has_no_profile_key(client, admin):
    assert set(client.get(f"/api/users/{admin.id}", headers=admin.headers).get_json()) == {"user"}


def test_employee_profile_shows_salary_as_a_number(client, app, admin):
    staff = make_user(app, "manager", salary="75000.00")
    profile = client.get(f"/api/users/{staff.id}", headers=admin.headers).get_json()["profile"]
    assert profile["salary"] == 75000.0


@pytest.mark.parametrize("method, suffix, body", [
    ("get", "", None), ("put", "", {"is_active": True}), ("delete", "", None), ("post", "/ban", None),
    ("post", "/unban", None), ("put", "/role", {"role": "cashier"}),
    ("post", "/password-reset", {"new_password": "Whatever123!"}),
])
def test_missing_user_is_404_everywhere(client, admin, method, suffix, body):
    response = getattr(client, method)(f"/api/users/999999{suffix}", json=body, headers=admin.headers)
    assert response.status_code == 404
    assert response.get_json()["error"] == "User not found"


# ---- PUT /api/users/<id> ----

def test_update_user_fields(client, app, admin, customer):
    response = client.put(f"/api/users/{customer.id}", headers=admin.headers,
                          json={"email": "NEW@Mail.com", "username": "renamed", "is_active": False, "role": "admin"})
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"message", "user"} and body["message"] == "User updated successfully"
    assert body["user"]["email"] == "new@mail.com" and body["user"]["username"] == "renamed"
    assert body["user"]["is_active"] is False and body["user"]["role"] == "customer"  # role not settable here


def test_update_user_uniqueness_conflicts(client, admin, customer, other_customer):
    for change in ({"email": other_customer.email}, {"username": other_customer.username}):
        response = client.put(f"/api/users/{customer.id}", json=change, headers=admin.headers)
        assert response.status_code == 409
    assert client.put(f"/api/users/{customer.id}", json={"email": customer.email},
                      headers=admin.headers).status_code == 200  # its own email is no conflict


def test_admin_cannot_deactivate_self(client, app, admin):
    response = client.put(f"/api/users/{admin.id}", json={"is_active": False}, headers=admin.headers)
    assert response.status_code == 400
    assert _user(app, admin.id)["is_active"] is True


@pytest.mark.parametrize("body", [{}, {"unknown": 1}, {"email": "nope"}, {"username": "a b"}, {"is_active": "maybe"},
                                  {"email": "x" * 121 + "@a.com"}])
def test_update_user_validation(client, app, admin, customer, body):
    response = client.put(f"/api/users/{customer.id}", json=body, headers=admin.headers)
    assert response.status_code == 400
    assert _user(app, customer.id)["email"] == customer.email


# ---- DELETE /api/users/<id> ----

def test_delete_user_without_orders(client, app, admin, customer):
    response = client.delete(f"/api/users/{customer.id}", headers=admin.headers)
    assert response.status_code == 200
    assert response.get_json() == {"message": "User deleted successfully", "warning": "This action cannot be undone"}
    assert _user(app, customer.id) is None
    with app.app_context():
        assert db.session.query(Customer).filter_by(user_id=customer.id).count() == 0


def test_user_with_orders_is_never_hard_deleted(client, app, admin, customer):
    make_order(app, customer.customer_id)
    response = client.delete(f"/api/users/{customer.id}", headers=admin.headers)
    assert response.status_code == 409
    assert "ban" in response.get_json()["error"]
    with app.app_context():
        assert db.session.query(Order).count() == 1
    assert _user(app, customer.id) is not None


def test_admin_cannot_delete_self(client, app, admin):
    response = client.delete(f"/api/users/{admin.id}", headers=admin.headers)
    assert response.status_code == 400 and response.get_json()["error"] == "Cannot delete your own account"


def test_staff_user_with_revoked_tokens_can_be_deleted(client, app, admin, cashier):
    client.post("/api/auth/logout", headers=cashier.headers)
    assert client.delete(f"/api/users/{cashier.id}", headers=admin.headers).status_code == 200
    assert _user(app, cashier.id) is None


# ---- ban / unban ----

def test_ban_and_unban(client, app, admin, customer):
    banned = client.post(f"/api/users/{customer.id}/ban", headers=admin.headers)
    assert banned.status_code == 200
    assert banned.get_json()["message"] == "User banned successfully"
    assert banned.get_json()["user"]["is_active"] is False
    unbanned = client.post(f"/api/users/{customer.id}/unban", headers=admin.headers)
    assert unbanned.get_json()["message"] == "User unbanned successfully"
    assert unbanned.get_json()["user"]["is_active"] is True


def test_admin_cannot_ban_self(client, app, admin):
    response = client.post(f"/api/users/{admin.id}/ban", headers=admin.headers)
    assert response.status_code == 400 and response.get_json()["error"] == "Cannot ban your own account"
    assert _user(app, admin.id)["is_active"] is True


def test_other_admins_can_be_banned(client, app, admin):
    other = make_user(app, "admin")
    assert client.post(f"/api/users/{other.id}/ban", headers=admin.headers).status_code == 200


def test_last_active_admin_is_protected(client, app, admin, monkeypatch):
    """A change after which no active admin would be left (the caller's own status gone meanwhile) is undone."""
    from app.repositories import user_repository
    other = make_user(app, "admin")
    monkeypatch.setattr(user_repository, "count_active_admins", lambda: 0)
    assert client.post(f"/api/users/{other.id}/ban", headers=admin.headers).status_code == 409
    assert client.put(f"/api/users/{other.id}/role", json={"role": "customer"}, headers=admin.headers).status_code == 409
    assert client.delete(f"/api/users/{other.id}", headers=admin.headers).status_code == 409
    assert client.put(f"/api/users/{other.id}", json={"is_active": False}, headers=admin.headers).status_code == 409
    assert _user(app, other.id) == {"role": "admin", "is_active": True, "email": other.email,
                                    "has_customer": False, "has_employee": False}


# ---- PUT /api/users/<id>/role ----

def test_customer_to_manager_keeps_customer_profile_and_orders(client, app, admin, customer):
    make_order(app, customer.customer_id)
    response = client.put(f"/api/users/{customer.id}/role", headers=admin.headers,
                          json={"role": "manager", "employee_id": "MGR-7", "salary": "65000"})
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"message", "user", "profile"} and body["message"] == "User role changed successfully"
    assert body["user"]["role"] == "manager"
    assert set(body["profile"]) == EMPLOYEE_PROFILE_KEYS
    assert body["profile"]["employee_id"] == "MGR-7" and body["profile"]["salary"] == 65000.0
    assert body["profile"]["first_name"] == "First" + body["profile"]["first_name"][5:]  # names carried over
    assert _user(app, customer.id)["has_customer"] is True
    with app.app_context():
        assert db.session.query(Order).count() == 1
    back = client.put(f"/api/users/{customer.id}/role", json={"role": "customer"}, headers=admin.headers)
    assert back.status_code == 200
    assert back.get_json()["profile"]["id"] == customer.customer_id  # the same customer profile again
    assert _user(app, customer.id)["has_employee"] is True


def test_staff_to_customer_creates_a_customer_profile(client, app, admin, cashier):
    response = client.put(f"/api/users/{cashier.id}/role", json={"role": "customer"}, headers=admin.headers)
    assert set(response.get_json()["profile"]) == CUSTOMER_PROFILE_KEYS
    assert client.get("/api/users/profile", headers=cashier.headers).get_json()["profile"] is not None


def test_to_admin_gives_null_profile_and_admin_to_staff_gets_employee_profile(client, app, admin, customer):
    response = client.put(f"/api/users/{customer.id}/role", json={"role": "admin"}, headers=admin.headers)
    assert response.get_json()["profile"] is None
    assert client.get("/api/users/statistics", headers=customer.headers).status_code == 200  # now an admin
    response = client.put(f"/api/users/{customer.id}/role", json={"role": "cashier"}, headers=admin.headers)
    assert set(response.get_json()["profile"]) == EMPLOYEE_PROFILE_KEYS


def test_manager_to_cashier_keeps_the_employee_profile(client, app, admin, manager):
    before = client.get(f"/api/users/{manager.id}", headers=admin.headers).get_json()["profile"]
    after = client.put(f"/api/users/{manager.id}/role", json={"role": "cashier"}, headers=admin.headers).get_json()
    assert after["profile"]["id"] == before["id"] and after["user"]["role"] == "cashier"


def test_admin_cannot_change_own_role(client, app, admin):
    response = client.put(f"/api/users/{admin.id}/role", json={"role": "customer"}, headers=admin.headers)
    assert response.status_code == 400 and response.get_json()["error"] == "Cannot change your own role"
    assert _user(app, admin.id)["role"] == "admin"


def test_role_change_employee_id_conflict(client, app, admin, manager, customer):
    taken = client.get(f"/api/users/{manager.id}", headers=admin.headers).get_json()["profile"]["employee_id"]
    response = client.put(f"/api/users/{customer.id}/role", headers=admin.headers,
                          json={"role": "cashier", "employee_id": taken})
    assert response.status_code == 409
    assert _user(app, customer.id)["role"] == "customer"


@pytest.mark.parametrize("body", [{}, {"role": ""}, {"role": "owner"}, {"role": None}, {"role": 1},
                                  {"role": "manager", "salary": "x"}, {"role": "manager", "employee_id": "e" * 21}])
def test_role_change_validation(client, app, admin, customer, body):
    response = client.put(f"/api/users/{customer.id}/role", json=body, headers=admin.headers)
    assert response.status_code == 400
    assert _user(app, customer.id)["role"] == "customer"


# ---- POST /api/users/<id>/password-reset ----

def test_password_reset_really_changes_the_password(client, app, admin, customer):
    response = client.post(f"/api/users/{customer.id}/password-reset", json={"new_password": "ResetPass1!"},
                           headers=admin.headers)
    assert response.status_code == 200
    body = response.get_json()
    assert body["message"] == "Password reset successfully" and set(body["user"]) == USER_KEYS
    with app.app_context():
        assert verify_password(db.session.get(User, customer.id).password_hash, "ResetPass1!")


@pytest.mark.parametrize("body", [{}, {"new_password": "short"}, {"new_password": "x" * 129}, {"new_password": None},
                                  {"new_password": 12345678}])
def test_password_reset_validation(client, admin, customer, body):
    response = client.post(f"/api/users/{customer.id}/password-reset", json=body, headers=admin.headers)
    assert response.status_code == 400
    assert client.get("/api/auth/me", headers=customer.headers).status_code == 200


def test_password_reset_is_rate_limited(client, app, admin, customer, rate_limits):
    previous = app.config["RATELIMIT_AUTH"]
    app.config["RATELIMIT_AUTH"] = "2 per minute"
    try:
        statuses = [client.post(f"/api/users/{customer.id}/password-reset", json={"new_password": "ResetPass1!"},
                                headers=admin.headers).status_code for _ in range(3)]
    finally:
        app.config["RATELIMIT_AUTH"] = previous
    assert statuses == [200, 200, 429]
