"""POST /api/auth/login and /refresh, GET /me: shapes, failures, and the rate limit."""
import pytest
from flask_jwt_extended import decode_token

from tests.shapes import CUSTOMER_PROFILE_KEYS, EMPLOYEE_PROFILE_KEYS, USER_KEYS
from tests.factories import bearer, make_user

LOGIN = "/api/auth/login"


@pytest.mark.parametrize("identifier", ["customer1@email.com", "Customer1@Email.COM", "customer1"])
def test_login_by_email_or_username(client, app, customer, identifier):
    response = client.post(LOGIN, json={"email_or_username": identifier, "password": customer.password})
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"access_token", "refresh_token", "user"}
    assert set(body["user"]) == USER_KEYS and body["user"]["id"] == customer.id
    with app.app_context():
        access, refresh = decode_token(body["access_token"]), decode_token(body["refresh_token"])
    assert access["sub"] == str(customer.id) and access["role"] == "customer" and access["type"] == "access"
    assert refresh["type"] == "refresh" and "role" not in refresh


@pytest.mark.parametrize("identifier, password", [
    ("customer1@email.com", "wrong-password"), ("nobody@email.com", "Customer123!"), ("nobody", "Customer123!"),
])
def test_bad_credentials_get_one_401(client, customer, identifier, password):
    response = client.post(LOGIN, json={"email_or_username": identifier, "password": password})
    assert response.status_code == 401
    assert response.get_json()["error"] == "Invalid credentials or inactive account"


def test_banned_user_cannot_log_in(client, app):
    banned = make_user(app, "customer", is_active=False)
    response = client.post(LOGIN, json={"email_or_username": banned.email, "password": banned.password})
    assert response.status_code == 401
    assert response.get_json()["error"] == "Invalid credentials or inactive account"


class CountingHasher:
    """The app's PasswordHasher, counting its argon2 calls (the work a login does, whatever the clock says)."""

    def __init__(self, hasher):
        self._hasher, self.calls = hasher, []

    def hash(self, password):
        self.calls.append("hash")
        return self._hasher.hash(password)

    def verify(self, password_hash, password):
        self.calls.append("verify")
        return self._hasher.verify(password_hash, password)


@pytest.mark.parametrize("who, password, status", [
    ("nobody@email.com", "Customer123!", 401), ("nobody", "Customer123!", 401), ("customer", "wrong-password", 401),
    ("banned", None, 401), ("banned", "wrong-password", 401), ("customer", None, 200),
])
def test_every_login_costs_one_argon2_verify(client, app, monkeypatch, customer, who, password, status):
    banned = make_user(app, "customer", is_active=False)
    account = {"customer": customer, "banned": banned}.get(who)
    identifier = account.username if account else who
    counting = CountingHasher(app.extensions["password_hasher"])
    monkeypatch.setitem(app.extensions, "password_hasher", counting)
    for _ in range(2):  # every attempt, not only the first
        response = client.post(LOGIN, json={"email_or_username": identifier,
                                            "password": password or account.password})
        assert response.status_code == status
    assert counting.calls == ["verify", "verify"]


@pytest.mark.parametrize("body", [
    {}, {"email_or_username": "customer1"}, {"password": "x"}, {"email_or_username": "", "password": "x"},
    {"email_or_username": 5, "password": "x"}, {"email_or_username": "a", "password": None},
    {"email_or_username": "a" * 121, "password": "x"}, {"email_or_username": "a", "password": "p" * 129},
])
def test_login_validation(client, body):
    response = client.post(LOGIN, json=body)
    assert response.status_code == 400
    assert response.get_json()["error"] == "Validation failed"


@pytest.mark.parametrize("data, content_type, status", [
    ("{", "application/json", 400), ("null", "application/json", 400), ("x", "text/plain", 415),
])
def test_login_body_not_json_object(client, data, content_type, status):
    assert client.post(LOGIN, data=data, content_type=content_type).status_code == status


