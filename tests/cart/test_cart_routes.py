"""Cart routes: shapes, quantity and stock rules, ownership, bad input."""
import json
import threading

import pytest

from app.extensions import db
from app.models import Cart, Customer
from tests.cart.conftest import CART_ITEM_KEYS, CART_KEYS
from tests.factories import make_product
from tests.shapes import with_request_id

ROUTES = [
    ("get", "/api/cart", None),
    ("post", "/api/cart/items", {"product_id": 1, "quantity": 1}),
    ("put", "/api/cart/items/1", {"quantity": 1}),
    ("delete", "/api/cart/items/1", None),
    ("post", "/api/cart/clear", None),
    ("get", "/api/cart/validate", None),
]


@pytest.mark.parametrize("method, path, body", ROUTES)
def test_every_cart_route_needs_a_token(client, method, path, body):
    response = getattr(client, method)(path, json=body)
    assert response.status_code == 401
    assert response.get_json()["error"] == "Missing authorization token"


def test_no_cart_yet_is_the_empty_message(client, customer):
    response = client.get("/api/cart", headers=customer.headers)
    assert response.status_code == 200
    assert response.get_json() == {"message": "Cart is empty", "cart": None}


def test_add_item_returns_the_cart_with_compat_shapes(client, customer, product_id, add_to_cart):
    response = add_to_cart(customer, product_id, 2)
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"message", "cart"}
    assert body["message"] == "Item added to cart"
    cart = body["cart"]
    assert set(cart) == CART_KEYS
    assert cart["customer_id"] == customer.customer_id
    assert cart["total_items"] == 2
    assert cart["subtotal"] == 39.98
    (item,) = cart["items"]
    assert set(item) == CART_ITEM_KEYS
    assert item["product_id"] == product_id and item["cart_id"] == cart["id"]
    assert item["unit_price"] == 19.99 and item["total_price"] == 39.98
    assert item["product"]["name"] == "Elite Laptop"


def test_get_cart_is_the_bare_cart(client, customer, product_id, add_to_cart):
    add_to_cart(customer, product_id, 3)
    body = client.get("/api/cart", headers=customer.headers).get_json()
    assert set(body) == CART_KEYS
    assert body["total_items"] == 3 and body["items"][0]["quantity"] == 3


def test_adding_again_increments_the_line(client, customer, product_id, add_to_cart, cart_lines):
    add_to_cart(customer, product_id, 2)
    cart = add_to_cart(customer, product_id, 3).get_json()["cart"]
    assert len(cart["items"]) == 1 and cart["items"][0]["quantity"] == 5
    assert cart_lines(customer.customer_id) == {product_id: 5}


def test_quantity_defaults_to_one(client, customer, product_id):
    response = client.post("/api/cart/items", json={"product_id": product_id}, headers=customer.headers)
    assert response.status_code == 200
    assert response.get_json()["cart"]["total_items"] == 1


def test_prices_are_live(client, customer, product_id, add_to_cart, set_product):
    add_to_cart(customer, product_id, 2)
    set_product(product_id, price="5.05")
    body = client.get("/api/cart", headers=customer.headers).get_json()
    assert body["items"][0]["unit_price"] == 5.05
    assert body["subtotal"] == 10.10


@pytest.mark.parametrize("role", ["admin", "manager", "cashier", "customer"])
def test_every_authenticated_role_may_keep_a_cart(app, client, actors, role, product_id, add_to_cart):
    actor = actors[role]
    response = add_to_cart(actor, product_id)
    assert response.status_code == 200
    with app.app_context():
        customer = db.session.scalar(db.select(Customer).where(Customer.user_id == actor.id))
        assert customer is not None and customer.cart is not None
    assert client.get("/api/cart", headers=actor.headers).get_json()["total_items"] == 1


@pytest.mark.parametrize("role", ["admin", "manager", "cashier"])
def test_staff_without_a_cart_see_the_empty_message(client, actors, role):
    assert client.get("/api/cart", headers=actors[role].headers).get_json() == {"message": "Cart is empty",
                                                                                  "cart": None}


@pytest.mark.parametrize("quantity", [0, -1, 101, "2", 2.5, True, None, "abc", [1], 10**30])
def test_bad_quantity_is_rejected_and_changes_nothing(client, customer, product_id, quantity, cart_lines):
    response = client.post("/api/cart/items", data=json.dumps({"product_id": product_id, "quantity": quantity}),
                           content_type="application/json", headers=customer.headers)
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"] == "Validation failed" and "quantity" in body["details"]
    assert cart_lines(customer.customer_id) == {}


