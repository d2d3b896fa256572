"""The seed's shipping methods: three, once, whatever the reruns."""
from decimal import Decimal

from app.extensions import db
from app.seed.shipping import seed_shipping_methods
from tests.shipping.conftest import stored_methods

SEEDED = [
    ("standard", "Standard shipping", Decimal("5.99"), Decimal("50.00"), [], True, 1),
    ("express", "Express shipping", Decimal("14.99"), None, ["CA", "DE", "FR", "GB", "US"], True, 2),
    ("pickup", "Store pickup", Decimal("0.00"), None, ["US"], True, 3),
]


def _seed(app):
    logged = []
    with app.app_context():
        seed_shipping_methods(logged.append)
        db.session.remove()
    return logged


def test_the_seed_adds_three_methods_once(app):
    assert _seed(app) == ["shipping methods: 3"]
    assert stored_methods(app) == SEEDED
    _seed(app)
    assert stored_methods(app) == SEEDED


def test_flask_seed_loads_them(runner, app):
    assert runner.invoke(args=["seed"]).exit_code == 0
    assert stored_methods(app) == SEEDED
