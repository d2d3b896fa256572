"""Checkout: the cart becomes an order in one transaction that never oversells."""
import secrets
from collections import Counter
from decimal import Decimal

from flask import current_app
from sqlalchemy.exc import IntegrityError

from app.enums import EventType, OrderStatus, PaymentStatus, StockMovementKind, UserRole
from app.errors import BadRequest, Conflict, Forbidden, InsufficientStock, ValidationFailed
from app.models import Order, OrderItem, StockMovement
from app.repositories import (cart_repository, discount_repository, order_repository, stock_movement_repository,
                              stock_repository, user_repository, variant_repository)
from app import pricing
from app.services import (address_service, cart_service, discount_service, events_service, idempotency_service,
                          shipping_service)
from app.services.unit_of_work import unit_of_work

SCOPE = "orders.create"
EXHAUSTED = "DISCOUNT_EXHAUSTED"


def place_order(caller, data, idempotency_key=None, *, render):
    """Turn the caller's cart into an order; returns (201, render(order)), or a keyed repeat's first answer.

    render(order) is the answer: with an Idempotency-Key, the JSON text stored in the order's transaction and
    replayed byte for byte on a repeat.
    """
    if (current_app.config["REQUIRE_VERIFIED_EMAIL"] and caller.role == UserRole.CUSTOMER
            and not user_repository.get(caller.id).email_verified):
        raise Forbidden("Verify your e-mail address before placing an order", code="EMAIL_NOT_VERIFIED")
    request = idempotency_service.keyed_request(caller.id, SCOPE, idempotency_key, data)
    try:
        with unit_of_work():
            customer_id = cart_service.customer_id_of(caller)
            # First write: lock the cart, so two checkouts of it (or a keyed repeat) run one after the other.
            cart = cart_repository.lock_for_checkout(customer_id)
            replay = idempotency_service.stored_response(request)
            if replay is not None:
                return replay
            address = _shipping_address(caller.id, data)  # before the cart: a request without one is invalid
            if cart is None or not cart.items:
                raise BadRequest("Cart is empty")
            order = _order_from_cart(cart, customer_id, data, address, caller.id)
            body = render(order)
            idempotency_service.store_response(request, 201, body)
            return 201, body
    except IntegrityError:
        # A concurrent request with the same key committed first: answer with its response.
        replay = idempotency_service.stored_response(request)
        if replay is None:
            raise
        return replay


def new_order_number():
    # 64 random bits: a collision is expected only after ~4 billion orders, far beyond this shop, and the
    # unique index would still refuse it (409, everything rolled back), so no retry loop is needed.
    return "ORD-" + secrets.token_hex(8).upper()


def _order_from_cart(cart, customer_id, data, address, actor_id):
    lines = sorted(cart.items, key=lambda line: (line.product_id, line.variant_id or 0))
    products, sold = _take_stock(lines)
    subtotal = sum((item.price * line.quantity for line, item in zip(lines, sold)), Decimal("0.00"))
    discount = cart.discount
    method, shipping = _shipping(data.get("shipping_method"), address["country"], subtotal)
    money = pricing.totals(subtotal, _take_discount(discount, subtotal, customer_id), shipping)
    order = order_repository.add(Order(
        order_number=new_order_number(), customer_id=customer_id, status=OrderStatus.PENDING,
        payment_status=PaymentStatus.PENDING, payment_method=data.get("payment_method"),
        subtotal=subtotal, discount_amount=money.discount, tax=money.tax, shipping_cost=money.shipping,
        total=money.total, discount_id=discount.id if discount else None,
        discount_code=discount.code if discount else None, shipping_method=method.code if method else None,
        shipping_address_line1=address["line1"], shipping_address_line2=address.get("line2"),
        shipping_city=address["city"], shipping_state=address["state"],
        shipping_postal_code=address["postal_code"], shipping_country=address["country"],
        customer_notes=data.get("customer_notes"),
        items=[_order_item(line, products[line.product_id], item) for line, item in zip(lines, sold)],
    ))
    order_repository.add_event(order, actor_id, "created", to_status=OrderStatus.PENDING)
    cart_repository.delete_lines(cart.id)
    if discount is not None:
        cart.discount = None  # the code was used by this order; the emptied cart starts without one
    order_repository.flush()
    events_service.order_event(EventType.ORDER_CREATED, order)
    _record_sale(order, lines, sold, products, actor_id)
    return order


