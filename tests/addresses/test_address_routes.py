"""The address book: CRUD and shapes, defaults, validation, ownership, the 50-address cap, the Python API."""
from datetime import datetime

import pytest

from app.errors import NotFound
from app.extensions import db
from app.services import address_service
from tests.addresses.conftest import BODY, URL
from tests.factories import make_address, make_user

SAVED = {"label": "Home", "first_name": "Jane", "last_name": "Doe", "phone": "555-0100", "line1": "123 Main St",
         "line2": "Apt 4B", "city": "New York", "state": "NY", "postal_code": "10001", "country": "US"}
COUNTRY_ERROR = "Unknown country: send an ISO 3166-1 alpha-2 or alpha-3 code or the country's English name."


def create(client, actor, **changes):
    return client.post(URL, headers=actor.headers, json={**BODY, **changes})


def without_times(address):
    return {key: value for key, value in address.items() if key not in ("id", "created_at", "updated_at")}


def test_the_first_address_is_created_as_both_defaults(client, customer):
    response = create(client, customer)
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == {"message", "address"}
    assert body["message"] == "Address created successfully"
    address = body["address"]
    assert set(address) == {"id", "user_id", *SAVED, "is_default_shipping", "is_default_billing", "created_at",
                            "updated_at"}
    assert without_times(address) == {**SAVED, "user_id": customer.id, "is_default_shipping": True,
                                      "is_default_billing": True}
    assert isinstance(address["id"], int)
    assert datetime.fromisoformat(address["created_at"]).utcoffset().total_seconds() == 0
    assert datetime.fromisoformat(address["updated_at"]).utcoffset().total_seconds() == 0

    one = client.get(f"{URL}/{address['id']}", headers=customer.headers)
    assert one.status_code == 200
    assert one.get_json() == {"address": address}
    listed = client.get(URL, headers=customer.headers)
    assert listed.status_code == 200
    assert listed.get_json() == {"addresses": [address]}


def test_the_first_address_is_a_default_even_when_the_body_says_otherwise(client, customer):
    address = create(client, customer, is_default_shipping=False, is_default_billing=False).get_json()["address"]
    assert (address["is_default_shipping"], address["is_default_billing"]) == (True, True)


def test_later_addresses_are_no_defaults_unless_asked(client, customer, stored):
    first = create(client, customer).get_json()["address"]
    second = create(client, customer, city="Boston").get_json()["address"]
    assert (second["is_default_shipping"], second["is_default_billing"]) == (False, False)
    assert stored(customer.id) == [{"id": first["id"], "city": "New York", "shipping": True, "billing": True},
                                   {"id": second["id"], "city": "Boston", "shipping": False, "billing": False}]


def test_optional_fields_may_be_left_out_or_blank(client, customer):
    body = {key: BODY[key] for key in ("first_name", "last_name", "line1", "city", "state", "postal_code", "country")}
    response = client.post(URL, headers=customer.headers, json=body)
    assert response.status_code == 201
    assert without_times(response.get_json()["address"]) == {
        **SAVED, "label": None, "phone": None, "line2": None, "user_id": customer.id,
        "is_default_shipping": True, "is_default_billing": True}
    blank = create(client, customer, label="", phone="", line2="").get_json()["address"]
    assert (blank["label"], blank["phone"], blank["line2"]) == (None, None, None)


def test_a_new_default_takes_the_role_from_the_old_one(client, customer, stored):
    first = create(client, customer).get_json()["address"]
    response = create(client, customer, city="Boston", is_default_shipping=True)
    assert response.status_code == 201
    second = response.get_json()["address"]
    assert (second["is_default_shipping"], second["is_default_billing"]) == (True, False)
    third = create(client, customer, city="Chicago", is_default_billing=True).get_json()["address"]
    assert stored(customer.id) == [{"id": first["id"], "city": "New York", "shipping": False, "billing": False},
                                   {"id": second["id"], "city": "Boston", "shipping": True, "billing": False},
                                   {"id": third["id"], "city": "Chicago", "shipping": False, "billing": True}]


