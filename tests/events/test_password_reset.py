"""Forgot and reset password through a real SMTP server: timing-safe request, single-use hashed tokens."""
import hashlib
import logging
from datetime import datetime, timedelta, timezone

import pytest
import time_machine
from sqlalchemy import select

from app.extensions import db
from app.models import AccountToken, OutboxEvent
from tests.events.conftest import free_port, token_of
from tests.factories import bearer, make_user

FORGOT = "/api/auth/forgot-password"
RESET = "/api/auth/reset-password"
ME = "/api/auth/me"
LOGIN = "/api/auth/login"
SENT = {"message": "If an account exists for this address, a reset link has been sent."}


def _forgot(client, address):
    response = client.post(FORGOT, json={"email": address})
    assert response.status_code == 202
    assert response.get_json() == SENT
    return response


def _reset_link(client, dispatch, mail_server, address):
    _forgot(client, address)
    dispatch()
    return token_of(mail_server.mails[-1])


def _tokens(app):
    with app.app_context():
        tokens = db.session.scalars(select(AccountToken).order_by(AccountToken.id)).all()
        db.session.remove()
    return tokens


def test_forgot_password_mails_a_reset_link(client, app, customer, mail_server, dispatch, outbox):
    _forgot(client, "  Customer1@Email.COM ")
    [event] = outbox()
    assert (event.type, event.payload, event.state) == ("auth.password_reset_requested",
                                                         {"email": "customer1@email.com"}, "pending")
    assert mail_server.mails == []  # the request sends nothing itself: the worker does
    assert dispatch() == ["auth.password_reset_requested"]
    [mail] = mail_server.mails
    assert mail.envelope_to == ["customer1@email.com"]
    assert mail.subject == "Reset your Go2Market password"
    assert mail.sender == "Go2Market <no-reply@go2market.local>"
    token = token_of(mail)
    assert f"http://localhost:5173/reset-password?token={token}" in mail.text
    assert f'href="http://localhost:5173/reset-password?token={token}"' in mail.html
    assert "valid for 60 minutes" in mail.text
    assert len(token) == 43  # 32 random bytes, URL-safe base64
    [stored] = _tokens(app)
    assert stored.user_id == customer.id and stored.purpose == "password_reset" and stored.used_at is None
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest() != token
    assert timedelta(minutes=59) < stored.expires_at - stored.created_at <= timedelta(minutes=60, seconds=1)
    assert outbox()[0].state == "dispatched"


def test_the_token_resets_the_password_once_and_revokes_old_tokens(client, app, customer, mail_server, dispatch):
    token = _reset_link(client, dispatch, mail_server, customer.email)
    response = client.post(RESET, json={"token": token, "new_password": "BrandNew123!"})
    assert response.status_code == 200
    assert response.get_json() == {"message": "Password has been reset"}
    assert client.get(ME, headers=customer.headers).status_code == 401
    assert client.post("/api/auth/refresh", headers=bearer(customer.refresh_token)).status_code == 401
    old = client.post(LOGIN, json={"email_or_username": customer.email, "password": customer.password})
    assert old.status_code == 401
    new = client.post(LOGIN, json={"email_or_username": customer.email, "password": "BrandNew123!"})
    assert new.status_code == 200
    assert client.get(ME, headers=bearer(new.get_json()["access_token"])).status_code == 200

    again = client.post(RESET, json={"token": token, "new_password": "Another123!"})
    assert again.status_code == 400
    assert again.get_json()["code"] == "INVALID_TOKEN"
    still = client.post(LOGIN, json={"email_or_username": customer.email, "password": "BrandNew123!"})
    assert still.status_code == 200


def test_a_reset_mails_the_password_changed_notice(client, customer, mail_server, dispatch, outbox):
    token = _reset_link(client, dispatch, mail_server, customer.email)
    client.post(RESET, json={"token": token, "new_password": "BrandNew123!"})
    [event] = outbox("auth.password_changed")
    assert event.payload == {"user_id": customer.id}
    assert dispatch() == ["auth.password_changed"]
    notice = mail_server.mails[-1]
    assert len(mail_server.mails) == 2
    assert notice.envelope_to == ["customer1@email.com"]
    assert notice.subject == "Your Go2Market password was changed"
    assert "was just changed" in notice.text and "was just changed" in notice.html


