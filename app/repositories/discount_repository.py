"""Discount codes: lookups, the admin's page, and the use counter moved by single conditional UPDATEs."""
from sqlalchemy import func, select, update

from app.extensions import db
from app.models import Cart, Discount, Order
from app.models.base import MAX_ID, utcnow
from app.models.order import STOCK_HOLDING_STATUSES
from app.repositories.paging import paginate
from app.repositories.uniqueness import taken


def add(discount):
    db.session.add(discount)
    return discount


def get(discount_id, fresh=False):
    """The discount, None for a missing or out-of-range id; fresh re-reads the row over the session's copy."""
    if not 0 < discount_id <= MAX_ID:
        return None
    return db.session.get(Discount, discount_id, populate_existing=fresh)


def get_by_code(code):
    """The discount of code, whatever its case (codes are stored upper-case)."""
    return db.session.scalar(select(Discount).where(Discount.code == code.upper()))


def code_taken(code, discount_id=None):
    return taken(Discount.code, code.upper(), Discount.id, discount_id)


def hold(discount_id):
    """Touch the row as the transaction's first write: an edit runs alone with the uses (row lock; SQLite write lock)."""
    if 0 < discount_id <= MAX_ID:
        db.session.execute(update(Discount).where(Discount.id == discount_id).values(updated_at=utcnow())
                           .execution_options(synchronize_session=False))


def list_page(filters, page, per_page):
    """A page of discounts, oldest first, filtered by is_active and a code prefix (any case)."""
    conditions = []
    if filters.get("is_active") is not None:
        conditions.append(Discount.is_active.is_(filters["is_active"]))
    if filters.get("code"):
        conditions.append(Discount.code.startswith(filters["code"].upper(), autoescape=True))
    stmt = select(Discount).where(*conditions).order_by(Discount.id)
    return paginate(stmt, page, per_page, select(func.count(Discount.id)).where(*conditions))


def delete(discount):
    """Orders and carts keep their rows (and orders their code); their discount_id becomes NULL first.

    Carts, then orders, then the code: the order in which a checkout or a cancel locks them, so a delete
    running beside one waits for it instead of deadlocking (ON DELETE SET NULL would lock them last).
    """
    for model in (Cart, Order):
        db.session.execute(update(model).where(model.discount_id == discount.id)
                           .values(discount_id=None, updated_at=model.updated_at)  # not an edit of theirs
                           .execution_options(synchronize_session=False))
    db.session.delete(discount)


def take_use(discount_id):
    """Count one use of an active discount unless its usage_limit is reached; True when it was counted."""
    result = db.session.execute(
        update(Discount)
        .where(Discount.id == discount_id, Discount.is_active.is_(True),
               (Discount.usage_limit.is_(None)) | (Discount.times_used < Discount.usage_limit))
        .values(times_used=Discount.times_used + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def give_back(discount_id):
    """Return one use (a cancelled or refunded order); never below zero."""
    db.session.execute(
        update(Discount).where(Discount.id == discount_id, Discount.times_used > 0)
        .values(times_used=Discount.times_used - 1)
        .execution_options(synchronize_session=False)
    )


def uses_by_customer(discount_id, customer_id):
    """The customer's orders with this discount that still stand (neither cancelled nor refunded)."""
    return db.session.scalar(select(func.count(Order.id)).where(
        Order.discount_id == discount_id, Order.customer_id == customer_id,
        Order.status.in_(sorted(STOCK_HOLDING_STATUSES))))


def flush():
    db.session.flush()
