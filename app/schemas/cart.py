"""Cart shapes; prices are the products' current prices."""
from marshmallow import Schema, fields, validate

from app.schemas.common import Money, StrictInputSchema
from app.schemas.product import ProductSchema

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
