"""Reading orders: a customer's own, and the staff views (a manager sees the last 30 days only)."""
from datetime import datetime, time, timedelta, timezone

from app.enums import STAFF_ROLES, UserRole
from app.errors import BadRequest, NotFound
from app.models.base import utcnow
from app.repositories import order_repository

MANAGER_WINDOW = timedelta(days=30)
TODAY_LIMIT = 100


def is_staff(caller):
    return caller.role in STAFF_ROLES


def visible_since(caller):
    """The oldest creation time this staff member may see (managers: 30 days), None for no limit."""
    return utcnow() - MANAGER_WINDOW if caller.role == UserRole.MANAGER else None


def list_own_orders(caller, page, per_page):
    """A page of the customer's orders, newest first."""
    return order_repository.list_for_customer(caller.customer_id, page, per_page)


def get_order(order_id, caller):
    """An order the caller may read: their own, or (staff) any inside their window. Others are 'not found'."""
    if is_staff(caller):
        order = order_repository.get(order_id, created_since=visible_since(caller))
    else:
        order = order_repository.get(order_id, customer_id=caller.customer_id) if caller.customer_id else None
    if order is None:
        raise NotFound("Order not found")
    return order


def find_by_number(order_number, caller):
    """Staff lookup by exact order number."""
    if not order_number:
        raise BadRequest("order number is required")
    order = order_repository.get_by_number(order_number, created_since=visible_since(caller))
    if order is None:
        raise NotFound("Order not found")
    return order


def list_all_orders(caller, page, per_page, status=None, after=None):
    """Every order (a manager: the last 30 days), newest first: a page by number, or after a keyset cursor."""
    since = visible_since(caller)
    if after is not None:
        return order_repository.list_all_after(after, per_page, status=status, created_since=since)
    return order_repository.list_all(page, per_page, status=status, created_since=since)


def todays_orders():
    """Orders created since UTC midnight: {orders (first 100), total, date}."""
    midnight = datetime.combine(utcnow().date(), time.min, tzinfo=timezone.utc)
    orders, total = order_repository.list_since(midnight, TODAY_LIMIT)
    return {"orders": orders, "total": total, "date": midnight.isoformat()}
