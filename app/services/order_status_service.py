"""The order state machine and every staff or customer change of an order, each recorded as an event."""
from collections import Counter

from app.enums import EventType, OrderStatus, PaymentStatus, StockMovementKind, UserRole
from app.errors import Forbidden, InvalidTransition, NotFound
from app.models import StockMovement
from app.models.base import utcnow
from app.repositories import (discount_repository, order_repository, stock_movement_repository, stock_repository,
                              variant_repository)
from app.services import audit_service, events_service, idempotency_service
from app.services.order_service import visible_since
from app.services.unit_of_work import unit_of_work

S = OrderStatus
FLOW = (S.PENDING, S.CONFIRMED, S.PROCESSING, S.SHIPPED, S.DELIVERED)
CANCELLABLE = frozenset({S.PENDING, S.CONFIRMED, S.PROCESSING})
FINAL = frozenset({S.CANCELLED, S.REFUNDED})
CASHIER_STATUSES = (S.CONFIRMED, S.PROCESSING)
# Set when the order enters the status; statuses skipped on the way are left null (not back-filled).
TIMESTAMPS = {S.CONFIRMED: "confirmed_at", S.SHIPPED: "shipped_at", S.DELIVERED: "delivered_at"}
DEFAULT_REFUND_REASON = "Customer request"
REFUND_SCOPE = "orders.refund"
AUDITED_FIELDS = ("status", "payment_status", "tracking_number")


def can_move(current, target):
    """DESIGN 3.9: forward along FLOW (skipping allowed), cancel early, refund unless final; finals stay."""
    if current in FINAL or current == target:
        return False
    if target == S.CANCELLED:
        return current in CANCELLABLE
    if target == S.REFUNDED:
        return True
    return FLOW.index(target) > FLOW.index(current)


def update_status(order_id, caller, status):
    """Staff move an order to a status, within their role's rights and the state machine."""
    _check_status_right(caller, status)
    with unit_of_work():
        order = _locked_order(order_id, caller)
        before, audited = _states(order), _audited(order)
        if status == S.REFUNDED:
            _refund(order, caller.id, DEFAULT_REFUND_REASON)
        else:
            _move(order, status, caller.id)
        _announce(order, before, reason=DEFAULT_REFUND_REASON if status == S.REFUNDED else None)
        _audit(caller, "order.refund" if status == S.REFUNDED else "order.status_change", order, audited)
    return order


def cancel_own_order(order_id, caller):
    """A customer cancels their own order while it is pending, confirmed or processing."""
    with unit_of_work():
        if caller.customer_id is None:
            raise NotFound("Order not found")
        order = _locked_order(order_id, caller, customer_id=caller.customer_id)
        if order.status not in CANCELLABLE:
            raise InvalidTransition(f"Cannot cancel order with status: {order.status}",
                                    message="Please contact customer support for assistance")
        before = _states(order)
        _move(order, S.CANCELLED, caller.id, event_type="cancelled")
        _announce(order, before)
    return order


def ship_order(order_id, caller, tracking_number=None):
    """Mark an order shipped, keeping its tracking number."""
    with unit_of_work():
        order = _locked_order(order_id, caller)
        before, audited = _states(order), _audited(order)
        if tracking_number:
            order.tracking_number = tracking_number
        _move(order, S.SHIPPED, caller.id, event_type="shipped",
              note=f"Tracking number: {tracking_number}" if tracking_number else None)
        _announce(order, before)
        _audit(caller, "order.ship", order, audited)
    return order


def refund_order(order_id, caller, reason=None, idempotency_key=None, *, render):
    """Refund an order (admin): returns (200, render(order)), or a keyed repeat's first answer (as place_order)."""
    reason = reason or DEFAULT_REFUND_REASON
    request = idempotency_service.keyed_request(caller.id, REFUND_SCOPE, idempotency_key,
                                                {"order_id": order_id, "reason": reason})
    with unit_of_work():
        order = _locked_order(order_id, caller)
        replay = idempotency_service.stored_response(request)
        if replay is not None:
            return replay
        before, audited = _states(order), _audited(order)
        _refund(order, caller.id, reason)
        order_repository.flush()
        _announce(order, before, reason=reason)
        _audit(caller, "order.refund", order, audited)
        body = render(order)
        idempotency_service.store_response(request, 200, body)
    return 200, body


def update_payment_status(order_id, caller, payment_status):
    """Set the payment status (refunded: admins only); the order status is not touched."""
    if payment_status == PaymentStatus.REFUNDED and caller.role != UserRole.ADMIN:
        raise Forbidden("Only admins can set payment status to refunded",
                        message="Please contact an administrator for refunds")
    with unit_of_work():
        order = _locked_order(order_id, caller)
        if order.payment_status != payment_status:
            before, audited = _states(order), _audited(order)
            order_repository.add_event(order, caller.id, "payment_status_changed", order.payment_status,
                                       payment_status)
            order.payment_status = payment_status
            _announce(order, before)
            _audit(caller, "order.payment_status_change", order, audited)
    return order


def add_note(order_id, caller, notes):
    """Append a timestamped line to the internal notes."""
    with unit_of_work():
        order = _locked_order(order_id, caller)
        _append_note(order, notes)
        order_repository.add_event(order, caller.id, "note_added", note=notes)
        audit_service.record(caller, "order.note", "order", order.id, {"note": [None, notes]})
    return order


