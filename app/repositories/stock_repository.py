"""Product reads and the atomic stock moves of checkout, cancel and refund: two statements whatever the count."""
from sqlalchemy import case, select, update

from app.extensions import db
from app.models import Product
from app.models.base import MAX_ID


def get_product(product_id):
    if not 0 < product_id <= MAX_ID:
        return None
    return db.session.get(Product, product_id)


def lock(product_ids):
    """The products, row-locked in id order (no deadlock between concurrent stock moves) and read afresh.

    Pending changes stay pending (no autoflush): the order's own changes are written once, at commit."""
    return db.session.scalars(select(Product).where(Product.id.in_(product_ids)).order_by(Product.id)
                              .with_for_update().execution_options(populate_existing=True, autoflush=False)).all()


def take(quantities):
    """Take {product_id: quantity} out of stock where every product is active and has enough; True when all did.

    Call lock() first. One conditional UPDATE; the CHECK constraint stands behind it.
    """
    by_id = case(quantities, value=Product.id)
    result = db.session.execute(
        update(Product)
        .where(Product.id.in_(quantities), Product.is_active.is_(True), Product.stock_quantity >= by_id)
        .values(stock_quantity=Product.stock_quantity - by_id)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == len(quantities)


def give_back(quantities):
    """Return {product_id: quantity} to stock (locking the rows in id order first)."""
    if not quantities:
        return
    lock(list(quantities))
    db.session.execute(
        update(Product).where(Product.id.in_(quantities))
        .values(stock_quantity=Product.stock_quantity + case(quantities, value=Product.id))
        .execution_options(synchronize_session=False, autoflush=False)
    )
