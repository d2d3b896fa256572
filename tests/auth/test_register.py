"""POST /api/auth/register: public customers, admin-created staff, validation and conflicts."""
import pytest

from app.extensions import db
from app.models import Customer, Employee, User
from tests.shapes import CUSTOMER_PROFILE_KEYS, EMPLOYEE_PROFILE_KEYS, USER_KEYS
from tests.factories import bearer

URL = "/api/auth/register"


def _count(app, model):
    with app.app_context():
        return db.session.query(model).count()


def test_public_registration_creates_a_customer_with_profile(client, app, signup):
    response = client.post(URL, json={**signup, "password_confirm": "Secret123!", "unknown": 1})
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == {"message", "user", "profile"}
    assert body["message"] == "User registered successfully"
    assert set(body["user"]) == USER_KEYS
    assert set(body["profile"]) == CUSTOMER_PROFILE_KEYS
    assert body["user"]["email"] == "jane.doe@example.com"  # normalised
    assert body["user"]["role"] == "customer" and body["user"]["is_active"] is True
    assert body["profile"]["full_name"] == "Jane Doe"
    assert body["profile"]["phone"] is None  # "" became null
    assert body["profile"]["user_id"] == body["user"]["id"]
    with app.app_context():
        user = db.session.get(User, body["user"]["id"])
        assert user.customer is not None and user.password_hash != "Secret123!"


@pytest.mark.parametrize("role", [None, "", "customer"])
def test_missing_empty_or_customer_role_registers_a_customer(client, signup, role):
    body = {**signup, "role": role}
    if role is None:
        body.pop("role")
    response = client.post(URL, json=body)
    assert response.status_code == 201
    assert response.get_json()["user"]["role"] == "customer"


def test_minimal_body_gets_an_empty_customer_profile(client):
    response = client.post(URL, json={"email": "a@b.co", "username": "abc", "password": "12345678"})
    assert response.status_code == 201
    assert response.get_json()["profile"]["full_name"] == "Anonymous"


@pytest.mark.parametrize("role", ["admin", "manager", "cashier", "superuser"])
def test_public_registration_of_other_roles_is_forbidden(client, app, signup, role):
    response = client.post(URL, json={**signup, "role": role})
    assert response.status_code == 403
    assert response.get_json()["error"] == "Public registration is limited to customer accounts only"
    assert _count(app, User) == 0


@pytest.mark.parametrize("actor", ["customer", "manager", "cashier"])
def test_non_admin_token_cannot_register_staff(client, actors, signup, actor):
    response = client.post(URL, json={**signup, "role": "manager"}, headers=actors[actor].headers)
    assert response.status_code == 403


def test_admin_registers_staff_with_the_spa_string_fields(client, app, admin):
    body = {"email": "staff@shop.com", "username": "staff.one", "password": "Staff123!", "password_confirm": "Staff123!",
            "role": "manager", "first_name": "Sam", "last_name": "Lee", "phone": "555", "address_line1": "",
            "address_line2": "", "city": "", "state": "", "postal_code": "", "country": "",
            "employee_id": "", "hire_date": "", "salary": "50000"}
    response = client.post(URL, json=body, headers=admin.headers)
    assert response.status_code == 201
    data = response.get_json()
    assert data["user"]["role"] == "manager"
    assert set(data["profile"]) == EMPLOYEE_PROFILE_KEYS
    assert data["profile"]["salary"] == 50000.0
    assert data["profile"]["employee_id"] is None
    assert data["profile"]["hire_date"] is not None
    assert data["profile"]["address"]["city"] is None
    # a second staff member with employee_id "" too: no unique collision
    second = {**body, "email": "staff2@shop.com", "username": "staff.two", "role": "cashier",
              "hire_date": "2026-03-01", "employee_id": "CSH-9"}
    response = client.post(URL, json=second, headers=admin.headers)
    assert response.status_code == 201
    profile = response.get_json()["profile"]
    assert profile["hire_date"].startswith("2026-03-01T00:00:00")
    assert profile["employee_id"] == "CSH-9"
    with app.app_context():
        assert db.session.query(Employee).count() == 2 and db.session.query(Customer).count() == 0


def test_admin_registers_an_admin_without_profile(client, admin):
    body = {"email": "boss@shop.com", "username": "boss", "password": "Boss1234!", "role": "admin"}
    response = client.post(URL, json=body, headers=admin.headers)
    assert response.status_code == 201
    assert response.get_json()["profile"] is None
    assert response.get_json()["user"]["role"] == "admin"


