"""The stock ledger: one row per change of a product's stock, written in that change's transaction."""
from sqlalchemy import func, select

from app.extensions import db
from app.models import StockMovement
from app.repositories.paging import paginate


def add(product_id, kind, delta, quantity_after, *, reason=None, order_id=None, actor_id=None):
    """Record one change of a product's stock (delta, and the stock it left)."""
    movement = StockMovement(product_id=product_id, kind=kind, delta=delta, quantity_after=quantity_after,
                             reason=reason, order_id=order_id, actor_id=actor_id)
    db.session.add(movement)
    return movement


def add_all(movements):
    """Several rows in one INSERT where the database allows it (a checkout of many lines)."""
    db.session.add_all(movements)


def for_product(product_id):
    """A product's movements, newest first (paginate the select)."""
    return select(StockMovement).where(StockMovement.product_id == product_id).order_by(StockMovement.id.desc())


def page_for_product(product_id, page, per_page):
    """A page of a product's movements, newest first."""
    count = select(func.count(StockMovement.id)).where(StockMovement.product_id == product_id)
    return paginate(for_product(product_id), page, per_page, count)
