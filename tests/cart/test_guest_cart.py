"""Guest carts: opened without an account, used through X-Cart-Token on every cart route, token never stored."""
import hashlib
import re

import pytest

from app.extensions import db
from app.models import Cart
from tests.cart.conftest import CART_KEYS
from tests.factories import make_product

UNKNOWN = "A" * 43  # well-formed, but no cart's token
ROUTES = [
    ("get", "/api/cart", None),
    ("post", "/api/cart/items", {"product_id": 1, "quantity": 1}),
    ("put", "/api/cart/items/1", {"quantity": 1}),
    ("delete", "/api/cart/items/1", None),
    ("post", "/api/cart/clear", None),
    ("get", "/api/cart/validate", None),
    ("post", "/api/cart/discount", {"code": "SAVE10"}),
    ("delete", "/api/cart/discount", None),
]


def test_a_guest_cart_is_opened_without_an_account(app, client):
    response = client.post("/api/cart/guest")
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == {"cart_token"}
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", body["cart_token"])  # 32 random bytes, URL-safe base64
    cart = client.get("/api/cart", headers={"X-Cart-Token": body["cart_token"]}).get_json()
    assert set(cart) == CART_KEYS
    assert cart["customer_id"] is None and cart["items"] == [] and cart["total_items"] == 0
    assert cart["subtotal"] == 0 and cart["discount_code"] is None
    assert cart["shipping_cost"] == 0 and cart["total"] == 0  # an empty cart ships nothing


