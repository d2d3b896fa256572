"""Queries on orders; lists load their items and buyers in a fixed number of statements."""
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload, selectinload, with_expression

from app.extensions import db
from app.models import Customer, Order, OrderEvent, OrderItem
from app.models.base import MAX_ID, utcnow
from app.repositories.paging import paginate, with_total
from app.utils.cursor import KeysetPage, after_condition, decode_cursor, encode_cursor


def _items():
    return selectinload(Order.items)


def _buyer_joined():
    """The buyer and their account in the orders' own statement (one each per order)."""
    return joinedload(Order.customer).joinedload(Customer.user)


def _history():
    return selectinload(Order.events)


def _visible(stmt, created_since):
    return stmt if created_since is None else stmt.where(Order.created_at >= created_since)


def get(order_id, *, created_since=None, customer_id=None):
    """One order with items, buyer and history; None when missing or outside the caller's view."""
    if not 0 < order_id <= MAX_ID:
        return None
    stmt = _visible(select(Order).where(Order.id == order_id), created_since)
    if customer_id is not None:
        stmt = stmt.where(Order.customer_id == customer_id)
    return db.session.scalar(
        stmt.options(_items(), _buyer_joined(), _history()).execution_options(populate_existing=True)
    )


def get_by_number(order_number, *, created_since=None):
    stmt = _visible(select(Order).where(Order.order_number == order_number), created_since)
    return db.session.scalar(stmt.options(_items(), _buyer_joined(), _history()))


def lock(order_id):
    """Touch the order as the transaction's first write so that changes of one order run one at a time."""
    if not 0 < order_id <= MAX_ID:
        return False
    result = db.session.execute(
        update(Order).where(Order.id == order_id).values(updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


_NEWEST_FIRST = (Order.created_at.desc(), Order.id.desc())


_UNITS = (select(func.coalesce(func.sum(OrderItem.quantity), 0)).where(OrderItem.order_id == Order.id)
          .correlate(Order).scalar_subquery())


def list_for_customer(customer_id, page, per_page):
    """A page of the customer's orders, newest first, with their unit counts (item_units), not their lines."""
    stmt = (select(Order).where(Order.customer_id == customer_id).order_by(*_NEWEST_FIRST)
            .options(with_expression(Order.item_units, _UNITS)))
    return paginate(stmt, page, per_page, select(func.count(Order.id)).where(Order.customer_id == customer_id))


def _filters(status, created_since):
    conditions = [] if status is None else [Order.status == status]
    return conditions if created_since is None else [*conditions, Order.created_at >= created_since]


def _staff_page(conditions, limit, offset=0):
    """Orders matching conditions with their buyer (joined) and items: two statements whatever their number.

    The page's ids are picked from the orders alone first (a deferred join): a deep OFFSET then skips entries of
    the created_at index, not joined rows.
    """
    ids = select(Order.id).where(*conditions).order_by(*_NEWEST_FIRST).limit(limit).offset(offset)
    return db.session.scalars(select(Order).where(Order.id.in_(ids.scalar_subquery())).order_by(*_NEWEST_FIRST)
                              .options(_items(), _buyer_joined())).all()


def list_all(page, per_page, *, status=None, created_since=None):
    """Every order (or those of one status, or since a date), newest first, with items and buyer."""
    conditions = _filters(status, created_since)
    orders = _staff_page(conditions, per_page, (page - 1) * per_page)
    return with_total(orders, page, per_page, select(func.count(Order.id)).where(*conditions))


def list_all_after(after, per_page, *, status=None, created_since=None):
    """As list_all, but the per_page orders after the cursor `after` ("" for the first): no OFFSET to scan."""
    conditions = _filters(status, created_since)
    total = db.session.scalar(select(func.count(Order.id)).where(*conditions))
    if after:
        value, row_id = decode_cursor(after, "-created_at", datetime)
        conditions.append(after_condition(Order.created_at, Order.id, value, row_id, descending=True))
    rows = _staff_page(conditions, per_page + 1)
    items, has_next = rows[:per_page], len(rows) > per_page
    next_cursor = encode_cursor("-created_at", items[-1].created_at, items[-1].id) if has_next else None
    return KeysetPage(items=items, total=total, per_page=per_page, has_next=has_next, has_prev=bool(after),
                      next_cursor=next_cursor)


def list_since(since, limit):
    """(orders created since `since`, newest first, at most `limit`, with items and buyer; their full count)."""
    orders = db.session.scalars(
        select(Order).where(Order.created_at >= since).order_by(*_NEWEST_FIRST).limit(limit)
        .options(_items(), _buyer_joined())
    ).all()
    total = db.session.scalar(select(func.count(Order.id)).where(Order.created_at >= since))
    return orders, total


def add(order):
    db.session.add(order)
    return order


def add_event(order, actor_id, event_type, from_status=None, to_status=None, note=None):
    event = OrderEvent(actor_id=actor_id, event_type=event_type, from_status=from_status, to_status=to_status,
                       note=note)
    order.events.append(event)
    return event


def delete(order):
    db.session.delete(order)


def flush():
    """Send pending inserts so ids and defaults are known."""
    db.session.flush()
