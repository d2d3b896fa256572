"""Product reads and the atomic stock moves of checkout, cancel, refund, edits and adjustments (of products and
variants): few statements."""
from sqlalchemy import case, select, update

from app.extensions import db
from app.models import Product, ProductVariant
from app.models.data_version import STOCK_MOVE
from app.models.base import MAX_ID, utcnow
from app.models.product_variant import VARIANT_MAX_STOCK


def get_product(product_id):
    if not 0 < product_id <= MAX_ID:
        return None
    return db.session.get(Product, product_id)


def lock(product_ids):
    """The products, row-locked in id order (no deadlock between concurrent stock moves) and read afresh.

    Pending changes stay pending (no autoflush): the order's own changes are written once, at commit."""
    return db.session.scalars(select(Product).where(Product.id.in_(product_ids)).order_by(Product.id)
                              .with_for_update().execution_options(populate_existing=True, autoflush=False)).all()


def hold(product_id):
    """Touch the product as the transaction's first write: its stock edit runs alone (row lock; SQLite write lock)."""
    if 0 < product_id <= MAX_ID:
        db.session.execute(update(Product).where(Product.id == product_id).values(updated_at=utcnow())
                           .execution_options(**STOCK_MOVE, synchronize_session=False))


def take(quantities):
    """Take {product_id: quantity} out of stock where every product is active and has enough; True when all did.

    Call lock() first. One conditional UPDATE; the CHECK constraint stands behind it.
    """
    by_id = case(quantities, value=Product.id)
    result = db.session.execute(
        update(Product)
        .where(Product.id.in_(quantities), Product.is_active.is_(True), Product.stock_quantity >= by_id)
        .values(stock_quantity=Product.stock_quantity - by_id)
        .execution_options(**STOCK_MOVE, synchronize_session=False)
    )
    return result.rowcount == len(quantities)


def give_back(quantities, lock_also=()):
    """Return {product_id: quantity} to stock (locking the rows, and those of lock_also, in id order first);
    {product_id: stock after}."""
    ids = set(quantities) | set(lock_also)
    if not ids:
        return {}
    after = {product.id: product.stock_quantity + quantities[product.id] for product in lock(list(ids))
             if product.id in quantities}
    if quantities:
        db.session.execute(
            update(Product).where(Product.id.in_(quantities))
            .values(stock_quantity=Product.stock_quantity + case(quantities, value=Product.id))
            .execution_options(**STOCK_MOVE, synchronize_session=False, autoflush=False)
        )
    return after


def adjust(product_id, delta):
    """Add delta to a product's stock unless it would leave 0..MAX_ID: one conditional UPDATE.

    Returns the row (id, sku, name, stock_quantity after, options), or None when no row changed (missing, or out
    of range).
    """
    if not 0 < product_id <= MAX_ID:
        return None
    # Bounds on the stored value, not on the sum: the sum could overflow a 32-bit integer before it is compared.
    return db.session.execute(
        update(Product).where(Product.id == product_id, Product.stock_quantity >= -delta,
                              Product.stock_quantity <= MAX_ID - delta)
        .values(stock_quantity=Product.stock_quantity + delta)
        .returning(Product.id, Product.sku, Product.name, Product.stock_quantity, Product.options)
        .execution_options(**STOCK_MOVE, synchronize_session=False)
    ).first()


def adjust_variant(variant_id, delta):
    """Add delta to a variant's stock unless it would leave 0..VARIANT_MAX_STOCK: one conditional UPDATE.

    Hold the variant's product first (hold()), then roll the product up (variant_repository.roll_up). Returns the
    variant's stock after, or None when no row changed.
    """
    return db.session.execute(
        update(ProductVariant).where(ProductVariant.id == variant_id, ProductVariant.stock_quantity >= -delta,
                                     ProductVariant.stock_quantity <= VARIANT_MAX_STOCK - delta)
        .values(stock_quantity=ProductVariant.stock_quantity + delta)
        .returning(ProductVariant.stock_quantity)
        .execution_options(**STOCK_MOVE, synchronize_session=False)
    ).scalar()
