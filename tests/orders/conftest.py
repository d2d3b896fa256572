"""Order test helpers: checkout through the API, direct database reads and edits (builders: tests/factories.py)."""
import json
from decimal import Decimal

import pytest

from app.extensions import db
from app.models import Cart, CartItem, IdempotencyRecord, Order, OrderEvent, Product
from tests.factories import ORDER_BODY
from tests.factories import make_order as build_order

ORDER_KEYS = {"id", "order_number", "customer_id", "status", "payment_status", "payment_method", "subtotal", "tax",
              "shipping_cost", "total", "total_items", "shipping_address", "customer_notes", "admin_notes",
              "created_at", "updated_at", "confirmed_at", "shipped_at", "delivered_at", "items"}
# Kept additions: tracking_number, the discount and the shipping method everywhere; staff also get the buyer and
# the history.
ADDED_ORDER_KEYS = {"tracking_number", "discount_code", "discount_amount", "shipping_method"}
CUSTOMER_ORDER_KEYS = (ORDER_KEYS - {"admin_notes"}) | ADDED_ORDER_KEYS
STAFF_ORDER_KEYS = ORDER_KEYS | ADDED_ORDER_KEYS | {"customer", "events"}
ORDER_ITEM_KEYS = {"id", "order_id", "product_id", "product_name", "product_sku", "unit_price", "quantity",
                   "total_price", "created_at"} | {"variant_id", "variant_sku", "variant_options"}  # added keys (#16)


def decimal_json(response):
    """The response body with JSON numbers parsed as Decimal (exact money)."""
    return json.loads(response.get_data(as_text=True), parse_float=Decimal)


@pytest.fixture
def fill_cart(client):
    def fill(actor, *lines):
        for product_id, quantity in lines:
            response = client.post("/api/cart/items", json={"product_id": product_id, "quantity": quantity},
                                   headers=actor.headers)
            assert response.status_code == 200, response.get_json()
    return fill


@pytest.fixture
def checkout(client, fill_cart):
    """checkout(actor, (product_id, qty), ...) -> the response of POST /api/orders."""
    def place(actor, *lines, body=None, headers=None):
        fill_cart(actor, *lines)
        return client.post("/api/orders", json=ORDER_BODY if body is None else body,
                           headers={**actor.headers, **(headers or {})})
    return place


@pytest.fixture
def place_order(checkout):
    """place_order(actor, (product_id, qty), ...) -> the created order's id."""
    def place(actor, *lines):
        response = checkout(actor, *lines)
        assert response.status_code == 201, response.get_json()
        return response.get_json()["order"]["id"]
    return place


@pytest.fixture
def db_read(app):
    """db_read(fn) runs fn(session) in an app context and returns its result."""
    def read(fn):
        with app.app_context():
            try:
                return fn(db.session)
            finally:
                db.session.remove()
    return read


@pytest.fixture
def stock_of(db_read):
    return lambda product_id: db_read(lambda s: s.get(Product, product_id).stock_quantity)


@pytest.fixture
def order_count(db_read):
    return lambda: db_read(lambda s: s.scalar(db.select(db.func.count(Order.id))))


@pytest.fixture
def cart_lines(db_read):
    def lines(customer_id):
        return dict(db_read(lambda s: s.execute(
            db.select(CartItem.product_id, CartItem.quantity).join(Cart).where(Cart.customer_id == customer_id)
        ).all()))
    return lines


@pytest.fixture
def events_of(db_read):
    def events(order_id):
        return db_read(lambda s: [(e.event_type, e.from_status, e.to_status, e.actor_id) for e in s.scalars(
            db.select(OrderEvent).where(OrderEvent.order_id == order_id).order_by(OrderEvent.id))])
    return events


@pytest.fixture
def idempotency_count(db_read):
    return lambda: db_read(lambda s: s.scalar(db.select(db.func.count(IdempotencyRecord.id))))


@pytest.fixture
def set_order(app):
    """set_order(order_id, status=..., created_at=..., payment_status=...) edits an order directly."""
    def update(order_id, **values):
        with app.app_context():
            db.session.execute(db.update(Order).where(Order.id == order_id).values(**values))
            db.session.commit()
            db.session.remove()
    return update


@pytest.fixture
def make_order(app):
    """make_order(customer_id, product_id, quantity=1, status="pending", ...) inserts an order directly."""
    def make(customer_id, product_id, quantity=1, **fields):
        return build_order(app, customer_id, [(product_id, quantity)], **fields)
    return make
