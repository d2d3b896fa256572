"""Helpers of the address-book tests: the request body and direct reads of the table."""
import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Address

BODY = {"label": "Home", "first_name": "Jane", "last_name": "Doe", "phone": "555-0100", "line1": "123 Main St",
        "line2": "Apt 4B", "city": "New York", "state": "NY", "postal_code": "10001", "country": "USA"}
URL = "/api/users/addresses"


@pytest.fixture
def stored(app):
    """stored(user_id) -> the user's rows as dicts of (id, city, is_default_shipping, is_default_billing), by id."""
    def read(user_id):
        with app.app_context():
            rows = db.session.scalars(select(Address).where(Address.user_id == user_id).order_by(Address.id)).all()
            result = [{"id": row.id, "city": row.city, "shipping": row.is_default_shipping,
                       "billing": row.is_default_billing} for row in rows]
            db.session.remove()
        return result
    return read
