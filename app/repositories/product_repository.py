"""Queries on products."""
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select, true

from app.extensions import db
from app.models import Product
from app.repositories import category_repository, search_repository
from app.repositories.paging import Page
from app.repositories.slugs import free_slug
from app.repositories.uniqueness import taken
from app.utils.cursor import KeysetPage, after_condition, decode_cursor, encode_cursor

SORT_COLUMNS = {"price": Product.price, "name": Product.name, "created_at": Product.created_at,
                "stock": Product.stock_quantity}
SORT_KINDS = {"price": Decimal, "name": str, "created_at": datetime, "stock": int}
EXACT_SEARCH = {"id": Product.id, "sku": Product.sku, "slug": Product.slug, "barcode": Product.barcode,
                "category_id": Product.category_id}


def get(product_id):
    return db.session.get(Product, product_id)


def get_active(product_id):
    return db.session.scalar(select(Product).where(Product.id == product_id, Product.is_active.is_(True)))


def count(filters):
    """How many products match filters."""
    # count(*), not count(id): PostgreSQL then counts from an index alone (the id is in none but the key's).
    return db.session.scalar(select(func.count()).select_from(Product).where(*_conditions(filters)))


def conditions(filters):
    """The WHERE conditions of filters, as count() and list_page() apply them (for other queries on products)."""
    return list(_conditions(filters))


def list_page(filters, page, per_page, total):
    """A page of products matching filters (the keys of ProductQueryArgs or StaffProductQueryArgs); total from count().

    Without an is_active key only active products match (the public catalog); is_active None matches every product.
    A "search" key (a SearchPlan) keeps its matches; sort "relevance" orders them by search_repository.relevance().
    """
    stmt, column, descending = _filtered(filters)
    if filters["sort"] == "relevance":
        stmt = stmt.order_by(*search_repository.relevance(filters["search"]))
    else:
        stmt = stmt.order_by(*(c.desc() if descending else c.asc() for c in (column, Product.id)))
    pagination = db.paginate(stmt, page=page, per_page=per_page, error_out=False, count=False)
    pagination.total = total
    return pagination


def search_page(filters, page, per_page):
    """A page of a q search (filters with "search") in relevance order, with its total: the matches found once.

    One statement ranks the matches (their id and tier only), counts them and numbers the page; a second reads the
    page's rows. A count and a page that each found the matches cost twice that: PostgreSQL reads each match's row
    for its tier.
    """
    tier = search_repository.relevance_tier(filters["search"])
    matches = select(Product.id, tier.label("tier")).where(*_conditions(filters)).cte("matches")
    counted = select(func.count().label("total")).select_from(matches).subquery()
    numbered = (select(matches.c.id, matches.c.tier).order_by(matches.c.tier, matches.c.id.desc())
                .limit(per_page).offset((page - 1) * per_page).subquery())
    rows = db.session.execute(select(counted.c.total, numbered.c.id).select_from(counted)
                              .outerjoin(numbered, true()).order_by(numbered.c.tier, numbered.c.id.desc())).all()
    ids = [row.id for row in rows if row.id is not None]
    by_id = {product.id: product for product in db.session.scalars(select(Product).where(Product.id.in_(ids)))} \
        if ids else {}
    return Page([by_id[product_id] for product_id in ids], rows[0].total, page, per_page)


def list_after(filters, after, per_page, total):
    """The per_page products following the cursor `after` ("" for the first), in the same order as list_page()."""
    stmt, column, descending = _filtered(filters)
    if after:
        value, row_id = decode_cursor(after, filters["sort"], SORT_KINDS[filters["sort"].lstrip("-")])
        stmt = stmt.where(after_condition(column, Product.id, value, row_id, descending))
    stmt = stmt.order_by(*(c.desc() if descending else c.asc() for c in (column, Product.id)))
    rows = db.session.scalars(stmt.limit(per_page + 1)).all()
    items, has_next = rows[:per_page], len(rows) > per_page
    last = items[-1] if has_next else None
    next_cursor = encode_cursor(filters["sort"], getattr(last, column.key), last.id) if last else None
    return KeysetPage(items=items, total=total, per_page=per_page, has_next=has_next, has_prev=bool(after),
                      next_cursor=next_cursor)


def _filtered(filters):
    stmt = select(Product)
    for condition in _conditions(filters):
        stmt = stmt.where(condition)
    return stmt, SORT_COLUMNS.get(filters["sort"].lstrip("-")), filters["sort"].startswith("-")


def _conditions(filters):
    is_active = filters.get("is_active", True)
    if is_active is not None:
        yield Product.is_active.is_(is_active)
    category_id = filters.get("category_id")
    if category_id is not None:
        if filters.get("include_subcategories"):
            yield Product.category_id.in_(category_repository.subtree_ids(category_id))
        else:
            yield Product.category_id == category_id
    if filters.get("featured") is not None:
        yield Product.is_featured.is_(filters["featured"])
    if filters.get("in_stock") is not None:
        yield Product.stock_quantity > 0 if filters["in_stock"] else Product.stock_quantity == 0
    if filters.get("min_price") is not None:
        yield Product.price >= filters["min_price"]
    if filters.get("max_price") is not None:
        yield Product.price <= filters["max_price"]
    if filters.get("low_stock") is not None:
        threshold = filters["low_stock_threshold"]
        yield Product.stock_quantity <= threshold if filters["low_stock"] else Product.stock_quantity > threshold
    if filters.get("stock_max") is not None:
        yield Product.stock_quantity <= filters["stock_max"]
    if filters.get("search") is not None:
        yield search_repository.matches(filters["search"])
    search_type, value = filters.get("search_type"), filters.get("search_value")
    if search_type and value:
        if search_type == "name":
            yield search_repository.name_contains(value)
        elif search_type in ("id", "category_id"):
            yield EXACT_SEARCH[search_type] == int(value)
        else:
            yield EXACT_SEARCH[search_type] == value


def sku_taken(sku, exclude_id=None):
    return taken(Product.sku, sku, Product.id, exclude_id)


def barcode_taken(barcode, exclude_id=None):
    return taken(Product.barcode, barcode, Product.id, exclude_id)


def free_product_slug(name, current=None):
    return free_slug(Product.slug, name, current)


def flush():
    db.session.flush()


def add(product):
    db.session.add(product)
    db.session.flush()
    return product
