"""E-mail verification: the registration mail, verify-email, resend-verification and REQUIRE_VERIFIED_EMAIL."""
from datetime import datetime, timedelta, timezone

import pytest
import time_machine

from app.extensions import db
from app.models import User
from tests.events.conftest import token_of
from tests.factories import ORDER_BODY, make_product, make_user

REGISTER = "/api/auth/register"
VERIFY = "/api/auth/verify-email"
RESEND = "/api/auth/resend-verification"
ME = "/api/auth/me"
SIGNUP = {"email": "Jane.Doe@Example.com", "username": "jane_doe", "password": "Secret123!",
          "first_name": "Jane", "last_name": "Doe"}


def _sign_up(client):
    response = client.post(REGISTER, json=SIGNUP)
    assert response.status_code == 201
    login = client.post("/api/auth/login", json={"email_or_username": "jane_doe", "password": "Secret123!"})
    return {"Authorization": f"Bearer {login.get_json()['access_token']}"}


def _verified(client, headers):
    return client.get(ME, headers=headers).get_json()["user"]["email_verified"]


def test_registration_mails_a_link_that_verifies_the_address(client, mail_server, dispatch):
    headers = _sign_up(client)
    assert client.post(REGISTER, json={**SIGNUP, "email": "x@example.com", "username": "x_user"}).get_json()[
        "user"]["email_verified"] is False
    assert _verified(client, headers) is False
    assert dispatch() == ["user.registered", "user.registered"]
    mail = next(m for m in mail_server.mails if m.envelope_to == ["jane.doe@example.com"])
    assert mail.subject == "Confirm your Go2Market e-mail address"
    token = token_of(mail)
    assert f"http://localhost:5173/verify-email?token={token}" in mail.text
    assert f'href="http://localhost:5173/verify-email?token={token}"' in mail.html
    response = client.post(VERIFY, json={"token": token})
    assert response.status_code == 200 and response.get_json() == {"message": "Email verified"}
    assert _verified(client, headers) is True
    again = client.post(VERIFY, json={"token": token})
    assert again.status_code == 400 and again.get_json()["code"] == "INVALID_TOKEN"


def test_the_user_objects_carry_email_verified(client, admin, customer):
    listed = client.get("/api/users", headers=admin.headers).get_json()["users"]
    assert {user["username"]: user["email_verified"] for user in listed} == {"admin": False, "customer1": False}
    login = client.post("/api/auth/login", json={"email_or_username": "customer1", "password": customer.password})
    assert login.get_json()["user"]["email_verified"] is False


def test_resend_mails_a_new_link_and_the_old_one_stops_working(client, mail_server, dispatch, outbox):
    headers = _sign_up(client)
    dispatch()
    first = token_of(mail_server.mails[-1])
    response = client.post(RESEND, headers=headers)
    assert response.status_code == 202 and response.get_json() == {"message": "Verification email sent"}
    [event] = outbox("auth.verification_requested")
    assert event.payload == {"user_id": client.get(ME, headers=headers).get_json()["user"]["id"]}
    assert dispatch() == ["auth.verification_requested"]
    assert len(mail_server.mails) == 2
    second = token_of(mail_server.mails[-1])
    assert client.post(VERIFY, json={"token": first}).get_json()["code"] == "INVALID_TOKEN"
    assert client.post(VERIFY, json={"token": second}).status_code == 200


def test_resend_when_already_verified_sends_nothing(client, app, customer, outbox):
    with app.app_context():
        db.session.get(User, customer.id).email_verified = True
        db.session.commit()
        db.session.remove()
    response = client.post(RESEND, headers=customer.headers)
    assert response.status_code == 202 and response.get_json() == {"message": "Email already verified"}
    assert outbox() == []


def test_resend_needs_a_token(client):
    response = client.post(RESEND)
    assert response.status_code == 401 and "error" in response.get_json()


def test_an_address_verified_before_the_worker_runs_gets_no_mail(client, app, mail_server, dispatch):
    _sign_up(client)
    with app.app_context():
        db.session.query(User).update({"email_verified": True})
        db.session.commit()
        db.session.remove()
    dispatch()
    assert mail_server.mails == []


