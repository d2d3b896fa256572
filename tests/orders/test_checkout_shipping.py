"""Checkout to a saved address and by a shipping method that the server prices."""
from decimal import Decimal as D

import pytest

from tests.orders.conftest import decimal_json
from tests.factories import ADDRESS, ORDER_BODY, make_address, make_product, make_shipping_method, make_user

SAVED = {"line1": "1 Elm Row", "line2": None, "city": "Edinburgh", "state": "Lothian", "postal_code": "EH7 4AA",
         "country": "GB"}


@pytest.fixture
def methods(app):
    make_shipping_method(app, code="standard", name="Standard", price=D("5.99"), free_over=D("50.00"))
    make_shipping_method(app, code="express", name="Express", price=D("14.99"), countries=["US", "CA"])
    make_shipping_method(app, code="retired", name="Retired", price=D("1.00"), is_active=False)


def test_a_saved_address_by_id_is_copied_into_the_order(app, client, customer, checkout):
    address_id = make_address(app, customer.id, **SAVED)
    response = checkout(customer, (make_product(app), 1), body={"address_id": address_id})
    assert response.status_code == 201, response.get_json()
    order_id = response.get_json()["order"]["id"]
    assert response.get_json()["order"]["shipping_address"] == SAVED
    # Editing (or deleting) the saved address never changes a past order.
    assert client.put(f"/api/users/addresses/{address_id}", json={"city": "Leith"},
                      headers=customer.headers).status_code == 200
    assert client.delete(f"/api/users/addresses/{address_id}", headers=customer.headers).status_code == 200
    assert client.get(f"/api/orders/{order_id}", headers=customer.headers).get_json()["shipping_address"] == SAVED


def test_without_an_address_the_default_shipping_address_is_used(app, customer, checkout):
    make_address(app, customer.id, **{**SAVED, "city": "Glasgow"}, is_default_shipping=False)
    make_address(app, customer.id, **SAVED, is_default_shipping=True)
    response = checkout(customer, (make_product(app), 1), body={"payment_method": "cash"})
    assert response.status_code == 201 and response.get_json()["order"]["shipping_address"] == SAVED


def test_without_an_address_or_a_default_the_checkout_is_400(app, customer, checkout, order_count):
    response = checkout(customer, (make_product(app), 1), body={"payment_method": "cash"})
    assert response.status_code == 400
    assert response.get_json()["details"] == {"shipping_address": ["shipping_address is required"]}
    assert order_count() == 0


def test_without_an_address_even_an_empty_cart_is_a_validation_error(client, customer):
    response = client.post("/api/orders", json={"payment_method": "cash"}, headers=customer.headers)
    assert response.status_code == 400 and response.get_json()["code"] == "VALIDATION_FAILED"
    assert response.get_json()["details"] == {"shipping_address": ["shipping_address is required"]}


def test_someone_elses_address_is_404_and_creates_nothing(app, customer, checkout, order_count, stock_of):
    stranger = make_user(app, "customer")
    address_id = make_address(app, stranger.id, **SAVED)
    product_id = make_product(app, stock=4)
    response = checkout(customer, (product_id, 1), body={"address_id": address_id})
    assert response.status_code == 404
    assert (order_count(), stock_of(product_id)) == (0, 4)


@pytest.mark.parametrize("body", [
    {"shipping_address": ADDRESS, "address_id": 1},
    {"address_id": "1"},
    {"address_id": 0},
    {"shipping_address": ADDRESS, "shipping_method": ""},
    {"shipping_address": ADDRESS, "shipping_method": 7},
])
def test_bad_address_or_method_input_is_400(app, customer, checkout, order_count, body):
    response = checkout(customer, (make_product(app), 1), body=body)
    assert response.status_code == 400 and response.get_json()["error"] == "Validation failed"
    assert order_count() == 0


def test_the_server_prices_the_method_and_ignores_a_sent_price(app, customer, checkout, methods):
    body = {**ORDER_BODY, "shipping_method": "EXPRESS", "shipping_cost": "0.00"}  # the SPA's address says "USA"
    order = decimal_json(checkout(customer, (make_product(app, price="10.00"), 2), body=body))["order"]
    assert (order["shipping_method"], order["shipping_cost"], order["tax"], order["total"]) == (
        "express", D("14.99"), D("2.00"), D("36.99"))


@pytest.mark.parametrize("quantity, shipping", [(5, D("0.00")), (4, D("5.99"))])
def test_a_method_is_free_from_its_threshold_on(app, customer, checkout, methods, quantity, shipping):
    body = {**ORDER_BODY, "shipping_method": "standard"}
    order = decimal_json(checkout(customer, (make_product(app, price="10.00"), quantity), body=body))["order"]
    assert order["shipping_cost"] == shipping


@pytest.mark.parametrize("code", ["express", "retired", "unknown"])
def test_a_method_not_available_for_the_destination_is_400_and_changes_nothing(
        app, customer, checkout, methods, order_count, stock_of, cart_lines, code):
    product_id = make_product(app, stock=3)
    body = {"shipping_address": {**ADDRESS, "country": "Germany"}, "shipping_method": code}
    response = checkout(customer, (product_id, 1), body=body)
    assert response.status_code == 400 and response.get_json()["code"] == "SHIPPING_UNAVAILABLE"
    assert (order_count(), stock_of(product_id), cart_lines(customer.customer_id)) == (0, 3, {product_id: 1})