def test_admin_with_an_unknown_role_gets_400(client, admin, signup):
    response = client.post(URL, json={**signup, "role": "superuser"}, headers=admin.headers)
    assert response.status_code == 400
    assert "role" in response.get_json()["details"]


@pytest.mark.parametrize("header", ["expired", "garbage", "alg_none"])
def test_stale_or_bad_token_is_treated_as_anonymous(client, forge, admin, signup, header):
    token = {"expired": forge.expired_access(admin.id), "garbage": "not.a.token",
             "alg_none": forge.alg_none(admin.id)}[header]
    response = client.post(URL, json=signup, headers=bearer(token))
    assert response.status_code == 201
    staff = client.post(URL, json={**signup, "email": "x@y.com", "username": "xy_z", "role": "manager"},
                        headers=bearer(token))
    assert staff.status_code == 403  # anonymous, so no staff


def test_duplicate_email_and_username_conflict(client, app, signup):
    assert client.post(URL, json=signup).status_code == 201
    same_email = client.post(URL, json={**signup, "username": "other", "email": "JANE.DOE@example.com"})
    assert same_email.status_code == 409
    assert same_email.get_json()["error"] == "Email already registered"
    same_name = client.post(URL, json={**signup, "email": "other@example.com"})
    assert same_name.status_code == 409
    assert same_name.get_json()["error"] == "Username already taken"
    assert _count(app, User) == 1


def test_duplicate_employee_id_conflicts(client, admin):
    body = {"email": "e1@shop.com", "username": "emp1", "password": "Staff123!", "role": "cashier", "employee_id": "E-1"}
    assert client.post(URL, json=body, headers=admin.headers).status_code == 201
    again = client.post(URL, json={**body, "email": "e2@shop.com", "username": "emp2"}, headers=admin.headers)
    assert again.status_code == 409


def test_registration_race_lost_at_commit_is_a_409(client, app, signup, monkeypatch):
    """The up-front uniqueness check passes, the database constraint catches the duplicate."""
    from app.repositories import user_repository
    assert client.post(URL, json=signup).status_code == 201
    monkeypatch.setattr(user_repository, "email_taken", lambda *a, **k: False)
    monkeypatch.setattr(user_repository, "username_taken", lambda *a, **k: False)
    response = client.post(URL, json=signup)
    assert response.status_code == 409
    body = response.get_json()
    assert body["code"] == "CONFLICT" and "INSERT" not in body["error"]
    assert _count(app, User) == 1


@pytest.mark.parametrize("field, value", [
    ("email", "not-an-email"), ("email", None), ("email", 5), ("email", "a" * 120 + "@x.com"),
    ("username", "ab"), ("username", "has space"), ("username", "me@x.com"), ("username", "u" * 81),
    ("username", ["list"]), ("password", "short"), ("password", "p" * 129), ("password", 12345678),
    ("first_name", "n" * 51), ("phone", "1" * 21), ("city", 7), ("salary", "lots"), ("salary", "-5"),
    ("hire_date", "yesterday"), ("employee_id", "e" * 21), ("role", 3),
])
def test_invalid_fields_are_rejected(client, app, admin, signup, field, value):
    response = client.post(URL, json={**signup, field: value}, headers=admin.headers)
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"] == "Validation failed" and field in body["details"]
    assert _count(app, User) == 1  # only the admin


@pytest.mark.parametrize("missing", ["email", "username", "password"])
def test_missing_required_fields(client, signup, missing):
    body = dict(signup)
    body.pop(missing)
    response = client.post(URL, json=body)
    assert response.status_code == 400
    assert missing in response.get_json()["details"]


@pytest.mark.parametrize("data, content_type, status", [
    ("{bad json", "application/json", 400),
    ("null", "application/json", 400),
    ("[1, 2]", "application/json", 400),
    ("email=a@b.com", "application/x-www-form-urlencoded", 415),
    ("hello", "text/plain", 415),
])
def test_body_that_is_not_a_json_object(client, app, data, content_type, status):
    response = client.post(URL, data=data, content_type=content_type)
    assert response.status_code == status
    assert "error" in response.get_json()
    assert _count(app, User) == 0


def test_empty_body_lists_the_missing_fields(client):
    response = client.post(URL)
    assert response.status_code == 400
    assert set(response.get_json()["details"]) == {"email", "username", "password"}
