"""The cart's discount code: attached when it applies (each reason code when not), removed, and the cart's totals."""
from datetime import timedelta

import pytest

from app.extensions import db
from app.models import Cart
from app.models.base import utcnow
from tests.cart.conftest import CART_KEYS
from tests.factories import make_discount


@pytest.fixture
def save10(app):
    return make_discount(app, code="SAVE10")


@pytest.fixture
def filled(customer, product_id, add_to):
    """The customer's cart with 2 x 19.99 = 39.98."""
    add_to(customer.headers, product_id, 2)
    return customer.headers


def attach(client, headers, code):
    return client.post("/api/cart/discount", json={"code": code}, headers=headers)


def cart_discount_id(app, customer_id):
    with app.app_context():
        value = db.session.scalar(db.select(Cart.discount_id).where(Cart.customer_id == customer_id))
        db.session.remove()
    return value


def figures(cart):
    return {key: cart[key] for key in ("subtotal", "discount_code", "discount_amount", "tax", "shipping_cost",
                                       "total")}


def test_a_cart_without_a_code_shows_its_totals(client, filled):
    assert figures(client.get("/api/cart", headers=filled).get_json()) == {
        "subtotal": 39.98, "discount_code": None, "discount_amount": 0.00, "tax": 4.00, "shipping_cost": 10.00,
        "total": 53.98}


def test_attach_a_percent_code(app, client, customer, filled, save10):
    response = attach(client, filled, "SAVE10")
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"message", "cart"} and body["message"] == "Discount applied"
    assert set(body["cart"]) == CART_KEYS
    # 10% of 39.98 = 4.00; tax 0.10 x 35.98 = 3.60; shipping 10.00; 35.98 + 3.60 + 10.00 = 49.58
    expected = {"subtotal": 39.98, "discount_code": "SAVE10", "discount_amount": 4.00, "tax": 3.60,
                "shipping_cost": 10.00, "total": 49.58}
    assert figures(body["cart"]) == expected
    assert figures(client.get("/api/cart", headers=filled).get_json()) == expected
    assert cart_discount_id(app, customer.customer_id) == save10


def test_the_code_is_read_in_any_case(client, filled, save10):
    response = attach(client, filled, "  save10 ")
    assert response.status_code == 200 and response.get_json()["cart"]["discount_code"] == "SAVE10"


def test_attach_a_fixed_code(app, client, filled):
    make_discount(app, code="FIVE", kind="fixed", value="5.00")
    # 39.98 - 5.00 = 34.98; tax 3.498 -> 3.50; 34.98 + 3.50 + 10.00 = 48.48
    assert figures(attach(client, filled, "FIVE").get_json()["cart"]) == {
        "subtotal": 39.98, "discount_code": "FIVE", "discount_amount": 5.00, "tax": 3.50, "shipping_cost": 10.00,
        "total": 48.48}


def test_a_guest_attaches_a_code(client, guest, product_id, add_to, save10):
    cart = guest()
    add_to(cart.headers, product_id, 2)
    response = attach(client, cart.headers, "SAVE10")
    assert response.status_code == 200
    assert figures(response.get_json()["cart"])["total"] == 49.58
    assert client.get("/api/cart", headers=cart.headers).get_json()["discount_code"] == "SAVE10"


def test_below_the_minimum_later_the_code_stays_but_takes_nothing(app, client, filled, product_id):
    make_discount(app, code="MIN30", min_subtotal="30.00")
    assert attach(client, filled, "MIN30").status_code == 200
    cart = client.put(f"/api/cart/items/{product_id}", json={"quantity": 1}, headers=filled).get_json()["cart"]
    # 19.99 < 30.00: no discount; tax 2.00 (1.999); 19.99 + 2.00 + 10.00 = 31.99
    assert figures(cart) == {"subtotal": 19.99, "discount_code": "MIN30", "discount_amount": 0.00, "tax": 2.00,
                             "shipping_cost": 10.00, "total": 31.99}


def test_an_empty_or_missing_cart_takes_no_code(client, customer, guest, product_id, add_to, save10):
    assert attach(client, customer.headers, "SAVE10").get_json()["error"] == "Cart is empty"  # no cart at all
    add_to(customer.headers, product_id)
    client.post("/api/cart/clear", headers=customer.headers)
    for headers in (customer.headers, guest().headers):
        response = attach(client, headers, "SAVE10")
        assert response.status_code == 400 and response.get_json()["error"] == "Cart is empty"


NOW = utcnow()


