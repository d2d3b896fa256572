"""The hand-written order dumps and the Core-loaded order lists answer exactly what the output schemas dump.

Reference: the marshmallow schemas (StaffOrderSchema, StaffOrderListItemSchema, CustomerOrderSchema,
CustomerOrderSummarySchema and their page schemas) dumping ORM-loaded orders.
"""
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Customer, Order, OrderEvent, OrderItem
from app.schemas.order import (CustomerOrderPageSchema, CustomerOrderSchema, CustomerOrderSummarySchema,
                               StaffOrderListItemSchema, StaffOrderPageSchema, StaffOrderSchema, dump_order)
from app.utils.cursor import KeysetPage, page_or_keyset_result
from app.utils.pagination import page_result
from tests.factories import make_product, make_user

NOW = (datetime.now(timezone.utc) - timedelta(days=1)).replace(microsecond=891011)

# Orders of varied shape: nulls, money edges, timestamps with and without microseconds, 0 to 3 lines, events.
VARIANTS = [
    {"lines": [("0.01", 1, "SKU-A")]},
    {"lines": [("99999999.99", 1, None), ("19.99", 3, "SKU-B"), ("5.00", 100, "SKU-C")], "payment_method": "card",
     "customer_notes": "Ring twice", "admin_notes": "[2026-03-04] checked", "tracking_number": "TRK-1",
     "status": "delivered", "payment_status": "paid", "confirmed_at": NOW, "shipped_at": NOW.replace(microsecond=0),
     "delivered_at": NOW + timedelta(days=2), "shipping_address_line2": "Apt 5",
     "events": [("status_changed", "pending", "confirmed", None, True), ("note_added", None, None, "a note", False)]},
    {"lines": [], "status": "cancelled", "tax": "0.00", "shipping_cost": "0.00"},
    {"lines": [("3.33", 7, "SKU-D")], "tax": "1.75", "customer_notes": "", "admin_notes": ""},
]


def make_orders(app, customer_id, product_id, actor_id, base=NOW):
    """The VARIANTS as orders of customer_id, one second apart (newest last); returns their ids."""
    ids = []
    with app.app_context():
        for n, variant in enumerate(VARIANTS):
            variant = dict(variant)
            lines, events = variant.pop("lines"), variant.pop("events", [])
            subtotal = sum((Decimal(price) * quantity for price, quantity, _ in lines), Decimal("0.00"))
            tax = Decimal(variant.pop("tax", "0.80"))
            shipping = Decimal(variant.pop("shipping_cost", "10.00"))
            order = Order(
                order_number=f"ORD-FAST-{customer_id}-{n}-{base.timestamp():.0f}", customer_id=customer_id,
                subtotal=min(subtotal, Decimal("99999999.99")), tax=tax, shipping_cost=shipping,
                total=min(subtotal + tax + shipping, Decimal("99999999.99")), shipping_address_line1="1 Road",
                shipping_city="Town", shipping_state="ST", shipping_postal_code="12345", shipping_country="USA",
                created_at=base + timedelta(seconds=n), updated_at=base + timedelta(seconds=n, microseconds=5),
                items=[OrderItem(product_id=product_id, product_name=f"Thing {k}", product_sku=sku,
                                 unit_price=Decimal(price), quantity=quantity,
                                 created_at=base + timedelta(seconds=n))
                       for k, (price, quantity, sku) in enumerate(lines)],
                events=[OrderEvent(event_type=kind, from_status=old, to_status=new, note=note,
                                   actor_id=actor_id if with_actor else None, created_at=base)
                        for kind, old, new, note, with_actor in events],
                **variant)
            db.session.add(order)
            db.session.commit()
            ids.append(order.id)
        db.session.remove()
    return ids


@pytest.fixture
def shop(app, customer, admin):
    """Orders of the customer fixture and of a buyer with no name (full_name falls back), newest first."""
    product_id = make_product(app)
    anonymous = make_user(app, "customer", first_name=None, last_name=None, phone="555-0100")
    with app.app_context():
        profile = db.session.get(Customer, anonymous.customer_id)
        profile.address_line1, profile.city, profile.country = "9 Lane", "Paris", "France"
        db.session.commit()
        db.session.remove()
    mine = make_orders(app, customer.customer_id, product_id, admin.id)
    theirs = make_orders(app, anonymous.customer_id, product_id, None, base=NOW + timedelta(minutes=1))
    return {"mine": mine[::-1], "all": (mine + theirs)[::-1]}


