"""Token and session attacks not already covered by tests/auth/test_tokens.py: each is refused with the right
401/403 JSON on the very next request, on an access route and on the refresh route."""
import base64
import json
from datetime import timedelta

import jwt
import pytest
from flask_jwt_extended import create_access_token, create_refresh_token

from tests.factories import bearer

ME = "/api/auth/me"
REFRESH = "/api/auth/refresh"


def _b64(data):
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _claims(token):
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def _assert_refused(response, status, code):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json
    body = response.get_json()
    assert body["code"] == code and isinstance(body["error"], str)
    assert "Traceback" not in response.get_data(as_text=True)


def _flip_signature(token):
    header, payload, signature = token.split(".")
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    return f"{header}.{payload}.{flipped}"


def _resign(token, key, algorithm="HS256"):
    """The same claims signed with another key or algorithm."""
    return jwt.encode(_claims(token), key, algorithm=algorithm)


def _alg_none(token):
    return f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(_claims(token))}."


ATTACKS = {  # (token, the app's real secret) -> forged token
    "alg none": lambda t, _: _alg_none(t),
    "flipped signature": lambda t, _: _flip_signature(t),
    "signed with another secret": lambda t, _: _resign(t, "attacker-secret-attacker-secret-attacker!!"),
    "another algorithm, real secret": lambda t, secret: _resign(t, secret, "HS512"),
    "signature stripped": lambda t, _: t.rsplit(".", 1)[0] + ".",
    "payload only": lambda t, _: t.split(".")[1],
}


@pytest.mark.filterwarnings("ignore:The HMAC key")
@pytest.mark.parametrize("attack", ATTACKS)
def test_forged_access_tokens_are_401_invalid_token(app, client, admin, attack):
    """Even an admin's own claims, forged, get nothing."""
    forged = ATTACKS[attack](admin.access_token, app.config["JWT_SECRET_KEY"])
    for path in (ME, "/api/users", "/api/users/statistics"):
        _assert_refused(client.get(path, headers=bearer(forged)), 401, "INVALID_TOKEN")


@pytest.mark.filterwarnings("ignore:The HMAC key")
@pytest.mark.parametrize("attack", ATTACKS)
def test_forged_refresh_tokens_are_401_invalid_token(app, client, customer, attack):
    forged = ATTACKS[attack](customer.refresh_token, app.config["JWT_SECRET_KEY"])
    _assert_refused(client.post(REFRESH, headers=bearer(forged)), 401, "INVALID_TOKEN")


def test_expired_refresh_token_is_401_token_expired(app, client, customer):
    with app.app_context():
        token = create_refresh_token(identity=str(customer.id), expires_delta=timedelta(seconds=-1),
                                     additional_claims={"ver": 0})
    _assert_refused(client.post(REFRESH, headers=bearer(token)), 401, "TOKEN_EXPIRED")


def test_expired_access_token_is_401_token_expired_on_every_kind_of_route(app, client, admin):
    with app.app_context():
        token = create_access_token(identity=str(admin.id), expires_delta=timedelta(seconds=-1),
                                    additional_claims={"role": "admin", "ver": 0})
    for method, path in (("GET", ME), ("GET", "/api/users"), ("POST", "/api/cart/clear"), ("GET", "/api/orders/today")):
        _assert_refused(client.open(path, method=method, headers=bearer(token)), 401, "TOKEN_EXPIRED")


def test_refresh_token_used_as_access_token_is_401_on_role_routes(client, admin):
    for path in ("/api/users", "/api/orders/admin", "/api/cart"):
        _assert_refused(client.get(path, headers=bearer(admin.refresh_token)), 401, "INVALID_TOKEN")


def test_access_token_used_as_refresh_token_is_401(client, admin):
    _assert_refused(client.post(REFRESH, headers=admin.headers), 401, "INVALID_TOKEN")


def test_validly_signed_token_of_an_unknown_user_is_401(app, client):
    with app.app_context():
        token = create_access_token(identity="999999", additional_claims={"role": "admin", "ver": 0})
        garbage = create_access_token(identity="not-a-number", additional_claims={"role": "admin", "ver": 0})
    _assert_refused(client.get("/api/users", headers=bearer(token)), 401, "ACCOUNT_UNAVAILABLE")
    _assert_refused(client.get("/api/users", headers=bearer(garbage)), 401, "ACCOUNT_UNAVAILABLE")


