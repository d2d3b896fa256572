"""Order shapes; which parts a caller sees (items, customer, notes, events) depends on who asks."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.enums import OrderStatus, PaymentMethod, PaymentStatus, values
from app.schemas.common import InputSchema, Moment, Money, Number, Text, not_blank
from app.schemas.user import AddressSchema, CustomerProfileSchema
from app.utils.pagination import PageArgs, page_schema


class OrderItemSchema(Schema):
    id = Number()
    order_id = Number()
    product_id = Number()
    product_name = Text()
    product_sku = Text(allow_none=True)
    variant_id = Number(allow_none=True)
    variant_sku = Text(allow_none=True)
    variant_options = Text(allow_none=True)
    unit_price = Money()
    quantity = Number()
    total_price = Money()
    created_at = Moment()


class OrderEventSchema(Schema):
    id = Number()
    event_type = Text()
    from_status = Text(allow_none=True)
    to_status = Text(allow_none=True)
    note = Text(allow_none=True)
    actor_id = Number(allow_none=True)
    created_at = Moment()


class OrderSchema(Schema):
    id = Number()
    order_number = Text()
    customer_id = Number()
    status = Text()
    payment_status = Text()
    payment_method = Text(allow_none=True)
    subtotal = Money()
    discount_code = Text(allow_none=True)
    discount_amount = Money()
    tax = Money()
    shipping_method = Text(allow_none=True)
    shipping_cost = Money()
    total = Money()
    total_items = Number()
    shipping_address = fields.Nested(AddressSchema)
    customer_notes = Text(allow_none=True)
    admin_notes = Text(allow_none=True)
    tracking_number = Text(allow_none=True)
    created_at = Moment()
    updated_at = Moment()
    confirmed_at = Moment(allow_none=True)
    shipped_at = Moment(allow_none=True)
    delivered_at = Moment(allow_none=True)
    items = fields.List(fields.Nested(OrderItemSchema))
    customer = fields.Nested(CustomerProfileSchema)
    events = fields.List(fields.Nested(OrderEventSchema))


class OrderCustomerSchema(CustomerProfileSchema):
    """The buyer as staff see it; `email` is what the SPA's admin order views read."""

    email = fields.String(attribute="user.email")


class StaffOrderSchema(OrderSchema):
    """Everything: items, the buyer, internal notes and the history."""

    customer = fields.Nested(OrderCustomerSchema)


class StaffOrderListItemSchema(StaffOrderSchema):
    class Meta:
        exclude = ("events",)


class CustomerOrderSchema(OrderSchema):
    """A customer's own order: internal notes, history and buyer record are omitted (keys absent)."""

    class Meta:
        exclude = ("admin_notes", "events", "customer")


class CustomerOrderSummarySchema(OrderSchema):
    total_items = Number(attribute="item_units")  # counted by the database: the lines are not loaded

    class Meta:
        exclude = ("admin_notes", "events", "customer", "items")


class OrderMessageSchema(Schema):
    message = fields.String()
    order = fields.Nested(StaffOrderSchema)


class CustomerOrderMessageSchema(Schema):
    message = fields.String()
    order = fields.Nested(CustomerOrderSchema)


CustomerOrderPageSchema = page_schema("CustomerOrderPage", "orders", CustomerOrderSummarySchema, with_links=False)
class StaffOrderPageSchema(page_schema("StaffOrderPageBase", "orders", StaffOrderListItemSchema, with_links=False)):
    current_page = fields.Integer(allow_none=True, metadata={"description": "null when paging by cursor"})
    next_cursor = fields.String(allow_none=True, metadata={
        "description": "Only when `after` was given: pass it as `after` for the next page (null on the last page)."})


StaffOrderPageSchema.__name__ = "StaffOrderPage"


class TodayOrdersSchema(Schema):
    orders = fields.List(fields.Nested(StaffOrderListItemSchema))
    total = fields.Integer()
    date = fields.String()


def required_text(max_length, **kwargs):
    """A non-blank string of at most max_length characters (the column size)."""
    return fields.String(validate=[validate.Length(min=1, max=max_length), not_blank], **kwargs)


class ShippingAddressInputSchema(InputSchema):
    line1 = required_text(255, required=True)
    line2 = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=255))
    city = required_text(100, required=True)
    state = required_text(100, required=True)
    postal_code = required_text(20, required=True)
    country = required_text(100, required=True)


PAYMENT_METHOD_ERROR = "Invalid payment method. Must be one of: " + ", ".join(values(PaymentMethod))
ORDER_STATUS_ERROR = "Invalid status. Must be one of: " + ", ".join(values(OrderStatus))
PAYMENT_STATUS_ERROR = "Invalid payment status. Must be one of: " + ", ".join(values(PaymentStatus))


class OrderCreateSchema(InputSchema):
    # Without both, the caller's default shipping address is used.
    shipping_address = fields.Nested(ShippingAddressInputSchema)
    address_id = fields.Integer(strict=True, validate=validate.Range(min=1), metadata={
        "description": "One of the caller's saved addresses instead of `shipping_address`"})
    shipping_method = fields.String(validate=validate.Length(min=1, max=50), metadata={
        "description": "A shipping method's code; the server prices it (without one, the flat SHIPPING_COST)"})
    payment_method = fields.String(allow_none=True, load_default=None,
                                   validate=validate.OneOf(values(PaymentMethod), error=PAYMENT_METHOD_ERROR))
    customer_notes = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=5000))

    @validates_schema
    def _one_address(self, data, **kwargs):
        if "shipping_address" in data and "address_id" in data:
            raise ValidationError("Send shipping_address or address_id, not both", "address_id")


class IdempotencyHeaderSchema(InputSchema):
    idempotency_key = fields.String(data_key="Idempotency-Key", load_default=None,
                                    validate=validate.Length(min=1, max=255))


class OrderStatusUpdateSchema(InputSchema):
    status = fields.String(required=True, validate=validate.OneOf(values(OrderStatus), error=ORDER_STATUS_ERROR))


class PaymentStatusUpdateSchema(InputSchema):
    payment_status = fields.String(required=True,
                                   validate=validate.OneOf(values(PaymentStatus), error=PAYMENT_STATUS_ERROR))


class ShipOrderSchema(InputSchema):
    tracking_number = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=100))


class OrderNotesSchema(InputSchema):
    notes = required_text(5000, required=True)


class RefundSchema(InputSchema):
    reason = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=1000))


class AdminOrderArgs(PageArgs):
    status = fields.String(load_default=None, validate=validate.OneOf(values(OrderStatus), error=ORDER_STATUS_ERROR))
    after = fields.String(validate=validate.Length(max=500), metadata={"description": (
        "Keyset pagination for deep pages: empty for the first page, then the previous page's next_cursor. "
        "With `after`, `page` is ignored, current_page is null and the answer adds next_cursor.")})


class OrderSearchArgs(InputSchema):
    number = fields.String(load_default=None, validate=validate.Length(max=50))
