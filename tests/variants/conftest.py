"""Helpers of the variant tests."""
from app.extensions import db
from app.models import Product, ProductVariant


def stocks(app, product_id, variant_ids):
    """(the product's stock, [each variant's stock])."""
    with app.app_context():
        product = db.session.get(Product, product_id).stock_quantity
        variants = [db.session.get(ProductVariant, variant_id).stock_quantity for variant_id in variant_ids]
        db.session.remove()
    return product, variants
