"""pricing.discount_amount: half-up to the cent, never more than the subtotal (values written out)."""
from decimal import Decimal

import pytest

from app.models import Discount
from app.pricing import discount_amount


@pytest.mark.parametrize(("kind", "value", "subtotal", "expected"), [
    ("percent", "10", "19.99", "2.00"),
    ("percent", "15", "0.10", "0.02"),  # 0.015 rounds half up
    ("percent", "10", "0.05", "0.01"),  # 0.005 rounds half up
    ("percent", "10", "0.04", "0.00"),
    ("percent", "12.5", "10.00", "1.25"),
    ("percent", "33.33", "100.00", "33.33"),
    ("percent", "100", "12.34", "12.34"),
    ("fixed", "5.00", "30.00", "5.00"),
    ("fixed", "50.00", "30.00", "30.00"),
    ("fixed", "30.00", "30.00", "30.00"),
    ("fixed", "0.01", "0.00", "0.00"),
])
def test_discount_amount(kind, value, subtotal, expected):
    amount = discount_amount(Discount(kind=kind, value=Decimal(value)), Decimal(subtotal))
    assert str(amount) == expected


def test_no_discount_takes_nothing():
    assert str(discount_amount(None, Decimal("19.99"))) == "0.00"