def load(ids):
    """The orders with these ids, ORM-loaded with everything the schemas read, in the order of ids."""
    orders = db.session.scalars(select(Order).where(Order.id.in_(ids)).options(
        selectinload(Order.items), selectinload(Order.events),
        selectinload(Order.customer).selectinload(Customer.user))).all()
    by_id = {order.id: order for order in orders}
    return [by_id[order_id] for order_id in ids]


@pytest.mark.parametrize("schema, options", [
    (StaffOrderSchema, {"staff": True, "events": True}),
    (StaffOrderListItemSchema, {"staff": True}),
    (CustomerOrderSchema, {"staff": False}),
    (CustomerOrderSummarySchema, {"staff": False, "items": False}),
])
def test_dump_order_equals_the_schema_dump(app, shop, schema, options):
    with app.app_context():
        for order in load(shop["all"]):
            fast, slow = dump_order(order, **options), schema().dump(order)
            assert list(fast) == list(slow)  # same keys in the same order
            assert app.json.dumps(fast) == app.json.dumps(slow)
            for key in slow:
                assert type(fast[key]) is type(slow[key]), key
        db.session.remove()


def expected_page(app, ids, page, per_page, schema, total=None):
    with app.app_context():
        orders = load(ids[(page - 1) * per_page:page * per_page])
        pagination = type("P", (), {"items": orders, "total": len(ids) if total is None else total,
                                    "page": page, "per_page": per_page})()
        pagination.pages = -(-pagination.total // per_page)
        body = app.json.dumps(schema().dump(page_result("orders", pagination, with_links=False)))
        db.session.remove()
    return body


@pytest.mark.parametrize("page, per_page", [(1, 2), (2, 2), (1, 3), (2, 3), (9, 2), (1, 100)])
def test_customer_list_is_the_schema_dump(app, client, customer, shop, page, per_page):
    response = client.get(f"/api/orders?page={page}&per_page={per_page}", headers=customer.headers)
    assert response.status_code == 200
    assert response.get_data(as_text=True) == expected_page(app, shop["mine"], page, per_page,
                                                            CustomerOrderPageSchema)


@pytest.mark.parametrize("page, per_page", [(1, 3), (2, 3), (3, 3), (4, 3), (1, 8), (1, 100)])
def test_admin_list_is_the_schema_dump(app, client, admin, shop, page, per_page):
    response = client.get(f"/api/orders/admin?page={page}&per_page={per_page}", headers=admin.headers)
    assert response.status_code == 200
    assert response.get_data(as_text=True) == expected_page(app, shop["all"], page, per_page, StaffOrderPageSchema)


def test_admin_list_by_status_and_manager_window(app, client, admin, manager, shop):
    with app.app_context():
        cancelled = [order.id for order in load(shop["all"]) if order.status == "cancelled"]
        db.session.execute(Order.__table__.update().where(Order.id == shop["all"][0])
                           .values(created_at=datetime.now(timezone.utc) - timedelta(days=31)))
        db.session.commit()
        db.session.remove()
    response = client.get("/api/orders/admin?status=cancelled&per_page=1", headers=admin.headers)
    assert response.get_data(as_text=True) == expected_page(app, cancelled, 1, 1, StaffOrderPageSchema)
    # The manager sees the last 30 days only: the oldest order (moved back 31 days) is gone.
    response = client.get("/api/orders/admin?per_page=100", headers=manager.headers)
    recent = [order_id for order_id in shop["all"] if order_id != shop["all"][0]]
    assert response.get_data(as_text=True) == expected_page(app, recent, 1, 100, StaffOrderPageSchema)


def test_admin_keyset_pages_are_the_schema_dump(app, client, admin, shop):
    ids, cursor = shop["all"], ""
    for start in range(0, len(ids), 3):
        response = client.get(f"/api/orders/admin?per_page=3&after={cursor}", headers=admin.headers)
        cursor = response.get_json()["next_cursor"]
        with app.app_context():
            page = KeysetPage(items=load(ids[start:start + 3]), total=len(ids), per_page=3,
                              has_next=start + 3 < len(ids), has_prev=start > 0, next_cursor=cursor)
            expected = app.json.dumps(StaffOrderPageSchema().dump(page_or_keyset_result("orders", page, False)))
            db.session.remove()
        assert response.get_data(as_text=True) == expected
    assert cursor is None
