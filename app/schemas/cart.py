"""Cart shapes; prices are the products' current prices."""
from marshmallow import Schema, ValidationError, fields, validate

from app.schemas.common import Moment, Money, Number, StrictInputSchema, Text
from app.schemas.product import ProductSchema

MAX_QUANTITY = 100
QUANTITY_RANGE = validate.Range(min=1, max=MAX_QUANTITY, error="Quantity must be between 1 and 100")


def _not_boolean(value):
    # marshmallow's Integer takes True for 1; a JSON boolean is a client bug here.
    if isinstance(value, bool):
        raise ValidationError("Not a valid integer.")


class CartProductSchema(ProductSchema):
    """The product of a cart line: the line names its variant, so the product's variants are left out."""

    class Meta:
        exclude = ("variants",)


class CartItemSchema(Schema):
    id = Number()
    cart_id = Number()
    product_id = Number()
    product = fields.Nested(CartProductSchema, allow_none=True)
    variant_id = Number(allow_none=True)
    variant_sku = Text(allow_none=True)
    variant_options = Text(allow_none=True, metadata={"description": 'The variant\'s option values, e.g. "M / Blue"'})
    quantity = Number()
    unit_price = Money()
    total_price = Money()
    created_at = Moment()
    updated_at = Moment()


class CartSchema(Schema):
    id = Number()
    customer_id = Number()  # null for a guest cart
    total_items = Number()
    subtotal = Money()
    created_at = Moment()
    updated_at = Moment()
    items = fields.List(fields.Nested(CartItemSchema))
    discount_code = Text(allow_none=True)
    discount_amount = Money()
    tax = Money()
    shipping_cost = Money()
    total = Money()


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
    variant_id = fields.Integer(strict=True, load_default=None, allow_none=True,
                                validate=[_not_boolean, validate.Range(min=1, error="Invalid variant ID")],
                                metadata={"description": "Required for a product with options: which variant"})


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
