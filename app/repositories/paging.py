"""Page-number pagination of ORM statements, counting only when the page cannot tell the total."""
from dataclasses import dataclass
from math import ceil

from app.extensions import db


@dataclass
class Page:
    """A page of rows with the attributes page_result() reads."""

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


def paginate(stmt, page, per_page, count_stmt):
    """The page of stmt's rows (ORM entities), with the total from count_stmt when needed."""
    items = db.session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)).all()
    return with_total(items, page, per_page, count_stmt)


def with_total(items, page, per_page, count_stmt):
    """A Page of items; a short, non-empty page (or an empty first one) tells the total, else count_stmt does."""
    if items and len(items) < per_page:
        total = (page - 1) * per_page + len(items)
    elif not items and page == 1:
        total = 0
    else:
        total = db.session.scalar(count_stmt)
    return Page(items, total, page, per_page)