def test_the_role_claim_is_not_trusted(app, client, customer):
    """A customer token minted (with the real secret) to claim admin is still a customer: the role is live."""
    with app.app_context():
        token = create_access_token(identity=str(customer.id), additional_claims={"role": "admin", "ver": 0})
    response = client.get("/api/users", headers=bearer(token))
    _assert_refused(response, 403, "FORBIDDEN")
    assert response.get_json()["your_role"] == "customer"


def test_deleted_users_tokens_are_401_at_once(client, admin, customer):
    assert client.delete(f"/api/users/{customer.id}", headers=admin.headers).status_code == 200
    _assert_refused(client.get("/api/cart", headers=customer.headers), 401, "ACCOUNT_UNAVAILABLE")
    _assert_refused(client.post(REFRESH, headers=bearer(customer.refresh_token)), 401, "ACCOUNT_UNAVAILABLE")


def test_banned_users_tokens_and_login_are_refused_at_once(client, admin, manager):
    assert client.post(f"/api/users/{manager.id}/ban", headers=admin.headers).status_code == 200
    _assert_refused(client.get("/api/users/customers", headers=manager.headers), 401, "ACCOUNT_UNAVAILABLE")
    _assert_refused(client.post(REFRESH, headers=bearer(manager.refresh_token)), 401, "ACCOUNT_UNAVAILABLE")
    login = client.post("/api/auth/login", json={"email_or_username": manager.email, "password": manager.password})
    assert login.status_code in (401, 403) and login.get_json()["error"]
    assert "access_token" not in login.get_json()


def test_demoted_manager_is_403_on_the_next_request_and_refresh_gives_the_new_role(client, admin, manager):
    assert client.get("/api/orders/admin", headers=manager.headers).status_code == 200
    assert client.put(f"/api/users/{manager.id}/role", json={"role": "cashier"},
                      headers=admin.headers).status_code == 200
    response = client.get("/api/orders/admin", headers=manager.headers)
    _assert_refused(response, 403, "FORBIDDEN")
    assert response.get_json()["your_role"] == "cashier"
    refreshed = client.post(REFRESH, headers=bearer(manager.refresh_token))
    assert refreshed.status_code == 200
    assert _claims(refreshed.get_json()["access_token"])["role"] == "cashier"
    assert client.get("/api/orders/today", headers=bearer(refreshed.get_json()["access_token"])).status_code == 200


def test_logout_revokes_at_once_and_a_replayed_token_stays_dead(client, customer):
    assert client.post("/api/auth/logout", json={"refresh_token": customer.refresh_token},
                       headers=customer.headers).status_code == 200
    for _ in range(2):
        _assert_refused(client.get("/api/cart", headers=customer.headers), 401, "TOKEN_REVOKED")
        _assert_refused(client.post(REFRESH, headers=bearer(customer.refresh_token)), 401, "TOKEN_REVOKED")


def test_a_not_yet_valid_token_is_refused(app, client, customer):
    claims = _claims(customer.access_token)
    claims["nbf"] = claims["iat"] + 3600
    early = jwt.encode(claims, app.config["JWT_SECRET_KEY"], algorithm="HS256")
    _assert_refused(client.get(ME, headers=bearer(early)), 401, "INVALID_TOKEN")
    assert client.get(ME, headers=customer.headers).status_code == 200


def test_login_tokens_carry_no_csrf_claim(client, customer):
    login = client.post("/api/auth/login", json={"email_or_username": customer.email, "password": customer.password})
    assert login.status_code == 200
    claims = _claims(login.get_json()["access_token"])
    assert "csrf" not in claims
    for name in ("nbf", "exp", "jti", "type", "sub", "role", "fresh", "iat"):
        assert name in claims, name
    assert claims["type"] == "access" and claims["sub"] == str(customer.id) and claims["role"] == "customer"
    assert claims["fresh"] is False and claims["exp"] > claims["nbf"]
    refresh = _claims(login.get_json()["refresh_token"])
    assert "csrf" not in refresh and refresh["type"] == "refresh" and "role" not in refresh


def test_refreshed_access_tokens_carry_no_csrf_claim(client, customer):
    response = client.post(REFRESH, headers=bearer(customer.refresh_token))
    assert response.status_code == 200
    claims = _claims(response.get_json()["access_token"])
    assert "csrf" not in claims and "nbf" in claims and claims["type"] == "access"
