"""Every change of a product's stock writes one ledger row in the change's own transaction."""
import pytest

from app.extensions import db
from app.models import Order, Product
from tests.factories import ORDER_BODY, make_category, make_product
from tests.stock.conftest import movements, stock_of


def test_a_checkout_writes_a_sale_per_line(app, client, customer, buy):
    first, second = make_product(app, stock=10), make_product(app, stock=3)
    order_id = buy(customer, (second, 3), (first, 2))
    assert movements(app) == [("sale", -2, 8, None, order_id, customer.id),
                              ("sale", -3, 0, None, order_id, customer.id)]


def test_a_refused_checkout_writes_nothing(app, client, customer):
    product_id = make_product(app, stock=2)
    client.post("/api/cart/items", json={"product_id": product_id, "quantity": 2}, headers=customer.headers)
    with app.app_context():
        db.session.get(Product, product_id).stock_quantity = 1  # sold elsewhere after it went into the cart
        db.session.commit()
        db.session.remove()
    response = client.post("/api/orders", json=ORDER_BODY, headers=customer.headers)
    assert response.status_code == 409
    assert movements(app) == [] and stock_of(app, product_id) == 1


@pytest.mark.parametrize("how", ["cancel", "refund", "status_refunded", "status_cancelled"])
def test_an_order_that_stops_holding_stock_returns_it_once(app, client, customer, admin, buy, how):
    first, second = make_product(app, stock=10), make_product(app, stock=10)
    order_id = buy(customer, (first, 2), (second, 1))
    client.post(f"/api/products/{first}/stock-adjustments", json={"delta": 5, "reason": "Delivery"},
                headers=admin.headers)  # the return adds to the stock as it is then, not as it was at the sale
    if how == "cancel":
        actor, response = customer, client.post(f"/api/orders/{order_id}/cancel", headers=customer.headers)
    elif how == "refund":
        actor, response = admin, client.post(f"/api/orders/{order_id}/refund", json={"reason": "Broken"},
                                             headers=admin.headers)
    else:
        actor, response = admin, client.put(f"/api/orders/{order_id}/status",
                                            json={"status": how.removeprefix("status_")}, headers=admin.headers)
    assert response.status_code == 200, response.get_json()
    assert movements(app, first) == [("sale", -2, 8, None, order_id, customer.id),
                                     ("adjustment", 5, 13, "Delivery", None, admin.id),
                                     ("return", 2, 15, None, order_id, actor.id)]
    assert movements(app, second) == [("sale", -1, 9, None, order_id, customer.id),
                                      ("return", 1, 10, None, order_id, actor.id)]
    assert (stock_of(app, first), stock_of(app, second)) == (15, 10)
    # A final order takes no second return.
    assert client.post(f"/api/orders/{order_id}/refund", json={}, headers=admin.headers).status_code == 409
    assert len(movements(app)) == 5


def test_moving_an_order_forward_writes_nothing(app, client, customer, manager, buy):
    product_id = make_product(app, stock=10)
    order_id = buy(customer, (product_id, 1))
    for status in ("confirmed", "processing", "shipped", "delivered"):
        assert client.put(f"/api/orders/{order_id}/status", json={"status": status},
                          headers=manager.headers).status_code == 200
    assert [row[0] for row in movements(app)] == ["sale"]


def test_deleting_an_order_that_held_stock_returns_it(app, client, customer, admin, buy):
    product_id = make_product(app, stock=10)
    order_id = buy(customer, (product_id, 4))
    with app.app_context():
        number = db.session.get(Order, order_id).order_number
        db.session.remove()
    assert client.delete(f"/api/orders/{order_id}", headers=admin.headers).status_code == 200
    # The order is gone, so the rows no longer point at it; the return's reason names it.
    assert movements(app) == [("sale", -4, 6, None, None, customer.id),
                              ("return", 4, 10, f"Order {number} deleted", None, admin.id)]
    assert stock_of(app, product_id) == 10


def test_deleting_a_cancelled_order_returns_nothing_more(app, client, customer, admin, buy):
    product_id = make_product(app, stock=10)
    order_id = buy(customer, (product_id, 4))
    client.post(f"/api/orders/{order_id}/cancel", headers=customer.headers)
    assert client.delete(f"/api/orders/{order_id}", headers=admin.headers).status_code == 200
    assert [row[:3] for row in movements(app)] == [("sale", -4, 6), ("return", 4, 10)]
    assert stock_of(app, product_id) == 10


def test_a_staff_edit_of_the_stock_is_an_edit_row(app, client, manager):
    product_id = make_product(app, stock=10)
    assert client.put(f"/api/products/{product_id}", json={"stock_quantity": 4},
                      headers=manager.headers).status_code == 200
    assert client.put(f"/api/products/{product_id}", json={"stock_quantity": 4, "name": "Same stock"},
                      headers=manager.headers).status_code == 200  # unchanged stock: no row
    assert client.put(f"/api/products/{product_id}", json={"stock_quantity": 25},
                      headers=manager.headers).status_code == 200
    assert movements(app) == [("edit", -6, 4, None, None, manager.id), ("edit", 21, 25, None, None, manager.id)]


def test_a_refused_edit_writes_no_row(app, client, manager):
    product_id = make_product(app, stock=10)
    response = client.put(f"/api/products/{product_id}", json={"stock_quantity": -1}, headers=manager.headers)
    assert response.status_code == 400
    response = client.put(f"/api/products/{product_id}", json={"stock_quantity": 3, "category_id": 999999},
                          headers=manager.headers)
    assert response.status_code == 400
    assert movements(app) == [] and stock_of(app, product_id) == 10


@pytest.mark.parametrize("stock, expected", [(12, [("initial", 12, 12, None, None)]), (0, [])])
def test_a_product_created_with_stock_starts_with_an_initial_row(app, client, manager, stock, expected):
    category = make_category(app)
    response = client.post("/api/products/add", json={"name": "Lamp", "sku": "LAMP-1", "price": 20,
                                                      "stock_quantity": stock, "category_id": category},
                           headers=manager.headers)
    assert response.status_code == 201
    product_id = response.get_json()["id"]
    assert movements(app, product_id) == [(*row, manager.id) for row in expected]


def test_the_deltas_sum_to_the_stock_change(app, client, customer, manager, admin, buy):
    category = make_category(app)
    product_id = client.post("/api/products/add", json={"name": "Mug", "sku": "MUG-1", "price": 5,
                                                        "stock_quantity": 20, "category_id": category},
                             headers=manager.headers).get_json()["id"]
    buy(customer, (product_id, 3))
    cancelled = buy(customer, (product_id, 2))
    client.post(f"/api/orders/{cancelled}/cancel", headers=customer.headers)
    client.post(f"/api/products/{product_id}/stock-adjustments", json={"delta": -7, "reason": "Lost"},
                headers=admin.headers)
    client.put(f"/api/products/{product_id}", json={"stock_quantity": 30}, headers=manager.headers)
    rows = movements(app, product_id)
    assert sum(row[1] for row in rows) == stock_of(app, product_id) == 30
    assert [row[2] for row in rows] == [20, 17, 15, 17, 10, 30]
