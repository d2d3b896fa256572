"""Queries on product variants: reads, the rollup onto their product, and the atomic stock moves by variant."""
from collections import defaultdict

from sqlalchemy import case, func, select, update
from sqlalchemy.orm.attributes import set_committed_value

from app.extensions import db
from app.models import Product, ProductVariant
from app.models.data_version import STOCK_MOVE
from app.models.base import MAX_ID
from app.repositories.uniqueness import taken


def get(product_id, variant_id):
    """The variant of a product (active or not), or None."""
    if not (0 < product_id <= MAX_ID and 0 < variant_id <= MAX_ID):
        return None
    variant = db.session.get(ProductVariant, variant_id)
    return variant if variant is not None and variant.product_id == product_id else None


def attach(products, active_only=True):
    """Set each product's variants (the active ones only for the public) with one statement, none without options."""
    by_product = defaultdict(list)
    ids = [product.id for product in products if product.has_variants]
    if ids:
        query = select(ProductVariant).where(ProductVariant.product_id.in_(ids)).order_by(ProductVariant.id)
        if active_only:
            query = query.where(ProductVariant.is_active.is_(True))
        for variant in db.session.scalars(query):
            by_product[variant.product_id].append(variant)
    for product in products:
        set_committed_value(product, "variants", by_product[product.id])
    return products


def lock(variant_ids):
    """The variants, row-locked in id order (after their products: see stock_repository.lock) and read afresh."""
    return db.session.scalars(select(ProductVariant).where(ProductVariant.id.in_(variant_ids))
                              .order_by(ProductVariant.id).with_for_update()
                              .execution_options(populate_existing=True, autoflush=False)).all()


def take(quantities):
    """Take {variant_id: quantity} out of stock where every variant is active and has enough; True when all did.

    Call lock() first. One conditional UPDATE; the CHECK constraint stands behind it.
    """
    by_id = case(quantities, value=ProductVariant.id)
    result = db.session.execute(
        update(ProductVariant)
        .where(ProductVariant.id.in_(quantities), ProductVariant.is_active.is_(True),
               ProductVariant.stock_quantity >= by_id)
        .values(stock_quantity=ProductVariant.stock_quantity - by_id)
        .execution_options(**STOCK_MOVE, synchronize_session=False)
    )
    return result.rowcount == len(quantities)


def give_back(quantities):
    """Return {variant_id: quantity} to stock (locking the rows in id order first); {variant_id: stock after}."""
    if not quantities:
        return {}
    after = {variant.id: variant.stock_quantity + quantities[variant.id] for variant in lock(list(quantities))}
    db.session.execute(
        update(ProductVariant).where(ProductVariant.id.in_(quantities))
        .values(stock_quantity=ProductVariant.stock_quantity + case(quantities, value=ProductVariant.id))
        .execution_options(**STOCK_MOVE, synchronize_session=False, autoflush=False)
    )
    return after


def roll_up(product_ids):
    """Set each product's stock to the sum of its active variants' and its price to their lowest (one UPDATE).

    A product without an active variant keeps its price and has no stock. Returns {product_id: stock after}.
    A stock move to the catalog cache: the lowest price only changes with a variant write, which is a catalog change.
    """
    if not product_ids:
        return {}
    active = (ProductVariant.product_id == Product.id) & ProductVariant.is_active.is_(True)
    stock = select(func.coalesce(func.sum(ProductVariant.stock_quantity), 0)).where(active)
    lowest = select(func.min(ProductVariant.price)).where(active)
    rows = db.session.execute(
        update(Product).where(Product.id.in_(product_ids))
        .values(stock_quantity=stock.scalar_subquery(), price=func.coalesce(lowest.scalar_subquery(), Product.price))
        .returning(Product.id, Product.stock_quantity)
        .execution_options(**STOCK_MOVE, synchronize_session=False, autoflush=False)
    )
    return dict(rows.all())


def for_product(product_id, active_only=False):
    """A product's variants in id order (the active ones only for the public)."""
    query = select(ProductVariant).where(ProductVariant.product_id == product_id).order_by(ProductVariant.id)
    if active_only:
        query = query.where(ProductVariant.is_active.is_(True))
    return db.session.scalars(query).all()


def count_for_product(product_id):
    """How many variants a product has, active or not."""
    return db.session.scalar(select(func.count(ProductVariant.id)).where(ProductVariant.product_id == product_id))


def options_taken(product_id, key, exclude_id=None):
    """True when another variant of the product has the combination whose option_key is key."""
    query = select(ProductVariant.id).where(ProductVariant.product_id == product_id, ProductVariant.option_key == key)
    if exclude_id is not None:
        query = query.where(ProductVariant.id != exclude_id)
    return db.session.scalar(query.limit(1)) is not None


def sku_taken(sku, exclude_id=None):
    return taken(ProductVariant.sku, sku, ProductVariant.id, exclude_id)


def barcode_taken(barcode, exclude_id=None):
    return taken(ProductVariant.barcode, barcode, ProductVariant.id, exclude_id)


def add(variant):
    db.session.add(variant)
    db.session.flush()
    return variant


def flush():
    db.session.flush()


def reload_rollup(product):
    """Read the product's rolled-up price and stock (and updated_at) afresh after roll_up()."""
    db.session.refresh(product, ["price", "stock_quantity", "updated_at"])
    return product


def set_option_values(variant, values):
    """Store the variant's values in this order: an UPDATE even when only the order changed (equal dicts skip one)."""
    db.session.execute(update(ProductVariant).where(ProductVariant.id == variant.id).values(option_values=values)
                       .execution_options(synchronize_session=False))
    set_committed_value(variant, "option_values", values)