def test_the_list_shows_the_defaults_first_then_by_id(client, customer):
    first = create(client, customer, city="A").get_json()["address"]["id"]
    second = create(client, customer, city="B").get_json()["address"]["id"]
    third = create(client, customer, city="C").get_json()["address"]["id"]
    fourth = create(client, customer, city="D").get_json()["address"]["id"]
    client.put(f"{URL}/{fourth}", headers=customer.headers, json={"is_default_shipping": True})
    client.put(f"{URL}/{third}", headers=customer.headers, json={"is_default_billing": True})
    listed = client.get(URL, headers=customer.headers).get_json()["addresses"]
    assert [(a["id"], a["city"], a["is_default_shipping"], a["is_default_billing"]) for a in listed] == [
        (fourth, "D", True, False), (third, "C", False, True), (first, "A", False, False), (second, "B", False, False)]


def test_the_list_holds_only_the_callers_addresses(client, customer, other_customer):
    mine = create(client, customer).get_json()["address"]
    create(client, other_customer, city="Elsewhere")
    assert client.get(URL, headers=customer.headers).get_json() == {"addresses": [mine]}


def test_an_empty_book_lists_nothing(client, customer):
    response = client.get(URL, headers=customer.headers)
    assert response.status_code == 200
    assert response.get_json() == {"addresses": []}