def test_change_password_mails_the_notice_too(client, customer, mail_server, dispatch):
    response = client.post("/api/auth/change-password", headers=customer.headers,
                           json={"old_password": customer.password, "new_password": "BrandNew123!"})
    assert response.status_code == 200
    assert dispatch() == ["auth.password_changed"]
    [notice] = mail_server.mails
    assert notice.envelope_to == ["customer1@email.com"]
    assert notice.subject == "Your Go2Market password was changed"


def test_a_new_request_invalidates_the_older_token(client, customer, mail_server, dispatch):
    first = _reset_link(client, dispatch, mail_server, customer.email)
    second = _reset_link(client, dispatch, mail_server, customer.email)
    assert len(mail_server.mails) == 2 and first != second
    stale = client.post(RESET, json={"token": first, "new_password": "BrandNew123!"})
    assert stale.status_code == 400 and stale.get_json()["code"] == "INVALID_TOKEN"
    assert client.post(RESET, json={"token": second, "new_password": "BrandNew123!"}).status_code == 200


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, app, customer, mail_server, dispatch,
                                                             outbox):
    known = client.post(FORGOT, json={"email": customer.email})
    unknown = client.post(FORGOT, json={"email": "nobody@example.com"})
    assert (unknown.status_code, unknown.get_data()) == (known.status_code, known.get_data())
    assert [event.payload for event in outbox()] == [{"email": "customer1@email.com"},
                                                            {"email": "nobody@example.com"}]
    dispatch()
    assert [mail.envelope_to for mail in mail_server.mails] == [["customer1@email.com"]]
    assert [event.state for event in outbox()] == ["dispatched", "dispatched"]
    assert len(_tokens(app)) == 1


def test_a_banned_account_gets_no_mail(client, app, mail_server, dispatch):
    banned = make_user(app, "customer", is_active=False)
    _forgot(client, banned.email)
    dispatch()
    assert mail_server.mails == [] and _tokens(app) == []


def test_an_expired_token_is_refused(client, customer, mail_server, dispatch):
    token = _reset_link(client, dispatch, mail_server, customer.email)
    later = datetime.now(timezone.utc) + timedelta(seconds=3601)
    with time_machine.travel(later, tick=False):
        expired = client.post(RESET, json={"token": token, "new_password": "BrandNew123!"})
    assert expired.status_code == 400 and expired.get_json()["code"] == "INVALID_TOKEN"
    # Refused for its age alone: within its hour the same token still works.
    assert client.post(RESET, json={"token": token, "new_password": "BrandNew123!"}).status_code == 200


@pytest.mark.parametrize("token", ["", "x" * 43, "x" * 257])
def test_a_wrong_token_is_refused_and_changes_nothing(client, customer, token):
    response = client.post(RESET, json={"token": token, "new_password": "BrandNew123!"})
    assert response.status_code == 400
    assert client.get(ME, headers=customer.headers).status_code == 200


def test_an_unknown_token_is_invalid_token(client):
    response = client.post(RESET, json={"token": "A" * 43, "new_password": "BrandNew123!"})
    assert response.status_code == 400
    assert response.get_json() == {"error": "Invalid or expired token", "code": "INVALID_TOKEN",
                                   "request_id": response.get_json()["request_id"]}


def test_a_verification_token_is_no_reset_token(client, app, mail_server, dispatch):
    client.post("/api/auth/register", json={"email": "new@example.com", "username": "newbie", "password": "Secret123!"})
    dispatch()
    token = token_of(mail_server.mails[-1])
    response = client.post(RESET, json={"token": token, "new_password": "BrandNew123!"})
    assert response.status_code == 400 and response.get_json()["code"] == "INVALID_TOKEN"


def test_a_mail_server_that_is_down_keeps_the_event_pending(client, app, customer, mail_server, settings,
                                                          dispatch, outbox):
    settings(MAIL_PORT=free_port())  # nothing listens there
    _forgot(client, customer.email)
    dispatch()
    [event] = outbox()
    assert event.state == "pending" and event.attempts == 1
    assert event.last_error.startswith("ConnectionRefusedError")
    assert _tokens(app) == []  # the token rolled back with the failed dispatch
    # The retry, once due, delivers it.
    settings(MAIL_PORT=mail_server.port)
    with time_machine.travel(datetime.now(timezone.utc) + timedelta(seconds=31), tick=False):
        dispatch()
    [event] = outbox()
    assert event.state == "dispatched" and event.attempts == 1
    [mail] = mail_server.mails
    assert mail.envelope_to == ["customer1@email.com"]


