"""Queries on the category tree."""
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Category, Product
from app.repositories.slugs import free_slug


def get(category_id):
    return db.session.get(Category, category_id)


def get_with_children(category_id):
    return db.session.scalar(
        select(Category).options(selectinload(Category.children)).where(Category.id == category_id))


def get_active_by_slug(slug):
    return db.session.scalar(select(Category).options(selectinload(Category.children))
                             .where(Category.slug == slug, Category.is_active.is_(True)))


def list_active(parent_only=False):
    """Active categories by name, their direct children loaded in one extra query."""
    stmt = (select(Category).options(selectinload(Category.children))
            .where(Category.is_active.is_(True)).order_by(Category.name, Category.id))
    if parent_only:
        stmt = stmt.where(Category.parent_id.is_(None))
    return list(db.session.scalars(stmt))


def product_counts(category_ids):
    """{category_id: number of products, inactive ones included} in one aggregate query."""
    if not category_ids:
        return {}
    rows = db.session.execute(select(Product.category_id, func.count(Product.id))
                              .where(Product.category_id.in_(category_ids)).group_by(Product.category_id))
    return dict(rows.all())


def count_children(category_id):
    return db.session.scalar(select(func.count(Category.id)).where(Category.parent_id == category_id))


def lock_tree():
    """Lock every category row in id order until the transaction ends, so that moves run one at a time.

    FOR NO KEY UPDATE: products can still be added to a category meanwhile. A plain read on SQLite, where the
    moves' own first write takes the database write lock.
    """
    db.session.execute(select(Category.id).order_by(Category.id).with_for_update(key_share=True)).all()


def flush():
    """Send pending changes, so that the queries after it see them."""
    db.session.flush()


def parent_map():
    """{id: parent_id} for the whole tree, the input of cycle checks."""
    return dict(db.session.execute(select(Category.id, Category.parent_id)).all())


def get_many(category_ids):
    return list(db.session.scalars(select(Category).where(Category.id.in_(category_ids))))


def subtree_ids(category_id):
    """A SELECT of the ids of category_id and all its descendants (a recursive CTE)."""
    tree = select(Category.id).where(Category.id == category_id).cte("subtree", recursive=True)
    tree = tree.union_all(select(Category.id).where(Category.parent_id == tree.c.id))
    return select(tree.c.id)


def free_category_slug(name, current=None):
    return free_slug(Category.slug, name, current)


def add(category):
    db.session.add(category)
    db.session.flush()
    return category


def delete(category):
    db.session.delete(category)
