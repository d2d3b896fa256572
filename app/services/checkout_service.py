"""Checkout: the cart becomes an order in one transaction that never oversells."""
import secrets
from decimal import ROUND_HALF_UP, Decimal

from flask import current_app
from sqlalchemy.exc import IntegrityError

from app.enums import OrderStatus, PaymentStatus
from app.errors import BadRequest, Conflict, InsufficientStock
from app.models import Order, OrderItem
from app.repositories import cart_repository, order_repository, stock_repository
from app.schemas.order import CustomerOrderMessageSchema
from app.services import cart_service, idempotency_service
from app.services.unit_of_work import unit_of_work

CENT = Decimal("0.01")
SCOPE = "orders.create"


def place_order(caller, data, idempotency_key=None):
    """Turn the caller's cart into an order; returns (status, body) so a keyed repeat can replay it."""
    request = idempotency_service.keyed_request(caller.id, SCOPE, idempotency_key, data)
    try:
        with unit_of_work():
            customer_id = cart_service.customer_id_of(caller)
            # First write: lock the cart, so two checkouts of it (or a keyed repeat) run one after the other.
            cart = cart_repository.lock_for_customer(customer_id)
            replay = idempotency_service.stored_response(request)
            if replay is not None:
                return replay
            if cart is None or not cart.items:
                raise BadRequest("Cart is empty")
            order = _order_from_cart(cart, customer_id, data, caller.id)
            body = CustomerOrderMessageSchema().dump({"message": "Order created successfully", "order": order})
            idempotency_service.store_response(request, 201, body)
            return 201, body
    except IntegrityError:
        # A concurrent request with the same key committed first: answer with its response.
        replay = idempotency_service.stored_response(request)
        if replay is None:
            raise
        return replay


def totals(subtotal):
    """(tax, shipping, total): tax rounded half-up to the cent, total exactly their sum."""
    config = current_app.config
    tax = (subtotal * config["TAX_RATE"]).quantize(CENT, rounding=ROUND_HALF_UP)
    shipping = config["SHIPPING_COST"].quantize(CENT)
    return tax, shipping, subtotal + tax + shipping


def new_order_number():
    # 64 random bits: a collision is expected only after ~4 billion orders, far beyond this shop, and the
    # unique index would still refuse it (409, everything rolled back), so no retry loop is needed.
    return "ORD-" + secrets.token_hex(8).upper()


def _order_from_cart(cart, customer_id, data, actor_id):
    lines = sorted(cart.items, key=lambda line: line.product_id)
    for line in lines:
        if not line.product.is_active:
            raise Conflict(f"Product '{line.product.name}' is no longer available", code="PRODUCT_UNAVAILABLE",
                           product_id=line.product_id)
    # One conditional UPDATE per product, in id order (no deadlock between concurrent checkouts).
    for line in lines:
        _take_stock(line)
    subtotal = sum((line.product.price * line.quantity for line in lines), Decimal("0.00"))
    tax, shipping, total = totals(subtotal)
    address = data["shipping_address"]
    order = order_repository.add(Order(
        order_number=new_order_number(), customer_id=customer_id, status=OrderStatus.PENDING,
        payment_status=PaymentStatus.PENDING, payment_method=data.get("payment_method"),
        subtotal=subtotal, tax=tax, shipping_cost=shipping, total=total,
        shipping_address_line1=address["line1"], shipping_address_line2=address.get("line2"),
        shipping_city=address["city"], shipping_state=address["state"],
        shipping_postal_code=address["postal_code"], shipping_country=address["country"],
        customer_notes=data.get("customer_notes"),
        items=[OrderItem(product_id=line.product_id, product_name=line.product.name, product_sku=line.product.sku,
                         unit_price=line.product.price, quantity=line.quantity) for line in lines],
    ))
    order_repository.add_event(order, actor_id, "created", to_status=OrderStatus.PENDING)
    cart_repository.delete_lines(cart.id)
    order_repository.flush()
    return order


def _take_stock(line):
    if not stock_repository.take(line.product_id, line.quantity):
        raise InsufficientStock(f"Insufficient stock for {line.product.name}", product_id=line.product_id)
