"""The verified-token cache (app/utils/verified_tokens.py): it saves the decoding, never a check that time, logout,
bans or password changes can break."""
from datetime import datetime, timedelta, timezone

import flask_jwt_extended
import jwt
import pytest
from flask_jwt_extended import create_access_token

import app.utils.verified_tokens as verified_tokens
from tests.factories import bearer

ME = "/api/auth/me"


def _mint(app, user, seconds):
    with app.app_context():
        return create_access_token(identity=str(user.id), expires_delta=timedelta(seconds=seconds),
                                   additional_claims={"role": user.role, "ver": 0})


def _assert_refused(response, code, error=None):
    assert response.status_code == 401, response.get_data(as_text=True)
    body = response.get_json()
    assert body["code"] == code
    if error is not None:
        assert body["error"] == error


def _flip_signature(token):
    header, payload, signature = token.split(".")
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    return f"{header}.{payload}.{flipped}"


def _flip_last_signature_character(token):
    """The last base64url character carries padding bits: change it to one whose value differs in its high bits."""
    head, last = token[:-1], token[-1]
    return head + ("A" if last not in "ABCD" else "Q")


def _later(monkeypatch, seconds):
    """Move the clocks of the token cache and of PyJWT seconds ahead (no sleeping)."""
    real_time = verified_tokens.time.time

    class _Clock:
        @staticmethod
        def time():
            return real_time() + seconds

    class _Meta(type(datetime)):
        def __instancecheck__(cls, obj):  # encoding still recognises real datetimes
            return isinstance(obj, datetime)

    class _LaterDatetime(datetime, metaclass=_Meta):
        @classmethod
        def now(cls, tz=None):
            return datetime.now(tz) + timedelta(seconds=seconds)

    monkeypatch.setattr(verified_tokens, "time", _Clock)
    monkeypatch.setattr(jwt.api_jwt, "datetime", _LaterDatetime)


@pytest.fixture
def decoder_calls(monkeypatch):
    """Count the calls of flask-jwt-extended's own (uncached) decoder."""
    calls = []
    original = flask_jwt_extended.JWTManager._decode_jwt_from_config

    def spy(self, encoded_token, *args, **kwargs):
        calls.append(encoded_token)
        return original(self, encoded_token, *args, **kwargs)

    monkeypatch.setattr(flask_jwt_extended.JWTManager, "_decode_jwt_from_config", spy)
    return calls


@pytest.fixture
def cache_size(app):
    """cache_size(n): run with a fresh token cache of n entries (0 = off); the app's own cache comes back after."""
    saved_cache = app.extensions.pop(verified_tokens._EXTENSION, None)
    saved_size = app.config.get("JWT_VERIFIED_CACHE_SIZE")

    def set_size(size):
        app.extensions.pop(verified_tokens._EXTENSION, None)
        app.config["JWT_VERIFIED_CACHE_SIZE"] = size

    try:
        yield set_size
    finally:
        app.config["JWT_VERIFIED_CACHE_SIZE"] = saved_size
        app.extensions.pop(verified_tokens._EXTENSION, None)
        if saved_cache is not None:
            app.extensions[verified_tokens._EXTENSION] = saved_cache


# --- time ---------------------------------------------------------------------------------------------------------


def test_a_cached_token_that_expires_is_refused(app, client, customer, monkeypatch, decoder_calls):
    token = _mint(app, customer, 2)
    for _ in range(2):
        assert client.get(ME, headers=bearer(token)).status_code == 200
    assert decoder_calls == [token]  # verified once, then cached

    _later(monkeypatch, 10)
    response = client.get(ME, headers=bearer(token))
    _assert_refused(response, "TOKEN_EXPIRED", "Token has expired")
    assert response.get_json()["error"] == "Token has expired"
    assert len(decoder_calls) == 2  # the cached claims were not trusted past their exp
    _assert_refused(client.get("/api/cart", headers=bearer(token)), "TOKEN_EXPIRED", "Token has expired")


def test_a_cached_token_is_served_from_the_cache_until_just_before_its_exp(app, client, customer, monkeypatch,
                                                                           decoder_calls):
    token = _mint(app, customer, 60)
    assert client.get(ME, headers=bearer(token)).status_code == 200
    _later(monkeypatch, 50)
    assert client.get(ME, headers=bearer(token)).status_code == 200
    assert decoder_calls == [token]


