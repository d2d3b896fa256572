"""Cart shapes; prices are the products' current prices."""
from marshmallow import Schema, fields

from app.schemas.common import Money
from app.schemas.product import ProductSchema


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
