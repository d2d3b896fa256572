"""Shipping method helpers: the rows and audit entries as stored, and answers with exact money."""
import json
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEntry, ShippingMethod

METHOD_KEYS = {"id", "name", "code", "price", "free_over", "countries", "is_active", "sort_order", "created_at",
               "updated_at"}
BODY = {"name": "Standard shipping", "code": "standard", "price": "5.99"}


def decimal_json(response):
    """The response body with JSON numbers parsed as Decimal (exact money)."""
    return json.loads(response.get_data(as_text=True), parse_float=Decimal)


def stored_methods(app):
    """(code, name, price, free_over, countries, is_active, sort_order) of every row, by id."""
    with app.app_context():
        rows = [(m.code, m.name, m.price, m.free_over, m.countries, m.is_active, m.sort_order)
                for m in db.session.scalars(select(ShippingMethod).order_by(ShippingMethod.id))]
        db.session.remove()
    return rows


def method_count(app):
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(ShippingMethod))
        db.session.remove()
    return count


def audit_entries(app):
    """(actor_id, action, target_type, target_id, changes) of the stored entries, oldest first."""
    with app.app_context():
        rows = [(e.actor_id, e.action, e.target_type, e.target_id, e.changes)
                for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
        db.session.remove()
    return rows


@pytest.fixture
def create(client, admin):
    """create(**fields) -> the answer of an admin's POST of BODY with fields changed."""
    def post(**fields):
        return client.post("/api/shipping-methods", headers=admin.headers, json={**BODY, **fields})
    return post
