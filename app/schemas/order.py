"""Order shapes; which parts a caller sees (items, customer, notes, events) depends on who asks."""
from marshmallow import Schema, fields, validate

from app.enums import OrderStatus, PaymentMethod, PaymentStatus, values
from app.schemas.common import InputSchema, Money
from app.schemas.product import _money, _time  # the product fast dump's helpers
from app.schemas.user import AddressSchema, CustomerProfileSchema, dump_customer_profile
from app.utils.cursor import page_or_keyset_result
from app.utils.pagination import PageArgs, page_schema


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


# ---- Hand-written dumps of the hot read paths (tests/perf/test_fast_dump_orders.py proves them equal) ----

def dump_order_item(item):
    """OrderItemSchema().dump(item)."""
    return {"id": item.id, "order_id": item.order_id, "product_id": item.product_id,
            "product_name": item.product_name, "product_sku": item.product_sku,
            "unit_price": _money(item.unit_price), "quantity": item.quantity,
            "total_price": _money(item.unit_price * item.quantity), "created_at": _time(item.created_at)}


def dump_order_event(event):
    """OrderEventSchema().dump(event)."""
    return {"id": event.id, "event_type": event.event_type, "from_status": event.from_status,
            "to_status": event.to_status, "note": event.note, "actor_id": event.actor_id,
            "created_at": _time(event.created_at)}


def dump_order_customer(customer):
    """OrderCustomerSchema().dump(customer): the buyer's profile and email, as staff see it."""
    if customer is None:
        return None
    body = dump_customer_profile(customer)
    body["email"] = customer.user.email
    return body


def dump_order(order, *, staff, items=True, events=False, total_items=None):
    """The order as the output schemas dump it, without marshmallow's per-field machinery.

    staff=True: StaffOrderSchema (events=True) or StaffOrderListItemSchema (events=False);
    staff=False: CustomerOrderSchema (items=True) or CustomerOrderSummarySchema (items=False).
    total_items: the order's unit count when the items are not loaded (the summary list computes it in SQL).
    """
    lines = order.items if items or total_items is None else ()
    body = {
        "id": order.id, "order_number": order.order_number, "customer_id": order.customer_id,
        "status": order.status, "payment_status": order.payment_status, "payment_method": order.payment_method,
        "subtotal": _money(order.subtotal), "tax": _money(order.tax), "shipping_cost": _money(order.shipping_cost),
        "total": _money(order.total),
        "total_items": sum(line.quantity for line in lines) if total_items is None else total_items,
        "shipping_address": {
            "line1": order.shipping_address_line1, "line2": order.shipping_address_line2,
            "city": order.shipping_city, "state": order.shipping_state,
            "postal_code": order.shipping_postal_code, "country": order.shipping_country,
        },
        "customer_notes": order.customer_notes,
    }
    if staff:
        body["admin_notes"] = order.admin_notes
    body.update(tracking_number=order.tracking_number, created_at=_time(order.created_at),
                updated_at=_time(order.updated_at), confirmed_at=_time(order.confirmed_at),
                shipped_at=_time(order.shipped_at), delivered_at=_time(order.delivered_at))
    if items:
        body["items"] = [dump_order_item(line) for line in lines]
    if staff:
        body["customer"] = dump_order_customer(order.customer)
        if events:
            body["events"] = [dump_order_event(event) for event in order.events]
    return body


def dump_order_page(pagination, *, staff):
    """CustomerOrderPageSchema (staff=False) or StaffOrderPageSchema (staff=True) of a page of order rows."""
    body = page_or_keyset_result("orders", pagination, with_links=False)
    if staff:
        body["orders"] = [dump_order(order, staff=True) for order in body["orders"]]
    else:
        body["orders"] = [dump_order(order, staff=False, items=False, total_items=order.total_items)
                          for order in body["orders"]]
    return body


def required_text(max_length, **kwargs):
    """A non-blank string of at most max_length characters (the column size)."""
    return fields.String(validate=[validate.Length(min=1, max=max_length), _not_blank], **kwargs)


def _not_blank(value):
    if not value.strip():
        raise validate.ValidationError("Must not be blank.")


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
    shipping_address = fields.Nested(ShippingAddressInputSchema, required=True)
    payment_method = fields.String(allow_none=True, load_default=None,
                                   validate=validate.OneOf(values(PaymentMethod), error=PAYMENT_METHOD_ERROR))
    customer_notes = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=5000))


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
