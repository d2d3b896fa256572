"""The stock ledger: one row per change of a product's (a variant's) stock, written in that change's transaction."""
from sqlalchemy import func, select

from app.extensions import db
from app.models import StockMovement
from app.repositories.paging import paginate


def add(product_id, kind, delta, quantity_after, *, reason=None, order_id=None, actor_id=None, variant_id=None):
    """Record one change of a product's stock, or of its variant's (delta, and the stock it left)."""
    movement = StockMovement(product_id=product_id, variant_id=variant_id, kind=kind, delta=delta,
                             quantity_after=quantity_after, reason=reason, order_id=order_id, actor_id=actor_id)
    db.session.add(movement)
    return movement


def add_all(movements):
    """Several rows in one INSERT where the database allows it (a checkout of many lines)."""
    db.session.add_all(movements)


def _of(product_id, variant_id):
    condition = StockMovement.product_id == product_id
    return condition if variant_id is None else condition & (StockMovement.variant_id == variant_id)


def for_product(product_id, variant_id=None):
    """A product's movements (one variant's with variant_id), newest first (paginate the select)."""
    return select(StockMovement).where(_of(product_id, variant_id)).order_by(StockMovement.id.desc())


def page_for_product(product_id, page, per_page, variant_id=None):
    """A page of a product's movements (one variant's with variant_id), newest first."""
    count = select(func.count(StockMovement.id)).where(_of(product_id, variant_id))
    return paginate(for_product(product_id, variant_id), page, per_page, count)