def test_refresh_returns_an_access_token_with_the_current_db_role(client, app, admin, customer):
    assert client.put(f"/api/users/{customer.id}/role", json={"role": "cashier"}, headers=admin.headers).status_code == 200
    response = client.post("/api/auth/refresh", json={}, headers=bearer(customer.refresh_token))
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"access_token"}
    with app.app_context():
        assert decode_token(body["access_token"])["role"] == "cashier"
    assert client.get("/api/auth/me", headers=bearer(body["access_token"])).status_code == 200


def test_refresh_rejects_access_tokens_missing_and_expired_tokens(client, customer, forge):
    assert client.post("/api/auth/refresh", headers=customer.headers).get_json()["error"] == "Invalid token"
    assert client.post("/api/auth/refresh").status_code == 401
    expired = client.post("/api/auth/refresh", headers=bearer(forge.expired_refresh(customer.id)))
    assert expired.status_code == 401 and expired.get_json()["error"] == "Token has expired"


def test_refresh_for_banned_or_deleted_user_is_401(client, admin, customer, other_customer):
    client.post(f"/api/users/{customer.id}/ban", headers=admin.headers)
    assert client.post("/api/auth/refresh", headers=bearer(customer.refresh_token)).status_code == 401
    client.delete(f"/api/users/{other_customer.id}", headers=admin.headers)
    assert client.post("/api/auth/refresh", headers=bearer(other_customer.refresh_token)).status_code == 401


@pytest.mark.parametrize("role, profile_keys", [
    ("customer", CUSTOMER_PROFILE_KEYS), ("manager", EMPLOYEE_PROFILE_KEYS), ("cashier", EMPLOYEE_PROFILE_KEYS),
    ("admin", None),
])
def test_me_shape_per_role(client, actors, role, profile_keys):
    response = client.get("/api/auth/me", headers=actors[role].headers)
    assert response.status_code == 200
    body = response.get_json()
    assert set(body["user"]) == USER_KEYS and body["user"]["id"] == actors[role].id
    if profile_keys is None:
        assert set(body) == {"user"}  # no profile key for admins
    else:
        assert set(body) == {"user", "profile"} and set(body["profile"]) == profile_keys


def test_me_requires_a_token(client):
    response = client.get("/api/auth/me")
    assert response.status_code == 401
    assert response.get_json()["error"] == "Missing authorization token"


def test_debug_token_route_is_gone(client, admin):
    assert client.get("/api/auth/debug-token", headers=admin.headers).status_code == 404


def test_login_is_rate_limited(client, app, customer, rate_limits):
    previous = app.config["RATELIMIT_AUTH"]
    app.config["RATELIMIT_AUTH"] = "3 per minute"
    try:
        body = {"email_or_username": customer.username, "password": customer.password}
        for _ in range(3):
            ok = client.post(LOGIN, json=body)
            assert ok.status_code == 200
            assert ok.headers["X-RateLimit-Limit"] == "3"
        limited = client.post(LOGIN, json=body)
    finally:
        app.config["RATELIMIT_AUTH"] = previous
    assert limited.status_code == 429
    data = limited.get_json()
    assert set(data) >= {"error", "code"}
    assert int(limited.headers["Retry-After"]) > 0
    assert limited.headers["X-RateLimit-Remaining"] == "0"


@pytest.mark.parametrize("path", ["/api/auth/register", "/api/auth/refresh", "/api/auth/change-password"])
def test_other_auth_routes_are_rate_limited(client, app, rate_limits, path):
    previous = app.config["RATELIMIT_AUTH"]
    app.config["RATELIMIT_AUTH"] = "2 per minute"
    try:
        statuses = [client.post(path, json={}).status_code for _ in range(3)]
    finally:
        app.config["RATELIMIT_AUTH"] = previous
    assert statuses[-1] == 429 and 429 not in statuses[:2]