@pytest.mark.parametrize("body", [{}, {"product_id": "1"}, {"product_id": 0}, {"product_id": -3},
                                  {"product_id": 1.5}, {"product_id": None}, {"product_id": True},
                                  {"product_id": 1, "quantity": 1, "price": 0.01}])
def test_bad_product_id_or_unknown_key_is_rejected(client, customer, body):
    response = client.post("/api/cart/items", json=body, headers=customer.headers)
    assert response.status_code == 400
    assert response.get_json()["error"] == "Validation failed"


def test_null_malformed_and_non_json_bodies_are_4xx(client, customer):
    null = client.post("/api/cart/items", data="null", content_type="application/json", headers=customer.headers)
    malformed = client.post("/api/cart/items", data="{", content_type="application/json", headers=customer.headers)
    text = client.post("/api/cart/items", data="product_id=1", headers=customer.headers)
    assert (null.status_code, malformed.status_code, text.status_code) == (400, 400, 415)
    assert all("error" in r.get_json() for r in (null, malformed, text))


@pytest.mark.parametrize("product_id", [999999, 2**31 - 1, 2**40, 10**30])
def test_missing_product_is_404(client, customer, product_id, cart_lines):
    response = client.post("/api/cart/items", data=json.dumps({"product_id": product_id}),
                           content_type="application/json", headers=customer.headers)
    assert response.status_code == 404
    assert response.get_json()["error"] == "Product not found"
    assert cart_lines(customer.customer_id) == {}


def test_inactive_product_is_not_available(app, client, customer, cart_lines):
    product_id = make_product(app, is_active=False)
    response = client.post("/api/cart/items", json={"product_id": product_id}, headers=customer.headers)
    assert response.status_code == 409
    assert response.get_json()["error"] == "Product is not available"
    assert cart_lines(customer.customer_id) == {}


def test_more_than_the_stock_is_refused(app, client, customer, add_to_cart, cart_lines):
    product_id = make_product(app, stock=3)
    response = add_to_cart(customer, product_id, 4)
    assert response.status_code == 409
    assert response.get_json() == with_request_id(response, {"error": "Only 3 item(s) available in stock",
                                                             "code": "INSUFFICIENT_STOCK"})
    add_to_cart(customer, product_id, 2)
    response = add_to_cart(customer, product_id, 2)
    assert response.status_code == 409
    assert response.get_json()["error"] == "Cannot add 2. Cart already has 2. Only 3 available in stock."
    assert response.get_json()["code"] == "INSUFFICIENT_STOCK"
    assert cart_lines(customer.customer_id) == {product_id: 2}


def test_a_line_holds_at_most_100(app, client, customer, add_to_cart, cart_lines):
    product_id = make_product(app, stock=500)
    add_to_cart(customer, product_id, 100)
    response = add_to_cart(customer, product_id, 1)
    assert response.status_code == 409
    assert response.get_json()["error"] == "Maximum 100 items per product"
    assert cart_lines(customer.customer_id) == {product_id: 100}


def test_update_sets_the_absolute_quantity(client, customer, product_id, add_to_cart):
    add_to_cart(customer, product_id, 2)
    response = client.put(f"/api/cart/items/{product_id}", json={"quantity": 7}, headers=customer.headers)
    assert response.status_code == 200
    body = response.get_json()
    assert body["message"] == "Cart item updated"
    assert body["cart"]["items"][0]["quantity"] == 7 and body["cart"]["total_items"] == 7


@pytest.mark.parametrize("body", [{"quantity": 0}, {"quantity": 101}, {"quantity": "3"}, {"quantity": 2.5},
                                  {}, {"quantity": 3, "product_id": 9}])
def test_update_rejects_bad_input(client, customer, product_id, add_to_cart, body, cart_lines):
    add_to_cart(customer, product_id, 2)
    response = client.put(f"/api/cart/items/{product_id}", json=body, headers=customer.headers)
    assert response.status_code == 400
    assert cart_lines(customer.customer_id) == {product_id: 2}


def test_update_checks_stock_and_availability(app, client, customer, add_to_cart, set_product, cart_lines):
    product_id = make_product(app, stock=5)
    add_to_cart(customer, product_id, 2)
    too_many = client.put(f"/api/cart/items/{product_id}", json={"quantity": 6}, headers=customer.headers)
    assert too_many.status_code == 409 and too_many.get_json()["code"] == "INSUFFICIENT_STOCK"
    set_product(product_id, is_active=False)
    inactive = client.put(f"/api/cart/items/{product_id}", json={"quantity": 1}, headers=customer.headers)
    assert inactive.status_code == 409 and inactive.get_json()["error"] == "Product is not available"
    assert cart_lines(customer.customer_id) == {product_id: 2}


