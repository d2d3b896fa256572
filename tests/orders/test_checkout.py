"""POST /api/orders: one transaction, exact money, stock taken once, idempotent with a key."""
import re
import threading
from decimal import Decimal

import pytest

from app.repositories import stock_repository
from tests.factories import ADDRESS, ORDER_BODY, make_product
from tests.orders.conftest import CUSTOMER_ORDER_KEYS, ORDER_ITEM_KEYS, decimal_json


def test_checkout_creates_the_order_and_empties_the_cart(app, client, customer, checkout, stock_of, cart_lines,
                                                         events_of):
    product_id = make_product(app, price="99.99", stock=10, name="Elite Laptop 5", sku="SKU-00005")
    response = checkout(customer, (product_id, 2))
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == {"message", "order"} and body["message"] == "Order created successfully"
    order = body["order"]
    assert set(order) == CUSTOMER_ORDER_KEYS
    assert re.fullmatch(r"ORD-[0-9A-F]{16}", order["order_number"])
    assert order["status"] == "pending" and order["payment_status"] == "pending"
    assert order["payment_method"] == "credit_card" and order["customer_id"] == customer.customer_id
    assert order["shipping_address"] == ADDRESS and order["customer_notes"] == "Please deliver after 6 PM"
    assert (order["subtotal"], order["tax"], order["shipping_cost"], order["total"]) == (199.98, 20.0, 10.0, 229.98)
    assert order["total_items"] == 2
    (item,) = order["items"]
    assert set(item) == ORDER_ITEM_KEYS
    assert (item["product_name"], item["product_sku"], item["unit_price"], item["quantity"], item["total_price"]) == (
        "Elite Laptop 5", "SKU-00005", 99.99, 2, 199.98)
    assert stock_of(product_id) == 8
    assert cart_lines(customer.customer_id) == {}
    assert events_of(order["id"]) == [("created", None, "pending", customer.id)]


@pytest.mark.parametrize("lines, subtotal, tax", [
    ([("0.05", 1)], "0.05", "0.01"),          # 0.005 rounds half up
    ([("19.99", 3)], "59.97", "6.00"),        # 5.997
    ([("33.33", 1)], "33.33", "3.33"),        # 3.333
    ([("0.01", 1)], "0.01", "0.00"),          # 0.001
    ([("0.15", 1), ("0.10", 1)], "0.25", "0.03"),  # 0.025 half up (a float would give 0.02)
    ([("1.45", 1)], "1.45", "0.15"),          # 0.145 half up
    ([("99999.99", 100)], "9999999.00", "999999.90"),
    ([("10.00", 3), ("0.99", 7), ("5.55", 1)], "42.48", "4.25"),  # 4.248
])
def test_money_is_exact(app, customer, checkout, lines, subtotal, tax):
    product_lines = [(make_product(app, price=price, stock=1000), quantity) for price, quantity in lines]
    response = checkout(customer, *product_lines)
    assert response.status_code == 201
    order = decimal_json(response)["order"]
    assert order["subtotal"] == Decimal(subtotal)
    assert order["tax"] == Decimal(tax)
    assert order["shipping_cost"] == Decimal("10.00")
    assert order["total"] == order["subtotal"] + order["tax"] + order["shipping_cost"]
    assert sum(item["total_price"] for item in order["items"]) == order["subtotal"]


def test_order_items_snapshot_the_product(app, client, customer, admin, place_order, db_read):
    from app.models import Product
    product_id = make_product(app, price="12.50", name="Mug", sku="MUG-1")
    order_id = place_order(customer, (product_id, 1))

    def rename(session):
        product = session.get(Product, product_id)
        product.name, product.price = "Renamed", Decimal("99.00")
        session.commit()
    db_read(rename)
    item = client.get(f"/api/orders/{order_id}", headers=customer.headers).get_json()["items"][0]
    assert (item["product_name"], item["product_sku"], item["unit_price"]) == ("Mug", "MUG-1", 12.5)


@pytest.mark.parametrize("role", ["admin", "manager", "cashier"])
def test_staff_may_order_for_themselves(app, actors, role, checkout):
    response = checkout(actors[role], (make_product(app), 1))
    assert response.status_code == 201