def test_update_changes_only_the_given_fields(client, customer):
    address = create(client, customer).get_json()["address"]
    response = client.put(f"{URL}/{address['id']}", headers=customer.headers,
                          json={"city": "Brooklyn", "postal_code": "11201", "line2": None, "country": "united states"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["message"] == "Address updated successfully"
    assert without_times(body["address"]) == {**SAVED, "city": "Brooklyn", "postal_code": "11201", "line2": None,
                                              "user_id": customer.id, "is_default_shipping": True,
                                              "is_default_billing": True}
    assert body["address"]["id"] == address["id"] and body["address"]["created_at"] == address["created_at"]
    assert client.get(f"{URL}/{address['id']}", headers=customer.headers).get_json() == {"address": body["address"]}


def test_an_empty_update_changes_nothing(client, customer):
    address = create(client, customer).get_json()["address"]
    response = client.put(f"{URL}/{address['id']}", headers=customer.headers, json={})
    assert response.status_code == 200
    assert without_times(response.get_json()["address"]) == without_times(address)


def test_update_to_a_default_clears_the_previous_one_of_that_kind_only(client, customer, stored):
    first = create(client, customer).get_json()["address"]["id"]
    second = create(client, customer, city="Boston").get_json()["address"]["id"]
    response = client.put(f"{URL}/{second}", headers=customer.headers, json={"is_default_shipping": True})
    assert response.status_code == 200
    assert response.get_json()["address"]["is_default_shipping"] is True
    assert stored(customer.id) == [{"id": first, "city": "New York", "shipping": False, "billing": True},
                                   {"id": second, "city": "Boston", "shipping": True, "billing": False}]


def test_setting_the_current_default_again_keeps_it(client, customer, stored):
    first = create(client, customer).get_json()["address"]["id"]
    response = client.put(f"{URL}/{first}", headers=customer.headers,
                          json={"is_default_shipping": True, "is_default_billing": True})
    assert response.status_code == 200
    assert stored(customer.id) == [{"id": first, "city": "New York", "shipping": True, "billing": True}]


def test_a_default_may_be_unset_leaving_none(app, client, customer, stored):
    first = create(client, customer).get_json()["address"]["id"]
    create(client, customer, city="Boston")
    client.put(f"{URL}/{first}", headers=customer.headers, json={"is_default_shipping": False})
    assert [(row["shipping"], row["billing"]) for row in stored(customer.id)] == [(False, True), (False, False)]
    with app.app_context():
        assert address_service.default_shipping(customer.id) is None


def test_deleting_the_default_promotes_no_other(client, customer, stored):
    first = create(client, customer).get_json()["address"]["id"]
    second = create(client, customer, city="Boston").get_json()["address"]["id"]
    response = client.delete(f"{URL}/{first}", headers=customer.headers)
    assert response.status_code == 200
    assert response.get_json() == {"message": "Address deleted successfully"}
    assert stored(customer.id) == [{"id": second, "city": "Boston", "shipping": False, "billing": False}]
    assert client.get(f"{URL}/{first}", headers=customer.headers).status_code == 404
    assert client.delete(f"{URL}/{first}", headers=customer.headers).status_code == 404


def test_after_the_last_address_is_deleted_the_next_one_is_the_default_again(client, customer):
    first = create(client, customer).get_json()["address"]["id"]
    client.delete(f"{URL}/{first}", headers=customer.headers)
    again = create(client, customer, city="Boston").get_json()["address"]
    assert (again["is_default_shipping"], again["is_default_billing"]) == (True, True)


@pytest.mark.parametrize("given, code", [
    ("USA", "US"), ("us", "US"), ("US", "US"), ("United States", "US"), ("germany", "DE"), ("DEU", "DE"),
    ("de", "DE"), (" France ", "FR"), ("UK", "GB"), ("Japan", "JP"),
])
def test_the_country_is_stored_as_its_alpha_2_code(client, customer, given, code):
    response = create(client, customer, country=given)
    assert response.status_code == 201
    assert response.get_json()["address"]["country"] == code
    address_id = response.get_json()["address"]["id"]
    updated = client.put(f"{URL}/{address_id}", headers=customer.headers, json={"country": given.lower()})
    assert updated.get_json()["address"]["country"] == code


@pytest.mark.parametrize("country", ["Atlantis", "XX", "ZZZ", "", "   ", "U" * 101])
def test_an_unknown_country_is_a_400_on_the_field(client, customer, stored, country):
    response = create(client, customer, country=country)
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"] == "Validation failed"
    assert body["details"] == {"country": [COUNTRY_ERROR]}
    assert stored(customer.id) == []


@pytest.mark.parametrize("changes, field, message", [
    ({"first_name": None}, "first_name", "Field may not be null."),
    ({"first_name": "   "}, "first_name", "Must not be blank."),
    ({"first_name": ""}, "first_name", "Must not be blank."),
    ({"first_name": "J" * 51}, "first_name", "Longer than maximum length 50."),
    ({"last_name": "D" * 51}, "last_name", "Longer than maximum length 50."),
    ({"label": "L" * 51}, "label", "Longer than maximum length 50."),
    ({"phone": "5" * 21}, "phone", "Longer than maximum length 20."),
    ({"line1": "1" * 256}, "line1", "Longer than maximum length 255."),
    ({"line2": "2" * 256}, "line2", "Longer than maximum length 255."),
    ({"city": " "}, "city", "Must not be blank."),
    ({"state": "S" * 101}, "state", "Longer than maximum length 100."),
    ({"postal_code": "1" * 21}, "postal_code", "Longer than maximum length 20."),
    ({"country": 840}, "country", "Not a valid string."),
    ({"country": None}, "country", "Field may not be null."),
    ({"is_default_shipping": "true"}, "is_default_shipping", "Not a valid boolean."),
    ({"is_default_billing": 1}, "is_default_billing", "Not a valid boolean."),
    ({"is_default_shipping": None}, "is_default_shipping", "Field may not be null."),
    ({"user_id": 1}, "user_id", "Unknown field."),
    ({"id": 7}, "id", "Unknown field."),
    ({"created_at": "2020-01-01T00:00:00"}, "created_at", "Unknown field."),
    ({"zip": "10001"}, "zip", "Unknown field."),
])
def test_bad_fields_are_400_and_change_nothing(client, customer, stored, changes, field, message):
    response = create(client, customer, **changes)
    assert response.status_code == 400
    assert response.get_json()["details"] == {field: [message]}
    assert stored(customer.id) == []

    address = create(client, customer).get_json()["address"]
    response = client.put(f"{URL}/{address['id']}", headers=customer.headers, json=changes)
    assert response.status_code == 400
    assert response.get_json()["details"] == {field: [message]}
    assert client.get(f"{URL}/{address['id']}", headers=customer.headers).get_json() == {"address": address}


@pytest.mark.parametrize("field", ["first_name", "last_name", "line1", "city", "state", "postal_code", "country"])
def test_required_fields_are_required_on_create(client, customer, stored, field):
    body = {key: value for key, value in BODY.items() if key != field}
    response = client.post(URL, headers=customer.headers, json=body)
    assert response.status_code == 400
    assert response.get_json()["details"] == {field: ["Missing data for required field."]}
    assert stored(customer.id) == []


@pytest.mark.parametrize("kwargs, status", [
    ({"data": "not json", "content_type": "text/plain"}, 415),
    ({"data": "{bad", "content_type": "application/json"}, 400),
    ({"json": ["a", "list"]}, 400),
])
def test_a_body_that_is_no_json_object_is_refused(client, customer, stored, kwargs, status):
    assert client.post(URL, headers=customer.headers, **kwargs).status_code == status
    assert stored(customer.id) == []


def test_another_users_address_is_a_404_like_a_missing_one(client, customer, other_customer, stored):
    theirs = create(client, other_customer).get_json()["address"]
    headers = {**customer.headers, "X-Request-ID": "same-id"}  # the bodies may then be equal to the byte
    missing = client.get(f"{URL}/999999", headers=headers)
    assert missing.status_code == 404
    assert missing.get_json()["error"] == "Address not found"
    for method, address_id, kwargs in [
        ("GET", theirs["id"], {}), ("PUT", theirs["id"], {"json": {"city": "Mine now", "is_default_shipping": True}}),
        ("DELETE", theirs["id"], {}), ("PUT", 999999, {"json": {"city": "X"}}), ("DELETE", 999999, {}),
        ("GET", 2**31, {}), ("GET", 2**31 - 1, {}), ("PUT", 2**63, {"json": {"city": "X"}}), ("DELETE", 10**30, {}),
        ("GET", 0, {}),
    ]:
        response = client.open(f"{URL}/{address_id}", method=method, headers=headers, **kwargs)
        assert response.status_code == 404, (method, address_id)
        assert response.get_json() == missing.get_json()
    assert client.get(f"{URL}/{theirs['id']}", headers=other_customer.headers).get_json() == {"address": theirs}
    assert stored(customer.id) == []


def test_every_signed_in_role_keeps_an_address_book(client, actors):
    for role in ("customer", "cashier", "manager", "admin"):
        actor = actors[role]
        address = create(client, actor).get_json()["address"]
        assert address["user_id"] == actor.id and address["is_default_shipping"] is True
        assert client.get(URL, headers=actor.headers).get_json() == {"addresses": [address]}


@pytest.mark.parametrize("method, path", [("GET", URL), ("POST", URL), ("GET", f"{URL}/1"), ("PUT", f"{URL}/1"),
                                          ("DELETE", f"{URL}/1")])
def test_anonymous_callers_are_401(client, method, path):
    response = client.open(path, method=method, json=BODY if method in ("POST", "PUT") else None)
    assert response.status_code == 401


def test_a_book_holds_at_most_50_addresses(client, customer, other_customer, stored):
    ids = [make_address(client.application, customer.id, city=f"City {n}") for n in range(50)]
    response = create(client, customer)
    assert response.status_code == 409
    assert response.get_json()["code"] == "ADDRESS_LIMIT"
    assert response.get_json()["error"] == "An address book holds at most 50 addresses"
    assert len(stored(customer.id)) == 50
    assert create(client, other_customer).status_code == 201  # the cap is per user
    assert client.delete(f"{URL}/{ids[0]}", headers=customer.headers).status_code == 200
    assert create(client, customer, city="City 50").status_code == 201
    assert len(stored(customer.id)) == 50


def test_deleting_a_user_deletes_their_addresses(client, admin, customer, other_customer, stored):
    victim = make_user(client.application, "customer")
    make_address(client.application, victim.id, is_default_shipping=True, is_default_billing=True)
    make_address(client.application, victim.id, city="Boston")
    kept = make_address(client.application, other_customer.id)
    assert len(stored(victim.id)) == 2
    response = client.delete(f"/api/users/{victim.id}", headers=admin.headers)
    assert response.status_code == 200
    assert stored(victim.id) == []
    assert [row["id"] for row in stored(other_customer.id)] == [kept]


def test_own_address_and_default_shipping_for_the_checkout(app, customer, other_customer):
    mine = make_address(app, customer.id, city="Mine")
    default = make_address(app, customer.id, city="Default", is_default_shipping=True)
    theirs = make_address(app, other_customer.id, is_default_shipping=True)
    with app.app_context():
        assert address_service.own_address(customer.id, mine).city == "Mine"
        for user_id, address_id in ((customer.id, theirs), (customer.id, 999999), (customer.id, 2**31),
                                    (customer.id, 2**63), (customer.id, 0), (customer.id, -1)):
            with pytest.raises(NotFound, match="^Address not found$"):
                address_service.own_address(user_id, address_id)
        assert address_service.default_shipping(customer.id).id == default
        assert address_service.default_shipping(other_customer.id).id == theirs
        assert address_service.default_shipping(2**31 - 1) is None
        db.session.remove()
