"""GET /api/cart (one Core statement, hand-written dump) answers exactly what CartSchema dumps."""
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Cart, CartItem
from app.repositories import cart_repository
from app.schemas.cart import CartSchema, dump_cart
from tests.factories import make_category, make_product

PRODUCTS = [
    {},
    {"price": "19.99", "compare_price": Decimal("29.99"), "description": "Long text", "barcode": "123456",
     "weight": Decimal("1.50"), "dimensions": "1x2x3", "image_url": "/static/uploads/products/a.png",
     "images": ["/static/uploads/products/b.png"], "is_featured": True},
    {"price": "0.01", "compare_price": Decimal("99999999.99"), "stock": 0, "image_url": "undefined"},
    {"price": "3.00", "compare_price": Decimal("7.00"), "image_url": "null", "images": []},
    {"price": "99999999.99"},
]


def schema_dump(app, customer_id):
    """CartSchema's dump of the ORM-loaded cart, as JSON text."""
    with app.app_context():
        cart = cart_repository.get_for_customer(customer_id)
        text = app.json.dumps(CartSchema().dump(cart))
        db.session.remove()
    return text


@pytest.fixture
def filled_cart(app, client, customer):
    category = make_category(app)
    ids = [make_product(app, category, **{"stock": 500, **fields}) for fields in PRODUCTS]
    for n, product_id in enumerate(ids):
        if PRODUCTS[n].get("stock") != 0:
            assert client.post("/api/cart/items", json={"product_id": product_id, "quantity": n + 1},
                               headers=customer.headers).status_code == 200
    with app.app_context():
        # a line whose product has run out since: the cart still shows it
        cart_id = db.session.scalar(select(Cart.id).where(Cart.customer_id == customer.customer_id))
        db.session.add(CartItem(cart_id=cart_id, product_id=ids[2], quantity=3))
        db.session.commit()
        db.session.remove()
    return ids


def test_cart_response_is_the_schema_dump(app, client, customer, filled_cart):
    response = client.get("/api/cart", headers=customer.headers)
    assert response.status_code == 200 and len(response.get_json()["items"]) == 5
    assert response.get_data(as_text=True) == schema_dump(app, customer.customer_id)


def test_dump_cart_equals_the_schema_dump_on_orm_objects(app, customer, filled_cart):
    with app.app_context():
        cart = cart_repository.get_for_customer(customer.customer_id)
        fast, slow = dump_cart(cart), CartSchema().dump(cart)
        assert list(fast) == list(slow) and list(fast["items"][0]) == list(slow["items"][0])
        assert app.json.dumps(fast) == app.json.dumps(slow)
        db.session.remove()


def test_emptied_cart_is_the_schema_dump(app, client, customer, filled_cart):
    assert client.post("/api/cart/clear", headers=customer.headers).status_code == 200
    response = client.get("/api/cart", headers=customer.headers)
    assert response.get_json()["items"] == [] and response.get_json()["subtotal"] == 0
    assert response.get_data(as_text=True) == schema_dump(app, customer.customer_id)


def test_no_cart_yet(client, customer):
    assert client.get("/api/cart", headers=customer.headers).get_json() == {"message": "Cart is empty", "cart": None}


def test_withdrawn_product_still_shown(app, client, customer, filled_cart):
    with app.app_context():
        from app.models import Product
        db.session.get(Product, filled_cart[1]).is_active = False
        db.session.commit()
        db.session.remove()
    response = client.get("/api/cart", headers=customer.headers)
    assert [line["product"]["is_active"] for line in response.get_json()["items"]].count(False) == 1
    assert response.get_data(as_text=True) == schema_dump(app, customer.customer_id)
