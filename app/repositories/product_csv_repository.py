"""Queries of the product CSV export and import: keyset batches and lookups by many SKUs, barcodes or slugs."""
from collections import defaultdict

from sqlalchemy import select

from app.extensions import db
from app.models import Category, Product, ProductVariant
from app.repositories.slugs import SUFFIX_ROOM, taken_slugs
from app.utils.slugify import slugify

# Bound parameters per IN list: far below every database's limit (SQL Server: 2,100).
CHUNK = 500
# Past this many names, reading every slug once beats one LIKE scan per name.
SLUG_SCANS = 50

EXPORT_COLUMNS = (Product.name, Product.sku, Product.barcode, Product.price, Product.compare_price,
                  Product.stock_quantity, Category.slug, Product.description, Product.weight, Product.dimensions,
                  Product.is_active, Product.is_featured, Product.image_url)


def any_variant():
    """True when some product has a variant (active or not)."""
    return db.session.execute(select(ProductVariant.id).limit(1)).first() is not None


def export_batches(batch_size):
    """Every product as (a row of EXPORT_COLUMNS, [its variants in id order]), in id order, batch_size products per
    list (keyset: no OFFSET); a batch with products with options reads their variants in one more statement."""
    last_id = 0
    while True:
        rows = db.session.execute(
            select(Product.id, Product.options, *EXPORT_COLUMNS).join(Category, Product.category_id == Category.id)
            .where(Product.id > last_id).order_by(Product.id).limit(batch_size)).all()
        if not rows:
            return
        last_id = rows[-1][0]
        variants = _variants_of([row[0] for row in rows if row[1]])
        yield [(row[2:], variants[row[0]]) for row in rows]
        if len(rows) < batch_size:
            return


def _variants_of(product_ids):
    by_product = defaultdict(list)
    if product_ids:
        for variant in db.session.scalars(select(ProductVariant).where(ProductVariant.product_id.in_(product_ids))
                                          .order_by(ProductVariant.id)):
            by_product[variant.product_id].append(variant)
    return by_product


def products_by_sku(skus, lock=False):
    """{sku: Product} of the products holding one of skus (exact match, as SKU uniqueness is checked).

    With lock, the rows are locked in id order across every chunk (the order checkout locks in: no deadlock)
    and read afresh.
    """
    return _by_sku(Product, skus, lock)


def variants_by_sku(skus, lock=False):
    """{sku: ProductVariant} of the variants holding one of skus; with lock, row-locked in id order across every
    chunk and read afresh (call it after products_by_sku: product rows first, then variant rows)."""
    return _by_sku(ProductVariant, skus, lock)


def _by_sku(model, skus, lock):
    ids = []
    for chunk in _chunks(sorted(set(skus))):
        ids.extend(db.session.scalars(select(model.id).where(model.sku.in_(chunk))))
    rows = []
    for chunk in _chunks(sorted(ids)):
        stmt = select(model).where(model.id.in_(chunk)).order_by(model.id)
        if lock:
            stmt = stmt.with_for_update().execution_options(populate_existing=True)
        rows.extend(db.session.scalars(stmt))
    return {row.sku: row for row in rows}


def barcode_owners(barcodes):
    """{barcode: product id} of the products holding one of barcodes."""
    return _barcode_owners(Product, barcodes)


def variant_barcode_owners(barcodes):
    """{barcode: variant id} of the variants holding one of barcodes."""
    return _barcode_owners(ProductVariant, barcodes)


def _barcode_owners(model, barcodes):
    owners = {}
    for chunk in _chunks(sorted(set(barcodes))):
        owners.update(db.session.execute(select(model.barcode, model.id).where(model.barcode.in_(chunk))).all())
    return owners


def reload(products):
    """Read the products' rows afresh (after a bulk UPDATE such as the variants' rollup), in one statement."""
    for chunk in _chunks(sorted(product.id for product in products)):
        db.session.scalars(select(Product).where(Product.id.in_(chunk))
                           .execution_options(populate_existing=True, autoflush=False)).all()


def categories_by_slug(slugs):
    """{slug: Category} of the categories (active or not) with one of slugs."""
    categories = {}
    for chunk in _chunks(sorted(set(slugs))):
        categories.update((c.slug, c) for c in db.session.scalars(select(Category).where(Category.slug.in_(chunk))))
    return categories


def slug_base(name):
    """The slug a product name starts from, before any -2, -3 suffix (as free_product_slug makes it)."""
    return slugify(name)[: Product.slug.type.length - SUFFIX_ROOM].strip("-") or "item"


def taken_product_slugs(bases):
    """A set holding every product slug equal to one of bases or starting with "base-" (and maybe others)."""
    bases = set(bases)
    if len(bases) > SLUG_SCANS:
        return set(db.session.scalars(select(Product.slug)))
    taken = set()
    for base in bases:
        taken |= taken_slugs(Product.slug, base)
    return taken


def add(product):
    db.session.add(product)


def flush():
    db.session.flush()


def _chunks(values):
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]
