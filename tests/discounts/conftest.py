"""Discount test helpers: the rules and the use counter called as the cart and checkout call them."""
import json
from datetime import datetime, timezone
from decimal import Decimal

import pytest

from app.errors import BadRequest
from app.extensions import db
from app.models import Discount
from app.services import discount_service

NOW = datetime(2026, 6, 1, 12, 0, 0, tzinfo=timezone.utc)


def _refusal(call):
    """None when call() passes, else the code of the BadRequest it raised."""
    try:
        call()
    except BadRequest as error:
        return error.code
    return None


@pytest.fixture
def in_app(app):
    """in_app(fn) runs fn() in a fresh app context and returns its result."""
    def run(fn):
        with app.app_context():
            try:
                return fn()
            finally:
                db.session.remove()
    return run


@pytest.fixture
def refusal(in_app):
    """refusal(discount_id, subtotal, customer_id=None, at=NOW) -> None, or the code check() refuses with."""
    def run(discount_id, subtotal, customer_id=None, at=NOW):
        return in_app(lambda: _refusal(lambda: discount_service.check(
            db.session.get(Discount, discount_id), Decimal(subtotal), customer_id, at)))
    return run


@pytest.fixture
def applied(in_app):
    """applied(code, subtotal, customer_id=None, at=NOW) -> the id of the discount found, or the refusal code."""
    def run(code, subtotal, customer_id=None, at=NOW):
        def call():
            try:
                return discount_service.applicable(code, Decimal(subtotal), customer_id, at).id
            except BadRequest as error:
                return error.code
        return in_app(call)
    return run


@pytest.fixture
def discount_row(in_app):
    """discount_row(discount_id) -> {column: value} of the stored row, None when it is gone."""
    def read(discount_id):
        def row():
            discount = db.session.get(Discount, discount_id)
            if discount is None:
                return None
            return {column.name: getattr(discount, column.name) for column in Discount.__table__.columns}
        return in_app(row)
    return read


def decimal_json(response):
    """The response body with JSON numbers parsed as Decimal (exact money: 10.00 stays "10.00")."""
    return json.loads(response.get_data(as_text=True), parse_float=Decimal)


@pytest.fixture
def discounts_stored(in_app):
    """discounts_stored() -> the number of discount rows."""
    return lambda: in_app(lambda: db.session.scalar(db.select(db.func.count(Discount.id))))
