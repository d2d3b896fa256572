"""User-domain fixtures: key sets of the [COMPAT] shapes and an order builder."""
from decimal import Decimal

import pytest

from app.extensions import db
from app.models import Order

USER_KEYS = {"id", "email", "username", "role", "is_active", "created_at", "updated_at"}
CUSTOMER_PROFILE_KEYS = {"id", "user_id", "first_name", "last_name", "full_name", "phone", "address",
                         "created_at", "updated_at"}
EMPLOYEE_PROFILE_KEYS = CUSTOMER_PROFILE_KEYS | {"employee_id", "hire_date", "shift_start", "shift_end", "salary"}
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
