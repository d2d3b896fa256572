"""Order shapes; which parts a caller sees (items, customer, notes, events) depends on who asks."""
from marshmallow import Schema, fields

from app.schemas.common import Money
from app.schemas.user import AddressSchema, CustomerProfileSchema


class OrderItemSchema(Schema):
    id = fields.Integer()
    order_id = fields.Integer()
    product_id = fields.Integer()
    product_name = fields.String()
    product_sku = fields.String(allow_none=True)
    unit_price = Money()
    quantity = fields.Integer()
    total_price = Money()
    created_at = fields.DateTime()


class OrderEventSchema(Schema):
    id = fields.Integer()
    event_type = fields.String()
    from_status = fields.String(allow_none=True)
    to_status = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    actor_id = fields.Integer(allow_none=True)
    created_at = fields.DateTime()


class OrderSchema(Schema):
    id = fields.Integer()
    order_number = fields.String()
    customer_id = fields.Integer()
    status = fields.String()
    payment_status = fields.String()
    payment_method = fields.String(allow_none=True)
    subtotal = Money()
    tax = Money()
    shipping_cost = Money()
    total = Money()
    total_items = fields.Integer()
    shipping_address = fields.Nested(AddressSchema)
    customer_notes = fields.String(allow_none=True)
    admin_notes = fields.String(allow_none=True)
    tracking_number = fields.String(allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    confirmed_at = fields.DateTime(allow_none=True)
    shipped_at = fields.DateTime(allow_none=True)
    delivered_at = fields.DateTime(allow_none=True)
    items = fields.List(fields.Nested(OrderItemSchema))
    customer = fields.Nested(CustomerProfileSchema)
    events = fields.List(fields.Nested(OrderEventSchema))