def test_checkout_needs_a_token(client):
    assert client.post("/api/orders", json=ORDER_BODY).status_code == 401


def test_empty_or_missing_cart_is_400(client, customer, order_count):
    response = client.post("/api/orders", json=ORDER_BODY, headers=customer.headers)
    assert response.status_code == 400 and response.get_json()["error"] == "Cart is empty"
    client.post("/api/cart/clear", headers=customer.headers)
    assert client.post("/api/orders", json=ORDER_BODY, headers=customer.headers).status_code == 400
    assert order_count() == 0


@pytest.mark.parametrize("body", [
    {},
    {"shipping_address": None},
    {"shipping_address": "123 Main St"},
    {"shipping_address": {**ADDRESS, "city": ""}},
    {"shipping_address": {**ADDRESS, "line1": "   "}},
    {"shipping_address": {k: v for k, v in ADDRESS.items() if k != "postal_code"}},
    {"shipping_address": {**ADDRESS, "postal_code": "1" * 21}},
    {"shipping_address": {**ADDRESS, "line1": "x" * 256}},
    {"shipping_address": {**ADDRESS, "country": 42}},
    {"shipping_address": ADDRESS, "payment_method": "bitcoin"},
    {"shipping_address": ADDRESS, "payment_method": 1},
    {"shipping_address": ADDRESS, "customer_notes": ["x"]},
])
def test_bad_order_input_is_400_and_changes_nothing(app, client, customer, fill_cart, body, order_count, stock_of,
                                                    cart_lines):
    product_id = make_product(app, stock=5)
    fill_cart(customer, (product_id, 2))
    response = client.post("/api/orders", json=body, headers=customer.headers)
    assert response.status_code == 400
    assert response.get_json()["error"] == "Validation failed"
    assert order_count() == 0 and stock_of(product_id) == 5 and cart_lines(customer.customer_id) == {product_id: 2}


def test_unknown_payment_method_names_the_choices(app, customer, checkout):
    response = checkout(customer, (make_product(app), 1), body={**ORDER_BODY, "payment_method": "gold"})
    assert response.get_json()["details"]["payment_method"] == [
        "Invalid payment method. Must be one of: credit_card, debit_card, paypal, cash, bank_transfer"]


@pytest.mark.parametrize("line2", ["", None])
def test_optional_fields_may_be_empty(app, customer, checkout, line2):
    body = {"shipping_address": {**ADDRESS, "line2": line2}, "payment_method": None, "spa_extra": 1}
    response = checkout(customer, (make_product(app), 1), body=body)
    assert response.status_code == 201
    order = response.get_json()["order"]
    assert order["payment_method"] is None and order["customer_notes"] is None


def test_non_json_body_is_415(app, client, customer, fill_cart, order_count):
    fill_cart(customer, (make_product(app), 1))
    response = client.post("/api/orders", data="shipping_address=x", headers=customer.headers)
    assert response.status_code == 415 and order_count() == 0


def test_inactive_product_is_refused_by_name(app, customer, checkout, set_product_active, order_count, stock_of,
                                             cart_lines, fill_cart):
    good = make_product(app, stock=5)
    gone = make_product(app, stock=5, name="Old Phone")
    fill_cart(customer, (good, 1), (gone, 1))
    set_product_active(gone, False)
    response = checkout(customer)
    assert response.status_code == 409
    assert response.get_json()["error"] == "Product 'Old Phone' is no longer available"
    assert order_count() == 0 and stock_of(good) == 5 and cart_lines(customer.customer_id) == {good: 1, gone: 1}


def test_insufficient_stock_rolls_back_everything(app, customer, checkout, fill_cart, set_stock, order_count,
                                                  stock_of, cart_lines):
    first = make_product(app, stock=5)
    second = make_product(app, stock=5, name="Scarce Lamp")
    fill_cart(customer, (first, 2), (second, 3))
    set_stock(second, 2)
    response = checkout(customer)
    assert response.status_code == 409
    body = response.get_json()
    assert body["code"] == "INSUFFICIENT_STOCK" and body["error"] == "Insufficient stock for Scarce Lamp"
    assert order_count() == 0
    assert (stock_of(first), stock_of(second)) == (5, 2)  # the first product's decrement was rolled back
    assert cart_lines(customer.customer_id) == {first: 2, second: 3}


