"""Cart shapes; prices are the products' current prices."""
from marshmallow import Schema, fields, validate

from app.schemas.common import MoneyField, Moment, Money, Number, StrictInputSchema
from app.schemas.product import ProductSchema
from app.services import pricing

MAX_QUANTITY = 100
QUANTITY_RANGE = validate.Range(min=1, max=MAX_QUANTITY, error="Quantity must be between 1 and 100")


class CartItemSchema(Schema):
    id = Number()
    cart_id = Number()
    product_id = Number()
    product = fields.Nested(ProductSchema, allow_none=True)
    quantity = Number()
    unit_price = Money()
    total_price = Money()
    created_at = Moment()
    updated_at = Moment()


def cart_totals(cart):
    """What the cart would cost now: its discount counts once the subtotal reaches the code's minimum."""
    subtotal, discount = cart.subtotal, cart.discount
    applies = discount is not None and (discount.min_subtotal is None or subtotal >= discount.min_subtotal)
    return pricing.totals(subtotal, pricing.discount_amount(discount, subtotal) if applies else pricing.ZERO)


class CartFigure(MoneyField):
    """One figure of cart_totals(cart), named by the field's attribute."""

    def serialize(self, attr, obj, accessor=None, **kwargs):
        return self._serialize(getattr(cart_totals(obj), self.attribute), attr, obj, **kwargs)


def Figure(part):
    return CartFigure(attribute=part, places=2, as_string=False, allow_nan=False, dump_only=True)


class CartSchema(Schema):
    id = Number()
    customer_id = Number()  # null for a guest cart
    total_items = Number()
    subtotal = Money()
    created_at = Moment()
    updated_at = Moment()
    items = fields.List(fields.Nested(CartItemSchema))
    discount_code = fields.Function(lambda cart: cart.discount.code if cart.discount else None, allow_none=True)
    discount_amount = Figure("discount")
    tax = Figure("tax")
    shipping_cost = Figure("shipping")
    total = Figure("total")


class GuestCartSchema(Schema):
    cart_token = fields.String(required=True, metadata={
        "description": "Send it as the X-Cart-Token header on the cart routes; it is shown only this once"})


class DiscountCodeSchema(StrictInputSchema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=50),
                         error_messages={"required": "Discount code is required"})


class AddToCartSchema(StrictInputSchema):
    product_id = fields.Integer(strict=True, required=True, validate=validate.Range(min=1, error="Invalid product ID"),
                                error_messages={"required": "Product ID is required"})
    quantity = fields.Integer(strict=True, load_default=1, validate=QUANTITY_RANGE)


class UpdateCartItemSchema(StrictInputSchema):
    quantity = fields.Integer(strict=True, required=True, validate=QUANTITY_RANGE)


class CartMessageSchema(Schema):
    message = fields.String()
    cart = fields.Nested(CartSchema, allow_none=True)


class EmptyCartSchema(Schema):
    """GET /api/cart of a caller who never had a cart: {"message": "Cart is empty", "cart": null}."""

    message = fields.String(required=True)
    cart = fields.Constant(None, allow_none=True, required=True)


class CartValidationSchema(Schema):
    valid = fields.Boolean()
    message = fields.String()