def test_a_real_expiry_without_clock_tricks(app, client, customer):
    """One short real wait: the exp check of a cached token against the real clock."""
    import time

    token = _mint(app, customer, 2)  # exp is whole seconds: at most 2 s from now, more than 1 s
    assert client.get(ME, headers=bearer(token)).status_code == 200
    time.sleep(2.1)
    _assert_refused(client.get(ME, headers=bearer(token)), "TOKEN_EXPIRED", "Token has expired")


# --- live checks that the cache must not skip --------------------------------------------------------------------


def test_logout_revokes_a_cached_token_at_once(client, customer, decoder_calls):
    for _ in range(2):
        assert client.get(ME, headers=customer.headers).status_code == 200
    assert client.post("/api/auth/logout", headers=customer.headers, json={}).status_code == 200
    assert len(set(decoder_calls)) == 1 and len(decoder_calls) == 1  # every use above hit the cache
    _assert_refused(client.get(ME, headers=customer.headers), "TOKEN_REVOKED", "Token has been revoked")
    _assert_refused(client.get("/api/orders", headers=customer.headers), "TOKEN_REVOKED")


def test_a_ban_refuses_a_cached_token_at_once(client, admin, customer):
    for _ in range(2):
        assert client.get(ME, headers=customer.headers).status_code == 200
    assert client.post(f"/api/users/{customer.id}/ban", headers=admin.headers).status_code == 200
    _assert_refused(client.get(ME, headers=customer.headers), "ACCOUNT_UNAVAILABLE")
    assert client.post(f"/api/users/{customer.id}/unban", headers=admin.headers).status_code == 200
    assert client.get(ME, headers=customer.headers).status_code == 200


def test_deleting_the_user_refuses_a_cached_token_at_once(client, admin, customer):
    for _ in range(2):
        assert client.get(ME, headers=customer.headers).status_code == 200
    assert client.delete(f"/api/users/{customer.id}", headers=admin.headers).status_code == 200
    _assert_refused(client.get(ME, headers=customer.headers), "ACCOUNT_UNAVAILABLE")


def test_a_password_change_refuses_earlier_cached_tokens(client, customer):
    login = client.post("/api/auth/login", json={"email_or_username": customer.email, "password": customer.password})
    assert login.status_code == 200
    second = bearer(login.get_json()["access_token"])
    for headers in (customer.headers, second, customer.headers, second):
        assert client.get(ME, headers=headers).status_code == 200
    changed = client.post("/api/auth/change-password", headers=customer.headers,
                          json={"old_password": customer.password, "new_password": "Changed-Passw0rd!"})
    assert changed.status_code == 200, changed.get_json()
    for headers in (customer.headers, second):
        _assert_refused(client.get(ME, headers=headers), "ACCOUNT_UNAVAILABLE")
    assert client.get(ME, headers=bearer(changed.get_json()["access_token"])).status_code == 200


def test_an_admin_password_reset_refuses_earlier_cached_tokens(client, admin, customer):
    for _ in range(2):
        assert client.get(ME, headers=customer.headers).status_code == 200
    assert client.post(f"/api/users/{customer.id}/password-reset", headers=admin.headers,
                       json={"new_password": "Reset-Passw0rd!"}).status_code == 200
    _assert_refused(client.get(ME, headers=customer.headers), "ACCOUNT_UNAVAILABLE")


def test_a_role_change_applies_to_a_cached_token_at_once(client, admin, customer):
    for _ in range(2):
        assert client.get("/api/orders", headers=customer.headers).status_code == 200
        assert client.get(ME, headers=customer.headers).get_json()["user"]["role"] == "customer"
    assert client.put(f"/api/users/{customer.id}/role", headers=admin.headers,
                      json={"role": "cashier", "employee_id": "EMP-777"}).status_code == 200
    assert client.get(ME, headers=customer.headers).get_json()["user"]["role"] == "cashier"
    assert client.get("/api/orders", headers=customer.headers).status_code == 403
    assert client.get("/api/orders/today", headers=customer.headers).status_code == 200


# --- forgeries ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("tamper", [_flip_signature, _flip_last_signature_character])
def test_a_tampered_token_is_refused_after_the_genuine_one_was_cached(client, admin, tamper):
    for _ in range(2):
        assert client.get(ME, headers=admin.headers).status_code == 200
    forged = tamper(admin.access_token)
    assert forged != admin.access_token
    for _ in range(2):
        _assert_refused(client.get(ME, headers=bearer(forged)), "INVALID_TOKEN", "Invalid token")
        _assert_refused(client.get("/api/orders/admin", headers=bearer(forged)), "INVALID_TOKEN")
    assert client.get(ME, headers=admin.headers).status_code == 200