def test_a_failure_midway_leaves_no_trace(app, customer, checkout, fill_cart, monkeypatch, order_count, stock_of,
                                          cart_lines, client):
    first, second = make_product(app, stock=5), make_product(app, stock=5)
    fill_cart(customer, (first, 1), (second, 1))
    real_take, calls = stock_repository.take, []

    def take_then_fail(quantities):
        calls.append(dict(quantities))
        assert real_take(quantities)  # the stock really moves, then the order fails
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(stock_repository, "take", take_then_fail)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)  # answer 500 JSON as in production
    response = client.post("/api/orders", json=ORDER_BODY, headers=customer.headers)
    assert response.status_code == 500
    assert "disk on fire" not in response.get_data(as_text=True)
    assert calls == [{first: 1, second: 1}]
    assert order_count() == 0 and (stock_of(first), stock_of(second)) == (5, 5)
    assert cart_lines(customer.customer_id) == {first: 1, second: 1}


def test_idempotent_repeat_returns_the_first_response(app, client, customer, fill_cart, order_count, stock_of,
                                                      idempotency_count):
    product_id = make_product(app, stock=5)
    fill_cart(customer, (product_id, 1))
    headers = {**customer.headers, "Idempotency-Key": "checkout-1"}
    first = client.post("/api/orders", json=ORDER_BODY, headers=headers)
    fill_cart(customer, (product_id, 1))  # the cart is full again: a non-idempotent repeat would order it
    second = client.post("/api/orders", json=ORDER_BODY, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.get_data() == second.get_data()
    assert order_count() == 1 and stock_of(product_id) == 4 and idempotency_count() == 1


def test_same_key_with_another_body_is_422(app, client, customer, fill_cart, order_count):
    fill_cart(customer, (make_product(app), 1))
    headers = {**customer.headers, "Idempotency-Key": "checkout-2"}
    assert client.post("/api/orders", json=ORDER_BODY, headers=headers).status_code == 201
    fill_cart(customer, (make_product(app), 1))
    response = client.post("/api/orders", json={**ORDER_BODY, "payment_method": "paypal"}, headers=headers)
    assert response.status_code == 422
    assert response.get_json()["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert order_count() == 1


def test_keys_belong_to_their_user(app, client, customer, other_customer, fill_cart, order_count):
    for actor in (customer, other_customer):
        fill_cart(actor, (make_product(app), 1))
        response = client.post("/api/orders", json=ORDER_BODY, headers={**actor.headers, "Idempotency-Key": "k"})
        assert response.status_code == 201
    assert order_count() == 2


def test_overlong_key_is_400(app, client, customer, fill_cart, order_count):
    fill_cart(customer, (make_product(app), 1))
    response = client.post("/api/orders", json=ORDER_BODY, headers={**customer.headers, "Idempotency-Key": "k" * 256})
    assert response.status_code == 400 and order_count() == 0


def test_concurrent_duplicates_make_one_order(app, customer, fill_cart, order_count, stock_of):
    product_id = make_product(app, stock=50)
    fill_cart(customer, (product_id, 2))
    attempts = 6
    barrier = threading.Barrier(attempts)
    responses = []

    def send():
        client = app.test_client()
        barrier.wait()
        responses.append(client.post("/api/orders", json=ORDER_BODY,
                                     headers={**customer.headers, "Idempotency-Key": "double-click"}))

    threads = [threading.Thread(target=send) for _ in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.status_code for r in responses) == [201] * attempts
    assert len({r.get_data() for r in responses}) == 1
    assert order_count() == 1 and stock_of(product_id) == 48


@pytest.fixture
def set_product_active(app):
    from app.extensions import db
    from app.models import Product

    def update(product_id, active):
        with app.app_context():
            db.session.execute(db.update(Product).where(Product.id == product_id).values(is_active=active))
            db.session.commit()
            db.session.remove()
    return update


@pytest.fixture
def set_stock(app):
    from app.extensions import db
    from app.models import Product

    def update(product_id, stock):
        with app.app_context():
            db.session.execute(db.update(Product).where(Product.id == product_id).values(stock_quantity=stock))
            db.session.commit()
            db.session.remove()
    return update
