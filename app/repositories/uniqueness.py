"""The one check behind every "already taken" answer (SKU, barcode, email, username, employee id)."""
from sqlalchemy import select

from app.extensions import db


def taken(column, value, exclude_column=None, exclude_value=None):
    """True when a row (other than the one where exclude_column == exclude_value) holds value in column."""
    query = select(column).where(column == value)
    if exclude_value is not None:
        query = query.where(exclude_column != exclude_value)
    return db.session.scalar(query.limit(1)) is not None
