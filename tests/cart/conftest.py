"""Cart test helpers: products in stock, guest carts and ways to put them in a cart."""
import hashlib
from types import SimpleNamespace

import pytest

from app.extensions import db
from app.models import Cart, CartItem, Product
from tests.factories import make_product

COMPAT_CART_KEYS = {"id", "customer_id", "total_items", "subtotal", "created_at", "updated_at", "items"}
CART_KEYS = COMPAT_CART_KEYS | {"discount_code", "discount_amount", "tax", "shipping_cost", "total"}
CART_ITEM_KEYS = {"id", "cart_id", "product_id", "product", "quantity", "unit_price", "total_price",
                  "created_at", "updated_at"} | {"variant_id", "variant_sku", "variant_options"}  # added keys (#16)


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


@pytest.fixture
def guest(client):
    """guest() -> a new guest cart's token and its X-Cart-Token headers."""
    def create():
        response = client.post("/api/cart/guest")
        assert response.status_code == 201, response.get_json()
        token = response.get_json()["cart_token"]
        return SimpleNamespace(token=token, headers={"X-Cart-Token": token})
    return create


@pytest.fixture
def guest_lines(app):
    """guest_lines(token) -> {product_id: quantity} of the token's guest cart, or None when it has none."""
    def lines(token):
        token_hash = hashlib.sha256(token.encode()).hexdigest()
        with app.app_context():
            cart_id = db.session.scalar(db.select(Cart.id).where(Cart.guest_token_hash == token_hash))
            rows = db.session.execute(db.select(CartItem.product_id, CartItem.quantity)
                                      .where(CartItem.cart_id == cart_id)).all()
            db.session.remove()
        return None if cart_id is None else dict(rows)
    return lines


@pytest.fixture
def add_to(client):
    """add_to(headers, product_id, quantity=1): add to the cart of any headers (bearer or X-Cart-Token)."""
    def add(headers, product_id, quantity=1):
        response = client.post("/api/cart/items", json={"product_id": product_id, "quantity": quantity},
                               headers=headers)
        assert response.status_code == 200, response.get_json()
        return response.get_json()["cart"]
    return add
