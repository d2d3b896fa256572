"""Carts: one per customer profile or per guest token, lines of 1 to 100 units, prices read live.

A cart's owner is the authenticated Caller (its customer profile's cart) or a Guest (the cart of an X-Cart-Token).
"""
import hashlib
import re
import secrets
from dataclasses import dataclass

from app.errors import BadRequest, Conflict, InsufficientStock, NotFound
from app.models.base import utcnow
from app.repositories import cart_repository, customer_repository, stock_repository, variant_repository
from app.schemas.cart import MAX_QUANTITY
from app.services import discount_service
from app.services.unit_of_work import unit_of_work

TOKEN_FORMAT = re.compile(r"[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(32): 32 random bytes, 43 characters


@dataclass(frozen=True)
class Guest:
    """A cart owner without an account: the SHA-256 (hex) of the cart token it presented."""

    token_hash: str


def create_guest_cart():
    """A new empty guest cart; returns its token, which only the caller ever holds (its SHA-256 is stored)."""
    token = secrets.token_urlsafe(32)
    with unit_of_work():
        cart_repository.add_guest(_digest(token))
    return token


def guest(token):
    """The Guest of a cart token; a malformed one is answered like an unknown one (404 CART_NOT_FOUND)."""
    token_hash = _token_hash(token)
    if token_hash is None:
        raise _cart_not_found()
    return Guest(token_hash)


def get_cart(owner):
    """The owner's cart with lines and products, or None when an account never had one."""
    if isinstance(owner, Guest):
        return _known(cart_repository.get_for_guest(owner.token_hash))
    return cart_repository.get_for_customer(owner.customer_id) if owner.customer_id else None


def customer_id_of(caller):
    """The caller's customer profile id; the profile is added (not committed) on first use."""
    return caller.customer_id or customer_repository.add_for_user(caller.id).id


def add_item(owner, product_id, quantity, variant_id=None):
    """Add quantity of a product, or of one variant of a product with options (to its line if there is one);
    returns the cart."""
    with unit_of_work():
        cart = _lock_or_add(owner)
        product = _available_product(product_id)
        variant = _chosen_variant(product, variant_id)
        sold = variant or product
        line = _line(cart, product_id, variant_id)
        in_cart = line.quantity if line else 0
        if sold.stock_quantity < quantity:
            raise InsufficientStock(f"Only {sold.stock_quantity} item(s) available in stock")
        if in_cart + quantity > sold.stock_quantity:
            raise InsufficientStock(f"Cannot add {quantity}. Cart already has {in_cart}. "
                                    f"Only {sold.stock_quantity} available in stock.")
        if in_cart + quantity > MAX_QUANTITY:
            raise InsufficientStock(f"Maximum {MAX_QUANTITY} items per product")
        if line:
            line.quantity += quantity
        else:
            cart_repository.add_line(cart, product, quantity, variant)
    return cart


def update_item(owner, product_id, quantity, variant_id=None):
    """Set the absolute quantity of a product's line (of a variant's line with variant_id); returns the cart."""
    with unit_of_work():
        cart = _lock(owner)
        line = _addressed_line(cart, product_id, variant_id)
        if line.variant_id is None and line.product.has_variants:
            raise _variant_required(product_id)  # a line from before the product had options: only removable
        product = _available_product(product_id)
        sold = _active_variant(line.variant) if line.variant_id is not None else product
        if sold.stock_quantity < quantity:
            raise InsufficientStock(f"Only {sold.stock_quantity} item(s) available in stock")
        line.quantity = quantity
    return cart


def remove_item(owner, product_id, variant_id=None):
    """Remove a product's line (a variant's line with variant_id); returns the cart."""
    with unit_of_work():
        cart = _lock(owner)
        line = _addressed_line(cart, product_id, variant_id)
        cart.items.remove(line)
    return cart


def clear_cart(owner):
    """Delete every line but keep the cart (and its discount); returns it, or None when there is no cart."""
    with unit_of_work():
        cart = _lock(owner)
        if cart is not None:
            cart.items.clear()
    return cart


def attach_discount(owner, code):
    """Attach a discount code valid for the cart now (400 with the reason code when not); returns the cart."""
    with unit_of_work():
        cart = _lock(owner)
        if cart is None or not cart.items:
            raise BadRequest("Cart is empty")
        cart.discount = discount_service.applicable(code, cart.subtotal, customer_id=_customer_id(owner))
    return cart


def detach_discount(owner):
    """Remove the cart's discount code, if any; returns the cart, or None when there is no cart."""
    with unit_of_work():
        cart = _lock(owner)
        if cart is not None and cart.discount_id is not None:
            cart.discount = None
    return cart


def checkout_problem(owner):
    """Why the cart cannot be checked out now, or None when it can."""
    cart = get_cart(owner)
    if cart is None or not cart.items:
        return "Cart is empty"
    for line in cart.items:
        problem = _line_problem(line)
        if problem:
            return problem
    if cart.discount is not None:
        reason = cart.discount.refusal(cart.subtotal, utcnow())
        if reason is not None:
            return discount_service.refusal_message(cart.discount, reason)
    return None


def merge_guest_cart(token, customer_id):
    """Move the guest cart of a token into the customer's cart and delete it; returns whether there was one.

    Quantities of one product (one variant) add up, capped at its stock and at 100, never below what the account's
    line held; lines of products or variants no longer sold are dropped; the guest's discount is kept when the
    account's cart has none.
    An unknown, merged or malformed token changes nothing.
    """
    token_hash = _token_hash(token)
    if token_hash is None:
        return False
    with unit_of_work():
        # First write: of two merges of one token, the second waits here and then finds no cart.
        guest_cart = cart_repository.lock_for_guest(token_hash)
        if guest_cart is None:
            return False
        if guest_cart.items or guest_cart.discount is not None:
            cart = cart_repository.lock_or_add_for_customer(customer_id)
            _merge_lines(cart, guest_cart.items)
            if cart.discount is None:
                cart.discount = guest_cart.discount
        cart_repository.delete_cart(guest_cart)
    return True


def _merge_lines(cart, guest_lines):
    new_lines = {}
    for guest_line in guest_lines:
        if not _still_sold(guest_line):
            continue
        product = guest_line.product
        line = _line(cart, product.id, guest_line.variant_id)
        in_cart = line.quantity if line else 0
        quantity = min(in_cart + guest_line.quantity, guest_line.sold_item.stock_quantity, MAX_QUANTITY)
        if quantity <= in_cart:
            continue
        if line:
            line.quantity = quantity
        else:
            new_lines[product.id, guest_line.variant_id] = quantity
    cart_repository.add_lines(cart.id, new_lines)


def _lock(owner):
    """The owner's cart, locked; None when an account has none (an unknown guest cart is a 404)."""
    if isinstance(owner, Guest):
        return _known(cart_repository.lock_for_guest(owner.token_hash))
    return cart_repository.lock_for_customer(owner.customer_id) if owner.customer_id else None


def _lock_or_add(owner):
    """The owner's cart, locked; an account's is created on first use (a guest's exists from the start)."""
    if isinstance(owner, Guest):
        return _lock(owner)
    return cart_repository.lock_or_add_for_customer(customer_id_of(owner))


def _customer_id(owner):
    return None if isinstance(owner, Guest) else owner.customer_id


def _known(cart):
    if cart is None:
        raise _cart_not_found()
    return cart


def _cart_not_found():
    return NotFound("Cart not found", code="CART_NOT_FOUND")


def _token_hash(token):
    return _digest(token) if isinstance(token, str) and TOKEN_FORMAT.fullmatch(token) else None


def _digest(token):
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def _available_product(product_id):
    product = stock_repository.get_product(product_id)
    if product is None:
        raise NotFound("Product not found")
    if not product.is_active:
        raise Conflict("Product is not available", code="PRODUCT_UNAVAILABLE")
    return product


def _chosen_variant(product, variant_id):
    """The active variant of a product with options the caller chose; None for a product sold as one item."""
    if variant_id is None:
        if product.has_variants:
            raise _variant_required(product.id)
        return None
    variant = variant_repository.get(product.id, variant_id) if product.has_variants else None
    if variant is None:
        raise NotFound("Variant not found", code="VARIANT_NOT_FOUND")
    return _active_variant(variant)


def _active_variant(variant):
    if not variant.is_active:
        raise Conflict("Variant is not available", code="VARIANT_UNAVAILABLE")
    return variant


def _variant_required(product_id):
    return BadRequest("Choose one of the product's variants", code="VARIANT_REQUIRED", product_id=product_id)


def _addressed_line(cart, product_id, variant_id):
    """The cart's line of a product (variant_id None) or of one of its variants; else 404, or 400 VARIANT_REQUIRED
    for the product-id form of a product with options."""
    line = _line(cart, product_id, variant_id) if cart else None
    if line is not None:
        return line
    if variant_id is None:
        product = stock_repository.get_product(product_id)
        if product is not None and product.has_variants:
            raise _variant_required(product_id)
    raise NotFound("Item not in cart")


def _line_problem(line):
    """Why one line cannot be checked out now, or None."""
    product, variant = line.product, line.variant
    if not product.is_active:
        return f"Product '{product.name}' is no longer available"
    if variant is None and product.has_variants:
        return f"Choose one of the variants of '{product.name}'"
    name = f"{product.name} ({variant.option_text})" if variant is not None else product.name
    if not _still_sold(line):
        return f"Product '{name}' is no longer available"
    if line.sold_item.stock_quantity < line.quantity:
        return (f"Insufficient stock for '{name}'. "
                f"Only {line.sold_item.stock_quantity} available, but cart has {line.quantity}")
    return None


def _still_sold(line):
    """The line's product is sold, as one item or (with options) by the line's variant, which is active."""
    product, variant = line.product, line.variant
    if not product.is_active or product.has_variants != (variant is not None):
        return False
    return variant is None or variant.is_active


def _line(cart, product_id, variant_id=None):
    return next((line for line in cart.items if line.product_id == product_id and line.variant_id == variant_id),
                None)