def test_an_expired_verification_token_is_refused(client, mail_server, dispatch):
    headers = _sign_up(client)
    dispatch()
    token = token_of(mail_server.mails[-1])
    with time_machine.travel(datetime.now(timezone.utc) + timedelta(days=7, seconds=1), tick=False):
        response = client.post(VERIFY, json={"token": token})
    assert response.status_code == 400 and response.get_json()["code"] == "INVALID_TOKEN"
    assert _verified(client, headers) is False


def test_a_reset_token_does_not_verify(client, customer, mail_server, dispatch):
    client.post("/api/auth/forgot-password", json={"email": customer.email})
    dispatch()
    response = client.post(VERIFY, json={"token": token_of(mail_server.mails[-1])})
    assert response.status_code == 400 and response.get_json()["code"] == "INVALID_TOKEN"
    assert _verified(client, customer.headers) is False


@pytest.mark.parametrize("body", [{}, {"token": ""}, {"token": None}, {"token": 12345}, {"token": "x" * 257}])
def test_verify_email_bad_input(client, body):
    response = client.post(VERIFY, json=body)
    assert response.status_code == 400
    data = response.get_json()
    assert data["error"] == "Validation failed" and set(data["details"]) == {"token"}


def _cart(client, app, customer):
    product = make_product(app, price="12.50", stock=5)
    assert client.post("/api/cart/items", json={"product_id": product, "quantity": 2},
                       headers=customer.headers).status_code == 200
    return product


def test_required_verification_refuses_an_unverified_customer(client, app, customer, settings, outbox):
    settings(REQUIRE_VERIFIED_EMAIL=True)
    product = _cart(client, app, customer)
    response = client.post("/api/orders", json=ORDER_BODY, headers=customer.headers)
    assert response.status_code == 403
    body = response.get_json()
    assert body["code"] == "EMAIL_NOT_VERIFIED"
    assert body["error"] == "Verify your e-mail address before placing an order"
    assert client.get("/api/orders", headers=customer.headers).get_json()["orders"] == []
    assert client.get(f"/api/products/{product}").get_json()["stock_quantity"] == 5
    assert outbox("order.created") == []


def test_required_verification_lets_a_verified_customer_check_out(client, app, customer, settings, mail_server,
                                                                  dispatch):
    settings(REQUIRE_VERIFIED_EMAIL=True)
    _cart(client, app, customer)
    client.post(RESEND, headers=customer.headers)
    dispatch()
    assert client.post(VERIFY, json={"token": token_of(mail_server.mails[-1])}).status_code == 200
    assert client.post("/api/orders", json=ORDER_BODY, headers=customer.headers).status_code == 201


def test_without_the_setting_unverified_customers_check_out(client, app, customer):
    _cart(client, app, customer)
    assert client.post("/api/orders", json=ORDER_BODY, headers=customer.headers).status_code == 201


def test_required_verification_does_not_apply_to_staff(client, app, settings):
    settings(REQUIRE_VERIFIED_EMAIL=True)
    cashier = make_user(app, "cashier")
    _cart(client, app, cashier)
    assert client.post("/api/orders", json=ORDER_BODY, headers=cashier.headers).status_code == 201


def test_an_admin_changing_the_address_unverifies_it_and_retires_the_old_link(client, admin, mail_server, dispatch):
    headers = _sign_up(client)
    dispatch()
    old_link = token_of(next(m for m in mail_server.mails if m.envelope_to == ["jane.doe@example.com"]))
    user_id = client.get(ME, headers=headers).get_json()["user"]["id"]
    assert client.put(f"/api/users/{user_id}", json={"email": "jane@new.example.com"},
                      headers=admin.headers).status_code == 200
    assert _verified(client, headers) is False
    refused = client.post(VERIFY, json={"token": old_link})  # mailed to the old address: it proves nothing now
    assert refused.status_code == 400 and refused.get_json()["code"] == "INVALID_TOKEN"
    assert _verified(client, headers) is False
