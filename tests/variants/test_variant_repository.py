"""The variant stock moves and the rollup onto the product, on the real database."""
from decimal import Decimal

from app.extensions import db
from app.models import Product, ProductVariant
from app.repositories import variant_repository
from tests.factories import make_variant_product


def product_row(app, product_id):
    with app.app_context():
        product = db.session.get(Product, product_id)
        row = (product.stock_quantity, product.price)
        db.session.remove()
    return row


def variant_stock(app, variant_ids):
    with app.app_context():
        stock = [db.session.get(ProductVariant, variant_id).stock_quantity for variant_id in variant_ids]
        db.session.remove()
    return stock


def test_the_product_shows_the_sum_of_active_stock_and_the_lowest_active_price(app):
    product_id, _ = make_variant_product(app, variants=[
        {"size": "S", "stock": 3, "price": "19.00"}, {"size": "M", "stock": 4, "price": "21.50"},
        {"size": "L", "stock": 50, "price": "5.00", "is_active": False}])
    assert product_row(app, product_id) == (7, Decimal("19.00"))


def test_a_product_without_active_variants_keeps_its_price_and_has_no_stock(app):
    product_id, _ = make_variant_product(app, price="12.00", variants=[{"size": "S", "stock": 9, "is_active": False}])
    assert product_row(app, product_id) == (0, Decimal("12.00"))


def test_take_moves_every_variant_or_none(app):
    _, (small, medium, large) = make_variant_product(app, stock=5)
    with app.app_context():
        variant_repository.lock([small, medium])
        assert variant_repository.take({small: 5, medium: 6}) is False  # medium has 5: the UPDATE matches one row
        db.session.rollback()
        variant_repository.lock([small, medium])
        assert variant_repository.take({small: 5, medium: 2}) is True
        db.session.commit()
    assert variant_stock(app, [small, medium, large]) == [0, 3, 5]


def test_give_back_returns_the_stock_after_and_the_rollup_follows(app):
    product_id, (small, medium, _) = make_variant_product(app, stock=5)
    with app.app_context():
        assert variant_repository.give_back({medium: 2, small: 1}) == {small: 6, medium: 7}
        assert variant_repository.roll_up([product_id]) == {product_id: 18}
        db.session.commit()
    assert product_row(app, product_id)[0] == 18