@pytest.mark.parametrize("fields, code", [
    ({"is_active": False}, "DISCOUNT_UNKNOWN"),
    ({"ends_at": NOW - timedelta(days=1)}, "DISCOUNT_EXPIRED"),
    ({"starts_at": NOW + timedelta(days=1)}, "DISCOUNT_NOT_STARTED"),
    ({"min_subtotal": "39.99"}, "DISCOUNT_MIN_SUBTOTAL"),
    ({"usage_limit": 3, "times_used": 3}, "DISCOUNT_EXHAUSTED"),
])
def test_each_reason_a_code_does_not_apply(app, client, customer, filled, save10, fields, code):
    assert attach(client, filled, "SAVE10").status_code == 200
    make_discount(app, code="NOPE", **fields)
    response = attach(client, filled, "NOPE")
    assert response.status_code == 400 and response.get_json()["code"] == code
    assert cart_discount_id(app, customer.customer_id) == save10  # the attached code stays


def test_an_unknown_code(client, filled):
    response = attach(client, filled, "NOSUCHCODE")
    assert response.status_code == 400 and response.get_json()["code"] == "DISCOUNT_UNKNOWN"


def test_the_minimum_is_inclusive(app, client, filled):
    make_discount(app, code="EXACT", min_subtotal="39.98")
    assert attach(client, filled, "EXACT").get_json()["cart"]["discount_amount"] == 4.00


@pytest.mark.parametrize("body", [{}, {"code": ""}, {"code": 10}, {"code": None}, {"code": "X" * 51},
                                  {"code": "SAVE10", "extra": 1}])
def test_bad_bodies_are_400(app, client, customer, filled, save10, body):
    response = client.post("/api/cart/discount", json=body, headers=filled)
    assert response.status_code == 400 and response.get_json()["error"] == "Validation failed"
    assert cart_discount_id(app, customer.customer_id) is None


def test_detach(app, client, customer, filled, save10):
    attach(client, filled, "SAVE10")
    response = client.delete("/api/cart/discount", headers=filled)
    assert response.status_code == 200
    body = response.get_json()
    assert body["message"] == "Discount removed"
    assert figures(body["cart"]) == {"subtotal": 39.98, "discount_code": None, "discount_amount": 0.00, "tax": 4.00,
                                     "shipping_cost": 10.00, "total": 53.98}
    assert cart_discount_id(app, customer.customer_id) is None
    again = client.delete("/api/cart/discount", headers=filled)
    assert again.status_code == 200 and again.get_json()["cart"]["discount_code"] is None


def test_detach_without_a_cart(client, customer, guest):
    response = client.delete("/api/cart/discount", headers=customer.headers)
    assert response.status_code == 200 and response.get_json() == {"message": "Discount removed", "cart": None}
    guest_answer = client.delete("/api/cart/discount", headers=guest().headers)
    assert guest_answer.status_code == 200 and guest_answer.get_json()["cart"]["discount_code"] is None


def test_the_cart_read_stays_two_statements_with_a_code(client, filled, save10, count_queries):
    attach(client, filled, "SAVE10")
    with count_queries() as statements:
        assert client.get("/api/cart", headers=filled).get_json()["discount_code"] == "SAVE10"
    assert len(statements) == 2  # token check; the cart with its lines, products and discount


@pytest.fixture
def expire_code(app):
    def expire(discount_id):
        with app.app_context():
            db.session.execute(db.text("UPDATE discounts SET ends_at = :at WHERE id = :id"),
                               {"at": (utcnow() - timedelta(seconds=1)).replace(tzinfo=None), "id": discount_id})
            db.session.commit()
            db.session.remove()
    return expire


def test_a_code_that_expired_after_it_was_attached_takes_nothing_and_fails_validation(client, filled, save10,
                                                                                     expire_code):
    assert attach(client, filled, "SAVE10").status_code == 200
    expire_code(save10)
    cart = client.get("/api/cart", headers=filled).get_json()
    assert (cart["discount_code"], cart["discount_amount"], cart["total"]) == ("SAVE10", 0.00, 53.98)
    validation = client.get("/api/cart/validate", headers=filled)
    assert validation.status_code == 400
    assert validation.get_json() == {"valid": False, "message": "This discount code has expired"}


def test_a_cart_below_the_codes_minimum_fails_validation(app, client, customer, filled, product_id):
    make_discount(app, code="BIG", kind="fixed", value="5.00", min_subtotal="30.00")
    assert attach(client, filled, "BIG").status_code == 200
    assert client.put(f"/api/cart/items/{product_id}", json={"quantity": 1}, headers=filled).status_code == 200
    validation = client.get("/api/cart/validate", headers=filled).get_json()
    assert validation == {"valid": False, "message": "This discount code needs a subtotal of at least 30.00"}
