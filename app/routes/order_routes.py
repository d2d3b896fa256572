"""Order routes."""
from flask import current_app, jsonify
from flask_jwt_extended import current_user

from app.openapi import Blueprint
from app.schemas.common import ErrorSchema, MessageSchema
from app.schemas.order import (AdminOrderArgs, CustomerOrderMessageSchema, CustomerOrderPageSchema,
                               CustomerOrderSchema, IdempotencyHeaderSchema, OrderCreateSchema, OrderMessageSchema,
                               OrderNotesSchema, OrderSearchArgs, OrderStatusUpdateSchema,
                               PaymentStatusUpdateSchema, RefundSchema, ShipOrderSchema, StaffOrderPageSchema,
                               StaffOrderSchema, TodayOrdersSchema)
from app.services import checkout_service, order_service, order_status_service
from app.utils.decorators import admin_only, authenticated, customer_only, manager_required, staff_required
from app.schemas.common import rendered
from app.utils.cursor import page_or_keyset_result
from app.utils.pagination import PageArgs, page_result

blp = Blueprint("orders", __name__, url_prefix="/api/orders", description="Checkout and the order lifecycle")
STAFF_ORDER, CUSTOMER_ORDER = StaffOrderSchema(), CustomerOrderSchema()  # one route, a shape per audience
CREATED, REFUNDED = CustomerOrderMessageSchema(), OrderMessageSchema()  # rendered once, replayed byte for byte


@blp.route("", methods=["POST"])
@authenticated
@blp.arguments(OrderCreateSchema)
@blp.arguments(IdempotencyHeaderSchema, location="headers")
@blp.response(201, CustomerOrderMessageSchema)
@blp.alt_response(404, schema=ErrorSchema, description="`address_id` is not one of the caller's addresses")
@blp.alt_response(409, schema=ErrorSchema, description="INSUFFICIENT_STOCK, PRODUCT_UNAVAILABLE, or DISCOUNT_EXHAUSTED "
                  "(the cart's code has no use left, for everyone or for this customer)")
def create_order(data, headers):
    """Check out the caller's cart (an Idempotency-Key header makes retries safe)."""
    status, body = checkout_service.place_order(current_user, data, headers["idempotency_key"], render=_created_body)
    return current_app.response_class(body, status, mimetype="application/json")


@blp.route("", methods=["GET"])
@customer_only
@blp.arguments(PageArgs, location="query")
@blp.response(200, CustomerOrderPageSchema)
def list_my_orders(args):
    """The caller's own orders, newest first, without items."""
    return page_result("orders", order_service.list_own_orders(current_user, **args), with_links=False)


@blp.route("/<int:order_id>", methods=["GET"])
@authenticated
@blp.response(200, StaffOrderSchema)
def get_order(order_id):
    """One order: the caller's own, or any for staff (managers: last 30 days)."""
    order = order_service.get_order(order_id, current_user)
    schema = STAFF_ORDER if order_service.is_staff(current_user) else CUSTOMER_ORDER
    return jsonify(schema.dump(order))


@blp.route("/<int:order_id>/cancel", methods=["POST"])
@customer_only
@blp.response(200, CustomerOrderMessageSchema)
def cancel_order(order_id):
    """Cancel one of the caller's orders while it is pending, confirmed or processing."""
    order = order_status_service.cancel_own_order(order_id, current_user)
    return {"message": "Order cancelled successfully", "order": order}


@blp.route("/today", methods=["GET"])
@staff_required
@blp.response(200, TodayOrdersSchema)
def todays_orders():
    """Orders created since midnight UTC (first 100, newest first)."""
    return order_service.todays_orders()


@blp.route("/search", methods=["GET"])
@staff_required
@blp.arguments(OrderSearchArgs, location="query")
@blp.response(200, StaffOrderSchema)
def search_order(args):
    """Find an order by its exact number."""
    return order_service.find_by_number(args["number"], current_user)


@blp.route("/admin", methods=["GET"])
@manager_required
@blp.arguments(AdminOrderArgs, location="query")
@blp.response(200, StaffOrderPageSchema)
def list_all_orders(args):
    """Every order, newest first, optionally of one status (managers: last 30 days)."""
    return page_or_keyset_result("orders", order_service.list_all_orders(current_user, **args), with_links=False)


@blp.route("/<int:order_id>/status", methods=["PUT", "POST"])
@staff_required
@blp.arguments(OrderStatusUpdateSchema)
@blp.response(200, OrderMessageSchema)
def update_status(data, order_id):
    """Move an order along the state machine (cashiers: confirmed/processing; refunded: admins)."""
    order = order_status_service.update_status(order_id, current_user, data["status"])
    return {"message": "Order status updated", "order": order}


@blp.route("/<int:order_id>/payment-status", methods=["PUT", "POST"])
@staff_required
@blp.arguments(PaymentStatusUpdateSchema)
@blp.response(200, OrderMessageSchema)
def update_payment_status(data, order_id):
    """Set the payment status (refunded: admins only)."""
    order = order_status_service.update_payment_status(order_id, current_user, data["payment_status"])
    return {"message": "Payment status updated", "order": order}


@blp.route("/<int:order_id>/ship", methods=["POST"])
@manager_required
@blp.arguments(ShipOrderSchema)
@blp.response(200, OrderMessageSchema)
def ship_order(data, order_id):
    """Mark an order shipped, with an optional tracking number."""
    order = order_status_service.ship_order(order_id, current_user, data["tracking_number"])
    return {"message": "Order marked as shipped", "order": order}


@blp.route("/<int:order_id>/notes", methods=["POST"])
@manager_required
@blp.arguments(OrderNotesSchema)
@blp.response(200, OrderMessageSchema)
def add_notes(data, order_id):
    """Append a timestamped internal note."""
    order = order_status_service.add_note(order_id, current_user, data["notes"])
    return {"message": "Notes added successfully", "order": order}


@blp.route("/<int:order_id>/refund", methods=["POST"])
@admin_only
@blp.arguments(RefundSchema)
@blp.arguments(IdempotencyHeaderSchema, location="headers")
@blp.response(200, OrderMessageSchema)
def refund_order(data, headers, order_id):
    """Refund an order and return its stock (an Idempotency-Key header makes retries safe)."""
    status, body = order_status_service.refund_order(order_id, current_user, data["reason"],
                                                     headers["idempotency_key"], render=_refunded_body)
    return current_app.response_class(body, status, mimetype="application/json")


@blp.route("/<int:order_id>", methods=["DELETE"])
@admin_only
@blp.response(200, MessageSchema)
def delete_order(order_id):
    """Delete an order for good, returning its stock if it still held it."""
    order_status_service.delete_order(order_id, current_user)
    return {"message": "Order permanently deleted", "warning": "This action cannot be undone"}


def _created_body(order):
    return rendered(CREATED, {"message": "Order created successfully", "order": order})


def _refunded_body(order):
    return rendered(REFUNDED, {"message": "Refund processed successfully", "order": order})
