"""Cart test helpers: products in stock and a way to put them in a cart."""
import pytest

from app.extensions import db
from app.models import Cart, CartItem, Product
from tests.factories import make_product

CART_KEYS = {"id", "customer_id", "total_items", "subtotal", "created_at", "updated_at", "items"}
CART_ITEM_KEYS = {"id", "cart_id", "product_id", "product", "quantity", "unit_price", "total_price",
                  "created_at", "updated_at"}


@pytest.fixture
def product_id(app):
    return make_product(app, price="19.99", stock=10, name="Elite Laptop")


@pytest.fixture
def add_to_cart(client):
    def add(actor, product_id, quantity=1):
        return client.post("/api/cart/items", json={"product_id": product_id, "quantity": quantity},
                           headers=actor.headers)
    return add


@pytest.fixture
def cart_lines(app):
    """cart_lines(customer_id) -> {product_id: quantity} straight from the database."""
    def lines(customer_id):
        with app.app_context():
            rows = db.session.execute(
                db.select(CartItem.product_id, CartItem.quantity).join(Cart).where(Cart.customer_id == customer_id)
            ).all()
            db.session.remove()
        return dict(rows)
    return lines


@pytest.fixture
def set_product(app):
    """set_product(product_id, price=..., stock_quantity=..., is_active=...) edits a product directly."""
    def update(product_id, **values):
        with app.app_context():
            db.session.execute(db.update(Product).where(Product.id == product_id).values(**values))
            db.session.commit()
            db.session.remove()
    return update
