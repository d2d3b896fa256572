"""Shipping methods."""
from sqlalchemy import select

from app.extensions import db
from app.models import ShippingMethod
from app.repositories.uniqueness import taken


def add(method):
    db.session.add(method)
    return method


def get(method_id):
    return db.session.get(ShippingMethod, method_id)


def get_by_code(code):
    return db.session.scalar(select(ShippingMethod).where(ShippingMethod.code == code))


def list_all():
    """Every method, active or not, by sort_order then id."""
    return list(db.session.scalars(select(ShippingMethod).order_by(ShippingMethod.sort_order, ShippingMethod.id)))


def list_active():
    """The active methods by sort_order then id (few rows: destinations are filtered by the caller, not in JSON SQL)."""
    return list(db.session.scalars(select(ShippingMethod).where(ShippingMethod.is_active.is_(True))
                                   .order_by(ShippingMethod.sort_order, ShippingMethod.id)))


def code_taken(code, exclude_id=None):
    return taken(ShippingMethod.code, code, ShippingMethod.id, exclude_id)


def delete(method):
    db.session.delete(method)


def flush():
    db.session.flush()
