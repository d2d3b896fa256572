"""GET /api/shipping-methods/quote: the active methods that ship to a country, by sort_order, priced for a subtotal."""
from decimal import Decimal

import pytest

from tests.factories import make_shipping_method
from tests.shipping.conftest import decimal_json

COUNTRY_ERROR = "Unknown country: send an ISO 3166-1 alpha-2 or alpha-3 code or the country's English name."

QUOTE = "/api/shipping-methods/quote"
STANDARD = {"code": "standard", "name": "Standard", "price": Decimal("5.99"), "free_over": Decimal("50.00"),
            "is_free": False}
EXPRESS = {"code": "express", "name": "Express", "price": Decimal("14.99"), "free_over": None, "is_free": False}
PICKUP = {"code": "pickup", "name": "Pickup", "price": Decimal("0.00"), "free_over": None, "is_free": True}
EUROPE = {"code": "europe", "name": "Europe", "price": Decimal("9.00"), "free_over": Decimal("120.00"),
          "is_free": False}


@pytest.fixture
def methods(app):
    """standard everywhere, express to five countries, pickup in the US, europe to DE and FR first, two inactive."""
    make_shipping_method(app, code="pickup", name="Pickup", price="0.00", countries=["US"], sort_order=3)
    make_shipping_method(app, code="express", name="Express", price="14.99", countries=["CA", "DE", "FR", "GB", "US"],
                         sort_order=2)
    make_shipping_method(app, code="standard", name="Standard", price="5.99", free_over="50.00", sort_order=1)
    make_shipping_method(app, code="europe", name="Europe", price="9.00", free_over="120.00", countries=["DE", "FR"],
                         sort_order=0)
    make_shipping_method(app, code="retired", name="Retired", price="1.00", is_active=False, sort_order=-1)
    make_shipping_method(app, code="old-us", name="Old US", price="2.00", countries=["US"], is_active=False)


def quote(client, headers=None, **params):
    return client.get(QUOTE, query_string=params, headers=headers or {})


def test_the_quote_lists_the_methods_shipping_there_by_sort_order(client, methods):
    response = quote(client, country="US", subtotal="10.00")
    assert response.status_code == 200
    assert decimal_json(response) == {"country": "US", "subtotal": Decimal("10.00"),
                                      "shipping_methods": [STANDARD, EXPRESS, PICKUP]}


@pytest.mark.parametrize("country, expected", [
    ("DE", [EUROPE, STANDARD, EXPRESS]),
    ("GB", [STANDARD, EXPRESS]),
    ("JP", [STANDARD]),  # [] ships everywhere
])
def test_only_methods_shipping_to_the_destination_are_listed(client, methods, country, expected):
    response = quote(client, country=country, subtotal="10")
    assert response.status_code == 200
    assert decimal_json(response)["shipping_methods"] == expected


@pytest.mark.parametrize("country", ["US", "us", "USA", "usa", "United States", " united states "])
def test_every_spelling_of_a_country_gives_its_code(client, methods, country):
    response = quote(client, country=country, subtotal="10.00")
    assert response.status_code == 200
    body = decimal_json(response)
    assert body["country"] == "US"
    assert [method["code"] for method in body["shipping_methods"]] == ["standard", "express", "pickup"]


@pytest.mark.parametrize("subtotal, price, is_free", [
    ("49.99", Decimal("5.99"), False), ("50.00", Decimal("0.00"), True), ("50", Decimal("0.00"), True),
    ("50.01", Decimal("0.00"), True), ("0", Decimal("5.99"), False), ("99999999.99", Decimal("0.00"), True),
])
def test_shipping_is_free_from_free_over_on(client, methods, subtotal, price, is_free):
    response = quote(client, country="JP", subtotal=subtotal)
    assert response.status_code == 200
    (standard,) = decimal_json(response)["shipping_methods"]
    assert (standard["price"], standard["is_free"]) == (price, is_free)


def test_the_subtotal_defaults_to_zero_and_is_answered_with_two_decimals(client, methods):
    response = quote(client, country="DE")
    assert response.status_code == 200
    assert '"subtotal":0.00' in response.get_data(as_text=True)
    assert [m["price"] for m in decimal_json(response)["shipping_methods"]] == [
        Decimal("9.00"), Decimal("5.99"), Decimal("14.99")]


def test_equal_sort_orders_keep_the_creation_order(client, app):
    for code in ("b", "a", "c"):
        make_shipping_method(app, code=code, sort_order=7)
    response = quote(client, country="FR")
    assert [method["code"] for method in response.get_json()["shipping_methods"]] == ["b", "a", "c"]


def test_no_method_is_an_empty_list(client, app):
    make_shipping_method(app, code="us-only", countries=["US"])
    response = quote(client, country="Germany")
    assert response.status_code == 200
    assert response.get_json()["shipping_methods"] == [] and response.get_json()["country"] == "DE"


@pytest.mark.parametrize("params, field, message", [
    ({}, "country", "Missing data for required field."),
    ({"country": ""}, "country", COUNTRY_ERROR),
    ({"country": "ZZ"}, "country", COUNTRY_ERROR),
    ({"country": "Atlantis"}, "country", COUNTRY_ERROR),
    ({"country": "U" * 500}, "country", COUNTRY_ERROR),
    ({"country": "US", "subtotal": "-0.01"}, "subtotal", "Must be at least 0 and at most 99999999.99."),
    ({"country": "US", "subtotal": "100000000"}, "subtotal", "Must be at least 0 and at most 99999999.99."),
    ({"country": "US", "subtotal": "1.001"}, "subtotal", "At most 2 decimal places are allowed."),
    ({"country": "US", "subtotal": "ten"}, "subtotal", "Not a valid number."),
    ({"country": "US", "subtotal": ""}, "subtotal", "Not a valid number."),
    ({"country": "US", "subtotal": "NaN"}, "subtotal", "Special numeric values (nan or infinity) are not permitted."),
    ({"country": "US", "subtotal": "Infinity"}, "subtotal",
     "Special numeric values (nan or infinity) are not permitted."),
    ({"country": "US", "subtotal": "1e999999999"}, "subtotal", "Must be at least 0 and at most 99999999.99."),
])
def test_a_bad_country_or_subtotal_is_400_naming_it(client, methods, params, field, message):
    response = quote(client, **params)
    assert response.status_code == 400
    body = response.get_json()
    assert (body["error"], body["code"]) == ("Validation failed", "VALIDATION_FAILED")
    assert body["details"] == {field: [message]}


@pytest.mark.parametrize("role", ["anonymous", "customer", "cashier", "manager", "admin"])
def test_anyone_may_ask_for_a_quote(client, actors, methods, role):
    actor = actors[role]
    response = quote(client, headers=actor.headers if actor else None, country="US")
    assert response.status_code == 200
    assert len(response.get_json()["shipping_methods"]) == 3


def test_a_stale_token_does_not_stop_a_quote(client, methods):
    response = quote(client, headers={"Authorization": "Bearer not.a.token"}, country="US")
    assert response.status_code == 200
