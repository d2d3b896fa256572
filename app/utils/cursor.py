"""Keyset pagination: an opaque `after` cursor (the sort value and id of the last row seen) and its page."""
import base64
import binascii
import json
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from math import ceil

from sqlalchemy import and_, or_

from app.errors import ValidationFailed
from app.models.base import MAX_ID
from app.utils.pagination import page_result

_BAD = "Invalid cursor: pass back the next_cursor of a previous page, or an empty value to start."


def encode_cursor(sort, value, row_id):
    """The cursor after a row: its sort key, that key's value and its id."""
    if isinstance(value, datetime):
        value = value.isoformat()
    elif isinstance(value, (Decimal, int)):
        value = str(value)
    raw = json.dumps([sort, value, row_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor, sort, kind):
    """(value, id) from a cursor made for `sort`; kind is datetime, Decimal, int or str. Bad cursors are a 400."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        cursor_sort, value, row_id = json.loads(raw)
        if cursor_sort != sort or not isinstance(row_id, int) or isinstance(row_id, bool) \
                or not 0 < row_id <= MAX_ID or not isinstance(value, str):
            raise ValueError
        value = datetime.fromisoformat(value) if kind is datetime else Decimal(value) if kind is Decimal else value
        if kind is int:
            value = int(value)
            if not -MAX_ID <= value <= MAX_ID:
                raise ValueError
    except (ValueError, TypeError, binascii.Error, InvalidOperation, UnicodeDecodeError):
        raise ValidationFailed({"after": [_BAD]}, _BAD) from None
    return value, row_id


def after_condition(column, id_column, value, row_id, descending):
    """Rows strictly after (value, row_id) in the order (column, id) both ascending or both descending.

    Spelled with AND / OR rather than a row-value comparison, which SQL Server lacks; the leading range on
    column lets the (..., column) index seek straight to the cursor instead of scanning from the start.
    """
    if descending:
        return and_(column <= value, or_(column < value, id_column < row_id))
    return and_(column >= value, or_(column > value, id_column > row_id))


@dataclass
class KeysetPage:
    """A page fetched after a cursor, with the attributes page_result() reads, and next_cursor."""

    items: list
    total: int
    per_page: int
    has_next: bool
    has_prev: bool
    next_cursor: str | None
    page: None = None  # no page number: the position is the cursor
    pages: int = field(init=False)

    def __post_init__(self):
        self.pages = ceil(self.total / self.per_page) if self.total else 0


def page_or_keyset_result(key, pagination, with_links=True):
    """page_result(), plus next_cursor when the page was fetched after a cursor (a KeysetPage)."""
    body = page_result(key, pagination, with_links)
    if isinstance(pagination, KeysetPage):
        body["next_cursor"] = pagination.next_cursor
    return body
