"""shipping_service.checkout_price: what the checkout charges for a method, or SHIPPING_UNAVAILABLE."""
from decimal import Decimal

import pytest

from app.errors import BadRequest
from app.extensions import db
from app.services import shipping_service
from tests.factories import make_shipping_method


@pytest.fixture
def methods(app):
    return {
        "standard": make_shipping_method(app, code="standard", price="5.99", free_over="50.00"),
        "express": make_shipping_method(app, code="express", price="14.99", countries=["CA", "US"]),
        "retired": make_shipping_method(app, code="retired", price="1.00", is_active=False),
    }


def checkout_price(app, code, country, subtotal):
    """(method id, method code, price), or the BadRequest raised."""
    with app.app_context():
        try:
            method, price = shipping_service.checkout_price(code, country, Decimal(subtotal))
            return method.id, method.code, price
        except BadRequest as error:
            return error
        finally:
            db.session.remove()


@pytest.mark.parametrize("code, country, subtotal, expected_code, price", [
    ("express", "US", "10.00", "express", Decimal("14.99")),
    ("EXPRESS", "usa", "10.00", "express", Decimal("14.99")),
    ("Express", "Canada", "999.00", "express", Decimal("14.99")),
    ("standard", "JP", "49.99", "standard", Decimal("5.99")),
    ("standard", "jpn", "50.00", "standard", Decimal("0.00")),
    ("standard", "Japan", "0", "standard", Decimal("5.99")),
])
def test_an_available_method_is_priced_for_the_subtotal(app, methods, code, country, subtotal, expected_code, price):
    assert checkout_price(app, code, country, subtotal) == (methods[expected_code], expected_code, price)


def test_usa_and_us_are_the_same_destination(app, methods):
    assert checkout_price(app, "express", "usa", "20.00") == checkout_price(app, "express", "US", "20.00")


@pytest.mark.parametrize("code, country, message", [
    ("nope", "US", "Shipping method 'nope' is not available for US"),
    ("retired", "US", "Shipping method 'retired' is not available for US"),
    ("express", "DE", "Shipping method 'express' is not available for DE"),
    ("express", "Germany", "Shipping method 'express' is not available for Germany"),
    ("standard", "Atlantis", "Shipping method 'standard' is not available for Atlantis"),
    ("", "US", "Shipping method '' is not available for US"),
    (None, "US", "Shipping method 'None' is not available for US"),
])
def test_an_unknown_inactive_or_elsewhere_method_is_shipping_unavailable(app, methods, code, country, message):
    error = checkout_price(app, code, country, "10.00")
    assert isinstance(error, BadRequest)
    assert (error.code, error.message) == ("SHIPPING_UNAVAILABLE", message)
