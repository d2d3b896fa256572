"""Shipping method bodies: every bad field is a 400 naming it, a taken code is a 409, and neither changes a row."""
from decimal import Decimal

import pytest

from tests.factories import make_shipping_method
from tests.shipping.conftest import BODY, audit_entries, method_count, stored_methods

COUNTRY_ERROR = "Unknown country: send an ISO 3166-1 alpha-2 or alpha-3 code or the country's English name."


@pytest.mark.parametrize("body, field, message", [
    ({"code": "standard", "price": "5.99"}, "name", "Missing data for required field."),
    ({"name": "Standard", "price": "5.99"}, "code", "Missing data for required field."),
    ({"name": "Standard", "code": "standard"}, "price", "Missing data for required field."),
    ({**BODY, "name": ""}, "name", ["Length must be between 1 and 100.", "Must not be blank."]),
    ({**BODY, "name": "   "}, "name", "Must not be blank."),
    ({**BODY, "name": "n" * 101}, "name", "Length must be between 1 and 100."),
    ({**BODY, "name": None}, "name", "Field may not be null."),
    ({**BODY, "name": 5}, "name", "Not a valid string."),
    ({**BODY, "code": ""}, "code", "1 to 50 letters, digits, '_' or '-'."),
    ({**BODY, "code": "c" * 51}, "code", "1 to 50 letters, digits, '_' or '-'."),
    ({**BODY, "code": "two words"}, "code", "1 to 50 letters, digits, '_' or '-'."),
    ({**BODY, "code": "dot.ted"}, "code", "1 to 50 letters, digits, '_' or '-'."),
    ({**BODY, "code": "trailing\n"}, "code", "1 to 50 letters, digits, '_' or '-'."),
    ({**BODY, "code": "café"}, "code", "1 to 50 letters, digits, '_' or '-'."),
    ({**BODY, "code": None}, "code", "Field may not be null."),
    ({**BODY, "price": "-0.01"}, "price", "Must be at least 0 and at most 99999999.99."),
    ({**BODY, "price": "100000000.00"}, "price", "Must be at least 0 and at most 99999999.99."),
    ({**BODY, "price": "1.001"}, "price", "At most 2 decimal places are allowed."),
    ({**BODY, "price": "abc"}, "price", "Not a valid number."),
    ({**BODY, "price": "NaN"}, "price", "Special numeric values (nan or infinity) are not permitted."),
    ({**BODY, "price": True}, "price", "Not a valid number."),
    ({**BODY, "price": None}, "price", "Field may not be null."),
    ({**BODY, "free_over": "-1"}, "free_over", "Must be at least 0 and at most 99999999.99."),
    ({**BODY, "free_over": "0.005"}, "free_over", "At most 2 decimal places are allowed."),
    ({**BODY, "countries": "US"}, "countries", "Not a valid list."),
    ({**BODY, "countries": None}, "countries", "Field may not be null."),
    ({**BODY, "is_active": "maybe"}, "is_active", "Not a valid boolean."),
    ({**BODY, "is_active": "true"}, "is_active", "Not a valid boolean."),
    ({**BODY, "is_active": 1}, "is_active", "Not a valid boolean."),
    ({**BODY, "sort_order": 2**31}, "sort_order", "Must be greater than or equal to -2147483648 and less than or equal "
                                                  "to 2147483647."),
    ({**BODY, "sort_order": -2**31 - 1}, "sort_order", "Must be greater than or equal to -2147483648 and less than "
                                                       "or equal to 2147483647."),
    ({**BODY, "sort_order": 1.5}, "sort_order", "Not a valid integer."),
    ({**BODY, "id": 7}, "id", "Unknown field."),
    ({**BODY, "created_at": "2026-01-01T00:00:00"}, "created_at", "Unknown field."),
])
def test_a_bad_create_is_400_naming_the_field_and_stores_nothing(client, app, admin, body, field, message):
    response = client.post("/api/shipping-methods", headers=admin.headers, json=body)
    assert response.status_code == 400
    error = response.get_json()
    assert (error["error"], error["code"]) == ("Validation failed", "VALIDATION_FAILED")
    assert error["details"][field] == (message if isinstance(message, list) else [message])
    assert method_count(app) == 0
    assert audit_entries(app) == []


