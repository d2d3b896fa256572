"""GET and PUT /api/users/profile."""
import pytest

from tests.shapes import CUSTOMER_PROFILE_KEYS, EMPLOYEE_PROFILE_KEYS, USER_KEYS

URL = "/api/users/profile"
CHANGES = {"first_name": "New", "last_name": "Name", "phone": "555-0000", "address_line1": "1 Road",
           "address_line2": "", "city": "Paris", "state": "IDF", "postal_code": "75001", "country": "France"}


@pytest.mark.parametrize("role, keys", [
    ("customer", CUSTOMER_PROFILE_KEYS), ("manager", EMPLOYEE_PROFILE_KEYS), ("cashier", EMPLOYEE_PROFILE_KEYS),
])
def test_get_profile(client, actors, role, keys):
    response = client.get(URL, headers=actors[role].headers)
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"user", "profile"}
    assert set(body["user"]) == USER_KEYS and set(body["profile"]) == keys
    assert set(body["profile"]["address"]) == {"line1", "line2", "city", "state", "postal_code", "country"}


def test_admin_profile_has_no_profile_key(client, admin):
    body = client.get(URL, headers=admin.headers).get_json()
    assert set(body) == {"user"} and body["user"]["role"] == "admin"


def test_profile_requires_a_token(client):
    assert client.get(URL).status_code == 401
    assert client.put(URL, json=CHANGES).status_code == 401


@pytest.mark.parametrize("role", ["customer", "manager", "cashier"])
def test_customers_and_employees_edit_names_phone_and_address(client, actors, role):
    response = client.put(URL, json={**CHANGES, "role": "admin", "email": "hacker@x.com"},
                          headers=actors[role].headers)
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"message", "user", "profile"}
    assert body["message"] == "Profile updated successfully"
    profile = body["profile"]
    assert profile["full_name"] == "New Name" and profile["phone"] == "555-0000"
    assert profile["address"] == {"line1": "1 Road", "line2": None, "city": "Paris", "state": "IDF",
                                  "postal_code": "75001", "country": "France"}
    assert body["user"]["role"] == role and body["user"]["email"] == actors[role].email  # server-owned
    again = client.get(URL, headers=actors[role].headers).get_json()
    assert again["profile"]["full_name"] == "New Name"


def test_partial_update_keeps_other_fields(client, customer):
    client.put(URL, json=CHANGES, headers=customer.headers)
    body = client.put(URL, json={"city": "Lyon"}, headers=customer.headers).get_json()
    assert body["profile"]["address"]["city"] == "Lyon" and body["profile"]["first_name"] == "New"


def test_admin_update_is_200_with_null_profile(client, admin):
    response = client.put(URL, json=CHANGES, headers=admin.headers)
    assert response.status_code == 200
    assert response.get_json()["profile"] is None


@pytest.mark.parametrize("body", [
    {"first_name": "x" * 51}, {"last_name": 5}, {"phone": "1" * 21}, {"address_line1": "a" * 256},
    {"city": "c" * 101}, {"postal_code": "p" * 21}, {"country": ["US"]},
])
def test_profile_validation(client, customer, body):
    response = client.put(URL, json=body, headers=customer.headers)
    assert response.status_code == 400
    assert set(response.get_json()["details"]) == set(body)
    assert client.get(URL, headers=customer.headers).get_json()["profile"]["first_name"] != "x"


def test_empty_update_is_400(client, customer):
    response = client.put(URL, json={"unknown": 1}, headers=customer.headers)
    assert response.status_code == 400
    assert response.get_json()["error"] == "No valid fields to update"


@pytest.mark.parametrize("data, content_type, status", [
    ("{", "application/json", 400), ("null", "application/json", 400), ("[]", "application/json", 400),
    ("first_name=x", "application/x-www-form-urlencoded", 415),
])
def test_profile_body_must_be_a_json_object(client, customer, data, content_type, status):
    assert client.put(URL, data=data, content_type=content_type, headers=customer.headers).status_code == status