def test_only_the_tokens_sha256_is_stored(app, client, guest):
    token = guest().token
    with app.app_context():
        (row,) = db.session.execute(db.select(Cart.__table__)).mappings().all()
        db.session.remove()
    assert row["guest_token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert row["customer_id"] is None
    assert all(token not in str(value) for value in row.values())


def test_every_guest_cart_has_its_own_token(client, guest):
    tokens = {guest().token for _ in range(5)}
    assert len(tokens) == 5


def test_the_guest_cart_route_is_rate_limited(client, rate_limits, settings):
    settings(RATELIMIT_GUEST_CART="2 per minute", RATELIMIT_AUTH="1 per minute")  # its own limit
    statuses = [client.post("/api/cart/guest").status_code for _ in range(3)]
    assert statuses == [201, 201, 429]


def test_a_guest_uses_every_cart_route(app, client, guest, product_id, guest_lines):
    cart = guest()
    other = make_product(app, price="5.00", stock=4)
    added = client.post("/api/cart/items", json={"product_id": product_id, "quantity": 2}, headers=cart.headers)
    assert added.status_code == 200
    body = added.get_json()
    assert body["message"] == "Item added to cart" and set(body["cart"]) == CART_KEYS
    assert body["cart"]["customer_id"] is None and body["cart"]["subtotal"] == 39.98
    client.post("/api/cart/items", json={"product_id": other, "quantity": 1}, headers=cart.headers)
    assert guest_lines(cart.token) == {product_id: 2, other: 1}

    read = client.get("/api/cart", headers=cart.headers).get_json()
    assert read["total_items"] == 3 and read["subtotal"] == 44.98

    updated = client.put(f"/api/cart/items/{other}", json={"quantity": 4}, headers=cart.headers)
    assert updated.status_code == 200 and updated.get_json()["cart"]["total_items"] == 6
    assert client.put(f"/api/cart/items/{other}", json={"quantity": 5}, headers=cart.headers).status_code == 409

    assert client.get("/api/cart/validate", headers=cart.headers).get_json() == {
        "valid": True, "message": "Cart is valid for checkout"}

    removed = client.delete(f"/api/cart/items/{other}", headers=cart.headers)
    assert removed.status_code == 200 and [i["product_id"] for i in removed.get_json()["cart"]["items"]] == [product_id]
    assert guest_lines(cart.token) == {product_id: 2}

    cleared = client.post("/api/cart/clear", headers=cart.headers)
    assert cleared.status_code == 200 and cleared.get_json()["cart"]["items"] == []
    assert guest_lines(cart.token) == {}
    assert client.get("/api/cart/validate", headers=cart.headers).get_json() == {
        "valid": False, "message": "Cart is empty"}


def test_guest_rules_are_the_account_rules(app, client, guest, guest_lines):
    cart = guest()
    scarce, inactive = make_product(app, stock=3), make_product(app, is_active=False)
    response = client.post("/api/cart/items", json={"product_id": scarce, "quantity": 4}, headers=cart.headers)
    assert response.status_code == 409 and response.get_json()["code"] == "INSUFFICIENT_STOCK"
    response = client.post("/api/cart/items", json={"product_id": inactive}, headers=cart.headers)
    assert response.status_code == 409 and response.get_json()["code"] == "PRODUCT_UNAVAILABLE"
    response = client.post("/api/cart/items", json={"product_id": scarce, "quantity": 0}, headers=cart.headers)
    assert response.status_code == 400
    assert client.put(f"/api/cart/items/{scarce}", json={"quantity": 1}, headers=cart.headers).status_code == 404
    assert client.delete(f"/api/cart/items/{2**40}", headers=cart.headers).status_code == 404
    assert guest_lines(cart.token) == {}


def test_guest_carts_are_apart(client, guest, product_id, guest_lines, add_to):
    first, second = guest(), guest()
    add_to(first.headers, product_id, 2)
    assert client.delete(f"/api/cart/items/{product_id}", headers=second.headers).status_code == 404
    client.post("/api/cart/clear", headers=second.headers)
    assert guest_lines(first.token) == {product_id: 2} and guest_lines(second.token) == {}


@pytest.mark.parametrize("method, path, body", ROUTES)
@pytest.mark.parametrize("token", [UNKNOWN, "abc", "A" * 42 + "!", "A" * 44, "", " " + "A" * 43])
def test_an_unknown_or_malformed_token_is_404(client, method, path, body, token):
    response = getattr(client, method)(path, json=body, headers={"X-Cart-Token": token, "X-Request-ID": "same"})
    assert response.status_code == 404
    assert response.get_json() == {"error": "Cart not found", "code": "CART_NOT_FOUND", "request_id": "same"}


def test_the_bearer_token_wins_over_the_cart_token(client, customer, guest, product_id, add_to, cart_lines,
                                                   guest_lines):
    cart = guest()
    add_to(cart.headers, product_id, 1)
    both = {**customer.headers, **cart.headers}
    body = add_to(both, product_id, 3)
    assert body["customer_id"] == customer.customer_id and body["total_items"] == 3
    assert cart_lines(customer.customer_id) == {product_id: 3} and guest_lines(cart.token) == {product_id: 1}
    assert client.get("/api/cart", headers=both).get_json()["customer_id"] == customer.customer_id
    # an account with no cart yet is answered as today, whatever the cart token
    assert client.get("/api/cart", headers={**customer.headers, "X-Cart-Token": UNKNOWN}).status_code == 200


def test_a_bad_bearer_token_is_401_even_with_a_cart_token(client, guest):
    response = client.get("/api/cart", headers={"Authorization": "Bearer nonsense", **guest().headers})
    assert response.status_code == 401


def test_guest_statements(app, client, guest, add_to, count_queries):
    """No token check: a guest's read is one statement, a write the account's minus the token check."""
    cart = guest()
    products = [make_product(app) for _ in range(3)]
    add_to(cart.headers, products[0])
    with count_queries() as read:
        assert client.get("/api/cart", headers=cart.headers).status_code == 200
    with count_queries() as write:  # lock the cart, the cart with its lines, the product, the new line
        add_to(cart.headers, products[1])
    assert (len(read), len(write)) == (1, 4)


def test_the_openapi_documents_the_cart_token(client):
    spec = client.get("/api/openapi.json").get_json()
    assert spec["components"]["securitySchemes"]["cartToken"] == {
        "type": "apiKey", "in": "header", "name": "X-Cart-Token",
        "description": "A guest cart's token (POST /api/cart/guest), instead of a bearer token"}
    for method, path, _ in ROUTES:
        operation = spec["paths"][path.replace("/1", "/{product_id}")][method]
        assert operation["security"] == [{"bearerAuth": []}, {"cartToken": []}], (method, path)
        assert "404" in operation["responses"]
    assert "security" not in spec["paths"]["/api/cart/guest"]["post"]
    login = spec["paths"]["/api/auth/login"]["post"]
    assert {"in": "header", "name": "X-Cart-Token"}.items() <= login["parameters"][0].items()