def _take_stock(lines):
    """Lock the lines' products, then their variants (each in id order), check them and take the units.

    Returns ({product_id: product}, [what each line sells: its variant, or its product]), as read before the take.
    """
    quantities = Counter()
    for line in lines:
        quantities[line.product_id] += line.quantity
    by_variant = {line.variant_id: line.quantity for line in lines if line.variant_id is not None}
    products = {product.id: product for product in stock_repository.lock(list(quantities))}
    variants = {variant.id: variant for variant in variant_repository.lock(list(by_variant))} if by_variant else {}
    _check_available(products, variants, lines)
    # A product with options holds the sum of its active variants' stock: taking the units from both stays exact.
    if not stock_repository.take(dict(quantities)) or (by_variant and not variant_repository.take(by_variant)):
        raise InsufficientStock("Insufficient stock")  # the checks above saw the locked rows: a guard only
    return products, [variants[line.variant_id] if line.variant_id is not None else products[line.product_id]
                      for line in lines]


def _order_item(line, product, item):
    """The order's copy of a cart line: names, SKUs, option text and the price of what it sells (item)."""
    variant = item if line.variant_id is not None else None
    return OrderItem(product_id=product.id, product_name=product.name, product_sku=product.sku,
                     variant_id=line.variant_id, variant_sku=variant.sku if variant else None,
                     variant_options=variant.option_text if variant else None, unit_price=item.price,
                     quantity=line.quantity)


def _record_sale(order, lines, sold, products, actor_id):
    """A sale row per line (a variant's with the variant's stock after) and one stock event per product.

    The rows were read before the stock UPDATEs: their stock_quantity is still the stock before the sale.
    """
    stock_movement_repository.add_all([
        StockMovement(product_id=line.product_id, variant_id=line.variant_id, kind=StockMovementKind.SALE,
                      delta=-line.quantity, quantity_after=item.stock_quantity - line.quantity, order_id=order.id,
                      actor_id=actor_id) for line, item in zip(lines, sold)])
    taken = Counter()
    for line in lines:
        taken[line.product_id] += line.quantity
    for product_id, quantity in taken.items():
        product = products[product_id]
        events_service.stock_changed(product, product.stock_quantity, product.stock_quantity - quantity)


def _shipping_address(user_id, data):
    """The address to ship to: the one sent, a saved one by id, or the caller's default shipping address."""
    if "shipping_address" in data:
        return data["shipping_address"]
    if "address_id" in data:
        saved = address_service.own_address(user_id, data["address_id"])
    else:
        saved = address_service.default_shipping(user_id)
        if saved is None:
            raise ValidationFailed({"shipping_address": ["shipping_address is required"]})
    return {"line1": saved.line1, "line2": saved.line2, "city": saved.city, "state": saved.state,
            "postal_code": saved.postal_code, "country": saved.country}


def _take_discount(discount, subtotal, customer_id):
    """Re-check the cart's code and take one use of it; returns the amount off the subtotal."""
    if discount is None:
        return pricing.ZERO
    try:
        discount_service.check(discount, subtotal, customer_id)
    except BadRequest as error:
        if error.code != EXHAUSTED:
            raise
        raise Conflict(error.message, code=EXHAUSTED) from None
    # The conditional UPDATE is the guard: of simultaneous checkouts only those within the limit get a use.
    if not discount_repository.take_use(discount.id):
        raise Conflict("This discount code has been used up", code=EXHAUSTED)
    return pricing.discount_amount(discount, subtotal)


def _shipping(code, country, subtotal):
    """(the chosen method, its price for this destination), or (None, None) for the flat SHIPPING_COST."""
    if code is None:
        return None, None
    return shipping_service.checkout_price(code, country, subtotal)


def _check_available(products, variants, lines):
    """Every product (and variant) still sold, then every quantity in stock (the locked rows are current)."""
    for product in products.values():
        if not product.is_active:
            raise Conflict(f"Product '{product.name}' is no longer available", code="PRODUCT_UNAVAILABLE",
                           product_id=product.id)
    for line in lines:
        product = products[line.product_id]
        if line.variant_id is None:
            if product.has_variants:
                raise BadRequest(f"Choose one of the variants of '{product.name}'", code="VARIANT_REQUIRED",
                                 product_id=product.id)
            if product.stock_quantity < line.quantity:
                raise InsufficientStock(f"Insufficient stock for {product.name}", product_id=product.id)
            continue
        variant = variants[line.variant_id]
        if not variant.is_active or not product.has_variants:
            raise Conflict(f"Product '{product.name} ({variant.option_text})' is no longer available",
                           code="VARIANT_UNAVAILABLE", product_id=product.id, variant_id=variant.id)
        if variant.stock_quantity < line.quantity:
            raise InsufficientStock(f"Insufficient stock for {product.name} ({variant.option_text})",
                                    product_id=product.id, variant_id=variant.id)