@pytest.mark.parametrize("countries, details", [
    (["US", "Atlantis"], {"1": [COUNTRY_ERROR]}),
    (["ZZ"], {"0": [COUNTRY_ERROR]}),
    ([""], {"0": [COUNTRY_ERROR]}),
    (["U" * 5000], {"0": [COUNTRY_ERROR]}),
    ([None, "DE"], {"0": ["Field may not be null."]}),
    ([42], {"0": ["Not a valid string."]}),
])
def test_an_unknown_country_is_400_naming_its_position(client, app, admin, countries, details):
    response = client.post("/api/shipping-methods", headers=admin.headers, json={**BODY, "countries": countries})
    assert response.status_code == 400
    assert response.get_json()["details"] == {"countries": details}
    assert method_count(app) == 0


@pytest.mark.parametrize("body, field", [
    ({"price": "-1"}, "price"), ({"name": " "}, "name"), ({"code": "no spaces"}, "code"),
    ({"countries": ["Narnia"]}, "countries"), ({"free_over": "1.234"}, "free_over"), ({"is_active": None}, "is_active"),
    ({"sort_order": "high"}, "sort_order"), ({"price": "1.00", "updated_at": "2026-01-01"}, "updated_at"),
])
def test_a_bad_update_is_400_and_changes_nothing(client, app, admin, body, field):
    method_id = make_shipping_method(app, code="express", price="14.99", countries=["US"])
    before = stored_methods(app)
    response = client.put(f"/api/shipping-methods/{method_id}", headers=admin.headers, json=body)
    assert response.status_code == 400
    assert list(response.get_json()["details"]) == [field]
    assert stored_methods(app) == before
    assert audit_entries(app) == []


@pytest.mark.parametrize("body", ["null", "[]", "{bad json", ""])
def test_malformed_bodies_are_400(client, app, admin, body):
    response = client.post("/api/shipping-methods", headers={**admin.headers, "Content-Type": "application/json"},
                           data=body)
    assert response.status_code == 400
    assert response.get_json()["error"]
    assert method_count(app) == 0


def test_a_body_that_is_not_json_is_415(client, app, admin):
    response = client.post("/api/shipping-methods", headers=admin.headers, data="name=x", content_type="text/plain")
    assert response.status_code == 415
    assert method_count(app) == 0


@pytest.mark.parametrize("taken, again", [("standard", "standard"), ("standard", "STANDARD"),
                                          ("STANDARD", "Standard")])
def test_a_taken_code_is_409_whatever_its_case(app, create, taken, again):
    assert create(code=taken).status_code == 201
    response = create(code=again, name="Another", price="1.00")
    assert response.status_code == 409
    assert (response.get_json()["code"], response.get_json()["error"]) == (
        "SHIPPING_CODE_TAKEN", "Shipping method code already in use")
    assert stored_methods(app) == [("standard", "Standard shipping", Decimal("5.99"), None, [], True, 0)]
    assert [entry[1] for entry in audit_entries(app)] == ["shipping_method.create"]


def test_renaming_to_a_taken_code_is_409_and_changes_nothing(client, app, admin):
    make_shipping_method(app, code="standard")
    method_id = make_shipping_method(app, code="express", price="14.99")
    before = stored_methods(app)
    response = client.put(f"/api/shipping-methods/{method_id}", headers=admin.headers,
                          json={"code": "Standard", "price": "1.00"})
    assert response.status_code == 409
    assert response.get_json()["code"] == "SHIPPING_CODE_TAKEN"
    assert stored_methods(app) == before
