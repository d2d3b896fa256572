"""User-domain fixtures: the user page keys and an order builder."""
from decimal import Decimal

import pytest

from app.extensions import db
from app.models import Order

PAGE_KEYS = {"total", "pages", "current_page", "per_page", "has_next", "has_prev"}


@pytest.fixture
def place_order(app):
    """place_order(customer_profile_id) stores an order directly and returns its id."""
    counter = iter(range(1, 10_000))

    def build(customer_id):
        with app.app_context():
            order = Order(order_number=f"ORD-T{next(counter):05d}", customer_id=customer_id,
                          subtotal=Decimal("10.00"), total=Decimal("21.00"),
                          shipping_address_line1="1 Main St", shipping_city="Town", shipping_state="ST",
                          shipping_postal_code="12345", shipping_country="US")
            db.session.add(order)
            db.session.commit()
            order_id = order.id
            db.session.remove()
        return order_id

    return build
