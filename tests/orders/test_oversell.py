"""No oversell: many buyers at once on scarce stock, on SQLite and PostgreSQL alike."""
from app.extensions import db
from app.models import Order, OrderItem
from tests.concurrency import at_once
from tests.factories import ORDER_BODY, make_product, make_user


def _race(app, buyers, carts):
    """Each buyer fills their cart, then all check out at the same instant; returns the statuses."""
    for buyer, lines in zip(buyers, carts):
        client = app.test_client()
        for product_id, quantity in lines:
            assert client.post("/api/cart/items", json={"product_id": product_id, "quantity": quantity},
                               headers=buyer.headers).status_code == 200
    responses = at_once(app, *[lambda client, buyer=buyer: client.post("/api/orders", json=ORDER_BODY,
                                                                         headers=buyer.headers) for buyer in buyers])
    return [response.status_code for response in responses]


def _stock_and_sold(app, product_id):
    with app.app_context():
        from app.models import Product
        stock = db.session.get(Product, product_id).stock_quantity
        sold = db.session.scalar(db.select(db.func.coalesce(db.func.sum(OrderItem.quantity), 0))
                                 .where(OrderItem.product_id == product_id))
        orders = db.session.scalar(db.select(db.func.count(Order.id)))
        db.session.remove()
    return stock, sold, orders


def test_twenty_buyers_five_units(app):
    product_id = make_product(app, stock=5)
    buyers = [make_user(app, "customer") for _ in range(20)]
    statuses = _race(app, buyers, [[(product_id, 1)]] * 20)
    assert sorted(statuses) == [201] * 5 + [409] * 15
    assert _stock_and_sold(app, product_id) == (0, 5, 5)


def test_buyers_of_two_products_never_deadlock_or_oversell(app):
    first, second = make_product(app, stock=5), make_product(app, stock=5)
    buyers = [make_user(app, "customer") for _ in range(12)]
    # Half put the products in the cart in one order, half in the other: stock is still taken in id order.
    carts = [[(first, 1), (second, 1)] if n % 2 else [(second, 1), (first, 1)] for n in range(12)]
    statuses = _race(app, buyers, carts)
    assert sorted(statuses) == [201] * 5 + [409] * 7
    assert _stock_and_sold(app, first) == (0, 5, 5)
    assert _stock_and_sold(app, second)[:2] == (0, 5)