def delete_order(order_id, caller):
    """Delete an order for good (admin), returning its stock if it still held it."""
    with unit_of_work():
        order = _locked_order(order_id, caller)
        if order.holds_stock:
            _release(order, caller.id, reason=f"Order {order.order_number} deleted")
        audit_service.record(caller, "order.delete", "order", order.id, audit_service.diff(
            audit_service.snapshot(order, ("order_number", *AUDITED_FIELDS, "total")), {}))
        order_repository.flush()  # the ledger rows go in before the order goes; their order_id then becomes null
        order_repository.delete(order)


def _check_status_right(caller, status):
    if caller.role == UserRole.CASHIER and status not in CASHIER_STATUSES:
        raise Forbidden("Cashiers can only update status to: confirmed, processing", your_role=caller.role,
                        allowed_statuses=[s.value for s in CASHIER_STATUSES])
    if status == S.REFUNDED and caller.role != UserRole.ADMIN:
        raise Forbidden("Only admins can set status to refunded",
                        message="Please contact an administrator for refunds")


def _locked_order(order_id, caller, customer_id=None):
    """Lock the order (the transaction's first write), then load it as the caller may see it; else 404."""
    if not order_repository.lock(order_id):
        raise NotFound("Order not found")
    if customer_id is not None:
        order = order_repository.get(order_id, customer_id=customer_id)
    else:
        order = order_repository.get(order_id, created_since=visible_since(caller))
    if order is None:
        raise NotFound("Order not found")
    return order


def _move(order, target, actor_id, event_type="status_changed", note=None):
    """Apply one transition: stock and the discount use go back exactly once, when the order stops holding them."""
    current = order.status
    if not can_move(current, target):
        raise InvalidTransition(f"Cannot change order status from {current} to {target}",
                                current_status=current, requested_status=target)
    held = order.holds_stock
    order.status = target
    if held and not order.holds_stock:
        _release(order, actor_id)
    stamp = TIMESTAMPS.get(target)
    if stamp and getattr(order, stamp) is None:
        setattr(order, stamp, utcnow())
    order_repository.add_event(order, actor_id, event_type, current, target, note)


def _states(order):
    return order.status, order.payment_status


def _audited(order):
    return audit_service.snapshot(order, AUDITED_FIELDS)


def _audit(caller, action, order, before):
    audit_service.record(caller, action, "order", order.id, audit_service.diff(before, _audited(order)))


def _release(order, actor_id, reason=None):
    """What an order stops holding: its stock and the use of its discount code."""
    _return_stock(order, actor_id, reason)
    if order.discount_id is not None:
        discount_repository.give_back(order.discount_id)


def _return_stock(order, actor_id, reason=None):
    """The order's units back to stock, each product's (each variant's) return in the ledger with the stock it left.

    Every product of the order is locked first, in one statement; a product with options then gets its variants'
    units and its stock rolled up from them (an inactive variant's units count again when it is reactivated).
    """
    quantities, by_variant = _quantities(order)
    variant_products = {item.product_id for item in order.items if item.variant_id is not None}
    after = stock_repository.give_back(quantities, lock_also=variant_products)
    variant_after = variant_repository.give_back(by_variant)
    variant_repository.roll_up(sorted(variant_products))
    movements = [StockMovement(product_id=product_id, kind=StockMovementKind.RETURN, delta=quantity,
                               quantity_after=after[product_id], reason=reason, order_id=order.id, actor_id=actor_id)
                 for product_id, quantity in sorted(quantities.items())]
    product_of = {item.variant_id: item.product_id for item in order.items if item.variant_id is not None}
    movements += [StockMovement(product_id=product_of[variant_id], variant_id=variant_id,
                                kind=StockMovementKind.RETURN, delta=quantity, quantity_after=variant_after[variant_id],
                                reason=reason, order_id=order.id, actor_id=actor_id)
                  for variant_id, quantity in sorted(by_variant.items())]
    stock_movement_repository.add_all(movements)


def _announce(order, before, reason=None):
    """The outbox events of a change from `before` (status, payment status) to the order as it is now."""
    order_repository.flush()
    status, payment_status = before
    if order.status != status:
        events_service.order_event(EventType.ORDER_STATUS_CHANGED, order, from_status=status, to_status=order.status)
        if order.status == S.CANCELLED:
            events_service.order_event(EventType.ORDER_CANCELLED, order)
        elif order.status == S.REFUNDED:
            events_service.order_event(EventType.ORDER_REFUNDED, order, reason=reason)
    if order.payment_status != payment_status:
        events_service.order_event(EventType.ORDER_PAYMENT_STATUS_CHANGED, order, from_payment_status=payment_status,
                                   to_payment_status=order.payment_status)


def _refund(order, actor_id, reason):
    """Refunded status and stock back; payment becomes refunded only if it had been paid."""
    _move(order, S.REFUNDED, actor_id, event_type="refunded", note=reason)
    if order.payment_status == PaymentStatus.PAID:
        order.payment_status = PaymentStatus.REFUNDED
    _append_note(order, f"REFUND PROCESSED: {reason}")


def _append_note(order, text):
    line = f"[{utcnow().isoformat()}] {text}"
    order.admin_notes = f"{order.admin_notes or ''}\n{line}".strip()


def _quantities(order):
    """({product_id: units} of the lines sold as one item, {variant_id: units} of the variant lines).

    A line whose variant was deleted since (variant_id cleared, its SKU kept) has nowhere to go back to.
    """
    counts, by_variant = Counter(), Counter()
    for item in order.items:
        if item.variant_id is not None:
            by_variant[item.variant_id] += item.quantity
        elif item.variant_sku is None:
            counts[item.product_id] += item.quantity
    return counts, by_variant
