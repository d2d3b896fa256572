"""The payloads of outbox events: what mail templates and webhook receivers read, fixed when the event happens."""
from marshmallow import Schema

from app.schemas.common import Flag, Moment, Number, Text
from app.schemas.order import OrderSchema
from app.schemas.product import ProductSchema


class OrderPayloadSchema(OrderSchema):
    class Meta:
        exclude = ("customer", "events", "admin_notes")


class ProductPayloadSchema(ProductSchema):
    pass


class UserPayloadSchema(Schema):
    id = Number()
    email = Text()
    username = Text()
    role = Text()
    is_active = Flag()
    email_verified = Flag()
    created_at = Moment()


ORDER_PAYLOAD = OrderPayloadSchema()
PRODUCT_PAYLOAD = ProductPayloadSchema()
USER_PAYLOAD = UserPayloadSchema()
