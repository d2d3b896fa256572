"""Free slugs (rule 4.6 made unique): `name`, `name-2`, ... found with one query, not one query per try."""
from sqlalchemy import or_, select

from app.extensions import db
from app.utils.slugify import slugify, unique_slug

SUFFIX_ROOM = 12  # "-" plus a counter never pushes a slug past its column


def taken_slugs(column, base):
    """Every value of column equal to base or starting with "base-"."""
    pattern = base.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "-%"
    return set(db.session.scalars(select(column).where(or_(column == base, column.like(pattern, escape="\\")))))


def free_slug(column, name, current=None):
    """The slug of name not used by another row; current (the row's own slug) counts as free."""
    base = slugify(name)[: column.type.length - SUFFIX_ROOM].strip("-") or "item"
    taken = taken_slugs(column, base) - {current}
    return unique_slug(base, taken.__contains__)
