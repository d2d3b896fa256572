"""Read models for the hot read paths: Core rows as plain objects, a page of them, and column lists to select.

Loading a page through the ORM (identity map, instance state, one statement per eager relationship) costs far
more than the rows themselves; these paths select columns with Core instead. The objects carry the attribute
names of the models (and borrow the models' computed properties), so the dump functions of app/schemas read
them exactly like ORM objects; tests/perf compares those dumps with the schemas'.
"""
from dataclasses import dataclass
from math import ceil
from types import SimpleNamespace

from app.extensions import db
from app.models import Customer, Product


class Row(SimpleNamespace):
    """A row as an object with the model's attribute names."""


class CustomerRow(Row):
    full_name = Customer.full_name
    address = Customer.address
    ANONYMOUS_NAME = Customer.ANONYMOUS_NAME


class ProductRow(Row):
    is_in_stock = Product.is_in_stock
    discount_percentage = Product.discount_percentage
    display_image_url = Product.display_image_url


def _core(stmt, params):
    session = db.session
    session.flush()  # returns at once when nothing is pending
    return session.connection().execute(stmt, params)


def core_rows(stmt, params):
    """The rows of a column select, run on the session's connection (its transaction) without the ORM result
    layer, which costs ~0.1 ms a statement here. Pending changes are flushed first, as autoflush would."""
    return _core(stmt, params).all()


def core_scalar(stmt, params=None):
    """As core_rows, the first column of the first row (a count)."""
    return _core(stmt, params).scalar()


def columns(model, prefix=""):
    """Every column of the model's table, labelled prefix + attribute name."""
    return [column.label(prefix + column.key) for column in model.__table__.c]


def split(row, start, keys, cls=Row):
    """cls(**{key: value}) of the row's values from position start, one per key."""
    return cls(**dict(zip(keys, row[start:start + len(keys)])))


@dataclass
class Page:
    """A page of a page-number list, with the attributes page_result() reads (as Flask-SQLAlchemy's)."""

    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self):
        return ceil(self.total / self.per_page) if self.total else 0

    @property
    def has_next(self):
        return self.page < self.pages

    @property
    def has_prev(self):
        return self.page > 1


def page_total(rows, page, per_page, count):
    """The filter's total: known from the page itself when it is a short, non-empty page; else count()."""
    if rows and len(rows) < per_page:
        return (page - 1) * per_page + len(rows)
    if not rows and page == 1:
        return 0
    return count()