def test_without_a_mail_server_the_mail_is_logged(client, customer, settings, dispatch, caplog):
    settings(MAIL_SERVER=None)
    _forgot(client, customer.email)
    with caplog.at_level(logging.INFO, logger="app.mail"):
        dispatch()
    [record] = [r for r in caplog.records if r.name == "app.mail"]
    assert record.levelno == logging.INFO
    logged = record.getMessage()
    assert "customer1@email.com" in logged and "Subject: Reset your Go2Market password" in logged
    assert "http://localhost:5173/reset-password?token=" in logged


@pytest.mark.parametrize("body, field", [
    ({}, "email"),
    ({"email": ""}, "email"),
    ({"email": "   "}, "email"),
    ({"email": "not-an-email"}, "email"),
    ({"email": "a" * 120 + "@example.com"}, "email"),
    ({"email": 42}, "email"),
    ({"email": ["a@b.com"]}, "email"),
    ({"email": None}, "email"),
])
def test_forgot_password_bad_input(client, outbox, body, field):
    response = client.post(FORGOT, json=body)
    assert response.status_code == 400
    data = response.get_json()
    assert data["error"] == "Validation failed" and field in data["details"]
    assert outbox() == []


@pytest.mark.parametrize("body, fields", [
    ({}, {"token", "new_password"}),
    ({"token": "abc"}, {"new_password"}),
    ({"new_password": "BrandNew123!"}, {"token"}),
    ({"token": "", "new_password": "BrandNew123!"}, {"token"}),
    ({"token": "x" * 257, "new_password": "BrandNew123!"}, {"token"}),
    ({"token": 123, "new_password": "BrandNew123!"}, {"token"}),
    ({"token": "abc", "new_password": "short"}, {"new_password"}),
    ({"token": "abc", "new_password": "x" * 129}, {"new_password"}),
    ({"token": "abc", "new_password": None}, {"new_password"}),
])
def test_reset_password_bad_input(client, body, fields):
    response = client.post(RESET, json=body)
    assert response.status_code == 400
    data = response.get_json()
    assert data["error"] == "Validation failed" and set(data["details"]) == fields


def test_a_reset_with_a_too_short_password_keeps_the_token(client, customer, mail_server, dispatch):
    token = _reset_link(client, dispatch, mail_server, customer.email)
    assert client.post(RESET, json={"token": token, "new_password": "short"}).status_code == 400
    assert client.post(RESET, json={"token": token, "new_password": "BrandNew123!"}).status_code == 200


@pytest.mark.parametrize("path", [FORGOT, RESET, "/api/auth/verify-email"])
@pytest.mark.parametrize("data, content_type, status", [
    ("{bad json", "application/json", 400),
    ("null", "application/json", 400),
    ("[1, 2]", "application/json", 400),
    ("", "application/json", 400),
    ("email=a@b.com", "application/x-www-form-urlencoded", 415),
    ("a\x00b", "text/plain", 415),
])
def test_bodies_that_are_not_a_json_object(client, path, data, content_type, status):
    response = client.post(path, data=data, content_type=content_type)
    assert response.status_code == status
    assert isinstance(response.get_json()["error"], str)


def test_a_nul_character_is_a_400(client):
    response = client.post(FORGOT, json={"email": "a\x00@example.com"})
    assert response.status_code == 400


@pytest.mark.parametrize("path, body", [
    (FORGOT, {"email": "customer1@email.com"}),
    (RESET, {"token": "A" * 43, "new_password": "BrandNew123!"}),
    ("/api/auth/verify-email", {"token": "A" * 43}),
    ("/api/auth/resend-verification", None),
])
def test_the_new_routes_are_rate_limited_like_login(client, app, customer, rate_limits, settings, path, body):
    settings(RATELIMIT_AUTH="2 per minute")
    statuses = [client.post(path, json=body, headers=customer.headers).status_code for _ in range(3)]
    assert statuses[-1] == 429 and 429 not in statuses[:2]


def test_no_raw_token_is_stored(client, app, customer, mail_server, dispatch):
    token = _reset_link(client, dispatch, mail_server, customer.email)
    with app.app_context():
        stored = [*db.session.scalars(select(AccountToken.token_hash)),
                  *db.session.scalars(select(OutboxEvent.payload))]
        db.session.remove()
    assert len(stored) == 2 and all(token not in str(value) for value in stored)