@pytest.mark.filterwarnings("ignore:The HMAC key")
def test_a_token_signed_with_another_secret_is_refused(client, admin):
    assert client.get(ME, headers=admin.headers).status_code == 200
    claims = jwt.decode(admin.access_token, options={"verify_signature": False})
    forged = jwt.encode(claims, "attacker-secret-attacker-secret-attacker!!", algorithm="HS256")
    for _ in range(2):
        _assert_refused(client.get(ME, headers=bearer(forged)), "INVALID_TOKEN", "Invalid token")


def test_a_refresh_token_is_not_accepted_as_access_token_after_caching(client, customer):
    assert client.post("/api/auth/refresh", headers=bearer(customer.refresh_token)).status_code == 200
    assert client.post("/api/auth/refresh", headers=bearer(customer.refresh_token)).status_code == 200
    _assert_refused(client.get(ME, headers=bearer(customer.refresh_token)), "INVALID_TOKEN")
    assert client.get(ME, headers=customer.headers).status_code == 200
    _assert_refused(client.post("/api/auth/refresh", headers=customer.headers), "INVALID_TOKEN")


def test_a_not_yet_valid_token_is_refused_and_not_cached(app, client, customer, decoder_calls):
    claims = jwt.decode(customer.access_token, options={"verify_signature": False})
    claims["nbf"] = int(datetime.now(timezone.utc).timestamp()) + 3600
    early = jwt.encode(claims, app.config["JWT_SECRET_KEY"], algorithm="HS256")
    for _ in range(2):
        _assert_refused(client.get(ME, headers=bearer(early)), "INVALID_TOKEN")
    assert decoder_calls == [early, early]  # a refusal is never remembered


# --- the cache is used, and can be switched off --------------------------------------------------------------------


def test_the_cache_is_hit(client, customer, decoder_calls, cache_size):
    cache_size(16)
    for _ in range(2):
        assert client.get(ME, headers=customer.headers).status_code == 200
    assert decoder_calls == [customer.access_token]


def test_a_size_of_zero_turns_the_cache_off(app, client, customer, decoder_calls, cache_size):
    cache_size(0)
    for _ in range(2):
        assert client.get(ME, headers=customer.headers).status_code == 200
    assert decoder_calls == [customer.access_token, customer.access_token]
    assert verified_tokens._EXTENSION not in app.extensions


def test_the_cache_is_a_bounded_lru(app, client, customer, other_customer, decoder_calls, cache_size):
    cache_size(1)
    for headers in (customer.headers, other_customer.headers, customer.headers):
        assert client.get(ME, headers=headers).status_code == 200
    assert decoder_calls == [customer.access_token, other_customer.access_token, customer.access_token]
    assert len(app.extensions[verified_tokens._EXTENSION].entries) == 1


def test_the_cached_claims_cannot_be_changed_through_a_request(app, client, customer):
    """The cache hands out copies: a view changing its claims dict would not change the next request's."""
    assert client.get(ME, headers=customer.headers).status_code == 200
    with app.test_request_context():
        first = app.extensions["flask-jwt-extended"]._decode_jwt_from_config(customer.access_token)
        first["role"] = "admin"
        again = app.extensions["flask-jwt-extended"]._decode_jwt_from_config(customer.access_token)
    assert again["role"] == "customer"


# --- token contents -------------------------------------------------------------------------------------------------


def test_login_access_tokens_carry_no_csrf_claim(client, customer):
    login = client.post("/api/auth/login", json={"email_or_username": customer.email, "password": customer.password})
    assert login.status_code == 200
    claims = jwt.decode(login.get_json()["access_token"], options={"verify_signature": False})
    assert "csrf" not in claims
    for name in ("nbf", "exp", "jti", "type", "sub", "role", "fresh", "iat"):
        assert name in claims, name
    assert claims["type"] == "access" and claims["sub"] == str(customer.id) and claims["role"] == "customer"
    assert claims["fresh"] is False and claims["exp"] > claims["nbf"]
    refresh = jwt.decode(login.get_json()["refresh_token"], options={"verify_signature": False})
    assert "csrf" not in refresh and refresh["type"] == "refresh" and "role" not in refresh


def test_refreshed_access_tokens_carry_no_csrf_claim(client, customer):
    response = client.post("/api/auth/refresh", headers=bearer(customer.refresh_token))
    assert response.status_code == 200
    claims = jwt.decode(response.get_json()["access_token"], options={"verify_signature": False})
    assert "csrf" not in claims and "nbf" in claims and claims["type"] == "access"
