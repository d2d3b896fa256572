"""The money of a cart or an order: discount, tax and shipping, exact to the cent, never negative."""
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from flask import current_app

from app.enums import DiscountKind
from app.models.base import utcnow

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


class Totals(NamedTuple):
    subtotal: Decimal
    discount: Decimal
    tax: Decimal
    shipping: Decimal
    total: Decimal


def discount_amount(discount, subtotal):
    """What a discount takes off a subtotal: rounded half-up to the cent, never more than the subtotal."""
    if discount is None:
        return ZERO
    if discount.kind == DiscountKind.PERCENT:
        amount = (subtotal * discount.value / 100).quantize(CENT, rounding=ROUND_HALF_UP)
    else:
        amount = discount.value.quantize(CENT)
    return min(amount, subtotal)


def cart_totals(cart):
    """What a cart would cost now: its code counts while its own rules accept it; an empty cart ships nothing."""
    subtotal, discount = cart.subtotal, cart.discount
    applies = discount is not None and discount.refusal(subtotal, utcnow()) is None
    return totals(subtotal, discount_amount(discount, subtotal) if applies else ZERO,
                  None if cart.items else ZERO)


def totals(subtotal, discount=ZERO, shipping=None):
    """Tax on the discounted subtotal; shipping is the flat SHIPPING_COST unless given; total is their exact sum."""
    config = current_app.config
    taxed = subtotal - discount
    tax = (taxed * config["TAX_RATE"]).quantize(CENT, rounding=ROUND_HALF_UP)
    shipping = (config["SHIPPING_COST"] if shipping is None else shipping).quantize(CENT)
    return Totals(subtotal, discount, tax, shipping, taxed + tax + shipping)