def test_update_or_remove_an_absent_line_is_404(app, client, customer, product_id, add_to_cart):
    for method in ("put", "delete"):  # no cart at all
        response = getattr(client, method)(f"/api/cart/items/{product_id}", json={"quantity": 1},
                                           headers=customer.headers)
        assert response.status_code == 404 and response.get_json()["error"] == "Item not in cart"
    add_to_cart(customer, product_id)
    other = make_product(app)
    for path in (f"/api/cart/items/{other}", "/api/cart/items/987654", f"/api/cart/items/{2**40}"):
        assert client.put(path, json={"quantity": 1}, headers=customer.headers).status_code == 404
        assert client.delete(path, headers=customer.headers).status_code == 404


def test_remove_item(client, customer, product_id, add_to_cart, app):
    second = make_product(app)
    add_to_cart(customer, product_id)
    add_to_cart(customer, second, 2)
    response = client.delete(f"/api/cart/items/{product_id}", headers=customer.headers)
    assert response.status_code == 200
    body = response.get_json()
    assert body["message"] == "Item removed from cart"
    assert [item["product_id"] for item in body["cart"]["items"]] == [second]


def test_another_customers_lines_are_out_of_reach(client, customer, other_customer, product_id, add_to_cart,
                                                  cart_lines):
    add_to_cart(customer, product_id, 2)
    assert client.delete(f"/api/cart/items/{product_id}", headers=other_customer.headers).status_code == 404
    assert client.put(f"/api/cart/items/{product_id}", json={"quantity": 9},
                      headers=other_customer.headers).status_code == 404
    client.post("/api/cart/clear", headers=other_customer.headers)
    assert cart_lines(customer.customer_id) == {product_id: 2}
    assert client.get("/api/cart", headers=other_customer.headers).get_json()["cart"] is None


def test_clear_without_a_cart(client, customer):
    response = client.post("/api/cart/clear", headers=customer.headers)
    assert response.status_code == 200
    assert response.get_json() == {"message": "Cart cleared", "cart": None}


def test_clear_keeps_the_cart_row(client, customer, product_id, add_to_cart, cart_lines):
    add_to_cart(customer, product_id, 2)
    body = client.post("/api/cart/clear", headers=customer.headers).get_json()
    assert body["message"] == "Cart cleared"
    assert body["cart"]["items"] == [] and body["cart"]["total_items"] == 0 and body["cart"]["subtotal"] == 0
    assert set(body["cart"]) == CART_KEYS
    assert cart_lines(customer.customer_id) == {}


def test_validate_empty_cart(client, customer):
    response = client.get("/api/cart/validate", headers=customer.headers)
    assert response.status_code == 400
    assert response.get_json() == {"valid": False, "message": "Cart is empty"}


def test_validate_ok_then_inactive_then_short_of_stock(client, customer, product_id, add_to_cart, set_product):
    add_to_cart(customer, product_id, 4)
    response = client.get("/api/cart/validate", headers=customer.headers)
    assert response.status_code == 200
    assert response.get_json() == {"valid": True, "message": "Cart is valid for checkout"}
    set_product(product_id, stock_quantity=3)
    response = client.get("/api/cart/validate", headers=customer.headers)
    assert response.status_code == 400
    assert response.get_json() == {
        "valid": False, "message": "Insufficient stock for 'Elite Laptop'. Only 3 available, but cart has 4"}
    set_product(product_id, is_active=False)
    assert client.get("/api/cart/validate", headers=customer.headers).get_json() == {
        "valid": False, "message": "Product 'Elite Laptop' is no longer available"}


@pytest.mark.parametrize("lines", [1, 50])
def test_get_cart_runs_a_fixed_number_of_statements(app, client, customer, add_to_cart, count_queries, lines):
    for _ in range(lines):
        add_to_cart(customer, make_product(app))
    with count_queries() as statements:
        body = client.get("/api/cart", headers=customer.headers).get_json()
    assert len(body["items"]) == lines
    # token check with the user and profile; the cart with its lines and products
    assert len(statements) == 2


def test_concurrent_first_adds_share_one_cart(app, customer):
    products = [make_product(app) for _ in range(6)]
    barrier = threading.Barrier(len(products))
    statuses = []

    def add(product_id):
        client = app.test_client()
        barrier.wait()
        statuses.append(client.post("/api/cart/items", json={"product_id": product_id},
                                    headers=customer.headers).status_code)

    threads = [threading.Thread(target=add, args=(p,)) for p in products]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * len(products)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Cart.id))) == 1
        db.session.remove()
