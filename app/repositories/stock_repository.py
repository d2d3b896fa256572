"""Product reads and the atomic stock updates of checkout, cancel and refund."""
from sqlalchemy import update

from app.extensions import db
from app.models import Product

# Ids beyond a 32-bit integer cannot exist; SQLite would raise OverflowError on them.
MAX_ID = 2**31 - 1


def get_product(product_id):
    if not 0 < product_id <= MAX_ID:
        return None
    return db.session.get(Product, product_id)


def take(product_id, quantity):
    """Take quantity out of stock if the product is active and has enough; False when it does not."""
    result = db.session.execute(
        update(Product)
        .where(Product.id == product_id, Product.stock_quantity >= quantity, Product.is_active.is_(True))
        .values(stock_quantity=Product.stock_quantity - quantity)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def give_back(quantities):
    """Return {product_id: quantity} to stock, rows in id order so concurrent writers never deadlock."""
    for product_id in sorted(quantities):
        db.session.execute(
            update(Product).where(Product.id == product_id)
            .values(stock_quantity=Product.stock_quantity + quantities[product_id])
            .execution_options(synchronize_session=False)
        )

