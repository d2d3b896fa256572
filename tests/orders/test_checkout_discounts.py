"""Checkout with a discount code: exact money, one use per order taken under races, given back exactly once."""
from datetime import timedelta
from decimal import Decimal as D

import pytest

from app.extensions import db
from app.models import Cart, Discount, Order
from app.models.base import utcnow
from tests.concurrency import at_once
from tests.factories import ORDER_BODY, make_discount, make_product, make_user
from tests.orders.conftest import decimal_json


@pytest.fixture
def uses_of(db_read):
    return lambda discount_id: db_read(lambda s: s.get(Discount, discount_id).times_used)


@pytest.fixture
def attach(client):
    """attach(actor, code) puts the code on the actor's cart through the API."""
    def put_on(actor, code):
        response = client.post("/api/cart/discount", json={"code": code}, headers=actor.headers)
        assert response.status_code == 200, response.get_json()
        return response
    return put_on


@pytest.fixture
def expire(app):
    def move_end(discount_id, ends_at):
        with app.app_context():
            db.session.execute(db.update(Discount).where(Discount.id == discount_id).values(ends_at=ends_at))
            db.session.commit()
            db.session.remove()
    return move_end


def test_a_percent_code_takes_its_share_before_tax(app, client, customer, fill_cart, attach, uses_of, db_read):
    discount_id = make_discount(app, code="SAVE10", kind="percent", value="10")
    fill_cart(customer, (make_product(app, price="19.99", stock=5), 2))
    attach(customer, "save10")
    response = client.post("/api/orders", json=ORDER_BODY, headers=customer.headers)
    assert response.status_code == 201, response.get_json()
    order = decimal_json(response)["order"]
    # 39.98 - 4.00 (10%, half-up) = 35.98; tax 10% = 3.60; flat shipping 10.00.
    assert (order["subtotal"], order["discount_amount"], order["tax"], order["shipping_cost"], order["total"]) == (
        D("39.98"), D("4.00"), D("3.60"), D("10.00"), D("49.58"))
    assert order["discount_code"] == "SAVE10"
    assert uses_of(discount_id) == 1
    assert db_read(lambda s: s.scalar(db.select(Cart.discount_id).where(Cart.customer_id == customer.customer_id))) \
        is None


def test_a_fixed_code_larger_than_the_subtotal_leaves_only_shipping(app, client, customer, fill_cart, attach):
    make_discount(app, code="BIG50", kind="fixed", value=D("50.00"))
    fill_cart(customer, (make_product(app, price="12.34", stock=5), 1))
    attach(customer, "BIG50")
    order = decimal_json(client.post("/api/orders", json=ORDER_BODY, headers=customer.headers))["order"]
    assert (order["subtotal"], order["discount_amount"], order["tax"], order["total"]) == (
        D("12.34"), D("12.34"), D("0.00"), D("10.00"))


def test_an_order_placed_the_old_way_has_no_discount_and_the_flat_shipping(app, checkout, customer):
    order = checkout(customer, (make_product(app, price="5.00"), 1)).get_json()["order"]
    assert (order["discount_code"], order["discount_amount"], order["shipping_method"], order["shipping_cost"]) == (
        None, D("0.00"), None, D("10.00"))


def test_a_code_expired_after_it_was_attached_stops_the_checkout(app, client, customer, fill_cart, attach, expire,
                                                                order_count, stock_of, uses_of):
    discount_id = make_discount(app, code="SOON", kind="percent", value="5")
    product_id = make_product(app, stock=3)
    fill_cart(customer, (product_id, 1))
    attach(customer, "SOON")
    expire(discount_id, utcnow() - timedelta(seconds=1))
    response = client.post("/api/orders", json=ORDER_BODY, headers=customer.headers)
    assert response.status_code == 400 and response.get_json()["code"] == "DISCOUNT_EXPIRED"
    assert (order_count(), stock_of(product_id), uses_of(discount_id)) == (0, 3, 0)


def test_a_customer_over_their_limit_is_409_and_nothing_is_created(app, client, customer, fill_cart, attach,
                                                                 db_read, order_count, uses_of):
    discount_id = make_discount(app, code="ONCE", kind="fixed", value=D("1.00"), per_customer_limit=1)
    product_id = make_product(app, stock=10)
    fill_cart(customer, (product_id, 1))
    attach(customer, "ONCE")
    assert client.post("/api/orders", json=ORDER_BODY, headers=customer.headers).status_code == 201
    fill_cart(customer, (product_id, 1))
    refused = client.post("/api/cart/discount", json={"code": "ONCE"}, headers=customer.headers)
    assert refused.status_code == 400 and refused.get_json()["code"] == "DISCOUNT_EXHAUSTED"
    # The same code put on the cart behind the API's back is still refused by the checkout itself.
    with app.app_context():
        db.session.execute(db.update(Cart).where(Cart.customer_id == customer.customer_id)
                           .values(discount_id=discount_id))
        db.session.commit()
        db.session.remove()
    response = client.post("/api/orders", json=ORDER_BODY, headers=customer.headers)
    assert response.status_code == 409 and response.get_json()["code"] == "DISCOUNT_EXHAUSTED"
    assert (order_count(), uses_of(discount_id)) == (1, 1)


