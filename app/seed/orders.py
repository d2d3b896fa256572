"""Seed orders: placed and moved through the same services as the API, then dated into the past."""
from datetime import timedelta

from sqlalchemy import select, update

from app.enums import OrderStatus, PaymentMethod, PaymentStatus, UserRole
from app.extensions import db
from app.models import Order, Product, User
from app.models.base import utcnow
from app.repositories.caller_repository import Caller
from app.services import cart_service, checkout_service, order_status_service

S = OrderStatus
# The reference's draw: 2/7 delivered, 1/7 each of the others.
STATUSES = [S.DELIVERED, S.DELIVERED, S.SHIPPED, S.PROCESSING, S.CONFIRMED, S.PENDING, S.CANCELLED]
# Steps staff take to reach each status (the state machine refuses anything else).
PATHS = {
    S.PENDING: [], S.CONFIRMED: [S.CONFIRMED], S.PROCESSING: [S.CONFIRMED, S.PROCESSING],
    S.SHIPPED: [S.CONFIRMED, S.PROCESSING, S.SHIPPED], S.DELIVERED: [S.CONFIRMED, S.PROCESSING, S.SHIPPED, S.DELIVERED],
    S.CANCELLED: [],
}
AGE_DAYS = {S.DELIVERED: (7, 90), S.SHIPPED: (3, 7), S.PROCESSING: (1, 3)}
ORDER_COUNT = 100


def seed_orders(rng, log):
    """100 orders from random customers; stock moves exactly as the API moves it. Skipped if orders exist."""
    if db.session.scalar(select(Order.id).limit(1)) is not None:
        log("orders: already present, skipped")
        return
    customers = db.session.scalars(select(User).where(User.role == UserRole.CUSTOMER).order_by(User.id)).all()
    admin = Caller.of(db.session.scalar(select(User).where(User.role == UserRole.ADMIN).order_by(User.id)))
    for n in range(ORDER_COUNT):
        customer = rng.choice(customers)
        status = rng.choice(STATUSES)
        order_id = _place(customer, rng)
        if order_id is None:
            continue
        _advance(order_id, status, customer, admin, n)
        _backdate(order_id, status, rng)
        if n % 25 == 24:
            log(f"orders: {n + 1}/{ORDER_COUNT}")
    log(f"orders: {db.session.query(Order).count()}")


def _place(user, rng):
    """Fill the customer's cart with 1 to 5 products in stock and check out; returns the order id."""
    in_stock = db.session.execute(
        select(Product.id, Product.stock_quantity).where(Product.is_active, Product.stock_quantity > 0)
    ).all()
    if not in_stock:
        return None
    for product_id, stock in rng.sample(in_stock, min(len(in_stock), rng.randint(1, 5))):
        cart_service.add_item(Caller.of(user), product_id, min(stock, rng.randint(1, 3)))
    profile = user.customer
    address = {"line1": profile.address_line1, "line2": None, "city": profile.city, "state": profile.state,
               "postal_code": profile.postal_code, "country": profile.country}
    method = rng.choice([m.value for m in PaymentMethod])
    _, order_id = checkout_service.place_order(Caller.of(user), {"shipping_address": address, "payment_method": method},
                                               render=lambda order: order.id)
    return order_id


def _advance(order_id, status, customer, admin, n):
    if status == S.CANCELLED:
        order_status_service.cancel_own_order(order_id, Caller.of(customer))
        return
    for step in PATHS[status]:
        if step == S.SHIPPED:
            order_status_service.ship_order(order_id, admin, tracking_number=f"TRK{100000 + n}")
        else:
            order_status_service.update_status(order_id, admin, step)
    if status not in (S.PENDING, S.CONFIRMED):
        order_status_service.update_payment_status(order_id, admin, PaymentStatus.PAID)


def _backdate(order_id, status, rng):
    """Spread the orders over the last three months, keeping each timestamp after the one before."""
    low, high = AGE_DAYS.get(status, (0, 2))
    created = utcnow() - timedelta(days=rng.uniform(low, high))
    order = db.session.get(Order, order_id)
    values = {"created_at": created, "updated_at": created}
    if order.confirmed_at:
        values["confirmed_at"] = created + timedelta(hours=2)
    if order.shipped_at:
        values["shipped_at"] = created + timedelta(days=2)
    if order.delivered_at:
        values["delivered_at"] = created + timedelta(days=5)
    db.session.execute(update(Order).where(Order.id == order_id).values(**values))
    db.session.commit()
