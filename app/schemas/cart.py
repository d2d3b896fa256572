"""Cart shapes; prices are the products' current prices."""
from decimal import Decimal

from marshmallow import Schema, fields, validate

from app.schemas.common import Money, StrictInputSchema
from app.schemas.product import ProductSchema, _money, _time, dump_product

MAX_QUANTITY = 100
QUANTITY_RANGE = validate.Range(min=1, max=MAX_QUANTITY, error="Quantity must be between 1 and 100")


class CartItemSchema(Schema):
    id = fields.Integer()
    cart_id = fields.Integer()
    product_id = fields.Integer()
    product = fields.Nested(ProductSchema, allow_none=True)
    quantity = fields.Integer()
    unit_price = Money()
    total_price = Money()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class CartSchema(Schema):
    id = fields.Integer()
    customer_id = fields.Integer()
    total_items = fields.Integer()
    subtotal = Money()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    items = fields.List(fields.Nested(CartItemSchema))


def dump_cart(cart):
    """CartSchema().dump(cart) without marshmallow's per-field machinery (the hot read path).

    Must stay identical to the schema's dump: tests/perf/test_fast_dump_cart.py compares them.
    """
    items, total_items, subtotal = [], 0, Decimal("0.00")
    for line in cart.items:
        product = line.product
        total_items += line.quantity
        total_price = product.price * line.quantity
        subtotal += total_price
        items.append({
            "id": line.id, "cart_id": line.cart_id, "product_id": line.product_id, "product": dump_product(product),
            "quantity": line.quantity, "unit_price": _money(product.price), "total_price": _money(total_price),
            "created_at": _time(line.created_at), "updated_at": _time(line.updated_at),
        })
    return {"id": cart.id, "customer_id": cart.customer_id, "total_items": total_items,
            "subtotal": _money(subtotal), "created_at": _time(cart.created_at), "updated_at": _time(cart.updated_at),
            "items": items}


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