@pytest.mark.parametrize("move", [
    lambda client, order_id, actor, admin: client.post(f"/api/orders/{order_id}/cancel", headers=actor.headers),
    lambda client, order_id, actor, admin: client.put(f"/api/orders/{order_id}/status", json={"status": "refunded"},
                                                      headers=admin.headers),
], ids=["cancel", "refund"])
def test_cancel_or_refund_gives_the_use_back_exactly_once(app, client, customer, admin, fill_cart, attach, uses_of,
                                                          move):
    discount_id = make_discount(app, code="BACK", kind="percent", value="10", usage_limit=1)
    fill_cart(customer, (make_product(app, stock=5), 1))
    attach(customer, "BACK")
    order_id = client.post("/api/orders", json=ORDER_BODY, headers=customer.headers).get_json()["order"]["id"]
    assert uses_of(discount_id) == 1
    assert move(client, order_id, customer, admin).status_code == 200
    assert uses_of(discount_id) == 0
    assert move(client, order_id, customer, admin).status_code in (400, 409)  # no second move, no second give-back
    assert uses_of(discount_id) == 0


def test_twenty_checkouts_on_a_code_with_one_use_give_one_discounted_order(app, client, attach):
    discount_id = make_discount(app, code="ONLYONE", kind="percent", value="50", usage_limit=1)
    product_id = make_product(app, price="10.00", stock=100)
    buyers = [make_user(app, "customer") for _ in range(20)]
    for buyer in buyers:
        assert client.post("/api/cart/items", json={"product_id": product_id, "quantity": 1},
                           headers=buyer.headers).status_code == 200
        attach(buyer, "ONLYONE")
    responses = at_once(app, *[lambda c, buyer=buyer: c.post("/api/orders", json=ORDER_BODY, headers=buyer.headers)
                               for buyer in buyers])
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [201] + [409] * 19
    assert {r.get_json()["code"] for r in responses if r.status_code == 409} == {"DISCOUNT_EXHAUSTED"}
    with app.app_context():
        orders = db.session.execute(db.select(Order.discount_code, Order.discount_amount)).all()
        stock = db.session.scalar(db.text("SELECT stock_quantity FROM products WHERE id = :id"), {"id": product_id})
        uses = db.session.get(Discount, discount_id).times_used
        db.session.remove()
    assert orders == [("ONLYONE", D("5.00"))]
    assert (stock, uses) == (99, 1)


def test_simultaneous_checkouts_of_one_cart_take_one_use(app, client, customer, fill_cart, attach, uses_of,
                                                        order_count):
    discount_id = make_discount(app, code="MINE", kind="fixed", value=D("2.00"), per_customer_limit=1)
    fill_cart(customer, (make_product(app, stock=10), 1))
    attach(customer, "MINE")
    responses = at_once(app, *[lambda c: c.post("/api/orders", json=ORDER_BODY, headers=customer.headers)] * 5)
    assert sorted(response.status_code for response in responses) == [201] + [400] * 4  # then the cart is empty
    assert (order_count(), uses_of(discount_id)) == (1, 1)


def test_a_keyed_repeat_with_a_discount_address_and_method_takes_nothing_twice(
        app, client, customer, fill_cart, attach, uses_of, stock_of, order_count):
    from tests.factories import make_address, make_shipping_method
    discount_id = make_discount(app, code="KEYED", kind="percent", value="10")
    make_shipping_method(app, code="express", name="Express", price=D("14.99"), countries=["US"])
    address_id = make_address(app, customer.id, country="US")
    product_id = make_product(app, price="20.00", stock=5)
    fill_cart(customer, (product_id, 1))
    attach(customer, "KEYED")
    body = {"address_id": address_id, "shipping_method": "express", "payment_method": "paypal"}
    headers = {**customer.headers, "Idempotency-Key": "discounted-1"}
    first = client.post("/api/orders", json=body, headers=headers)
    again = client.post("/api/orders", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.get_data() == first.get_data()
    order = decimal_json(first)["order"]
    # 20.00 - 2.00 = 18.00; tax 1.80; express 14.99.
    assert (order["discount_amount"], order["tax"], order["shipping_cost"], order["total"]) == (
        D("2.00"), D("1.80"), D("14.99"), D("34.79"))
    assert (order_count(), uses_of(discount_id), stock_of(product_id)) == (1, 1, 4)
