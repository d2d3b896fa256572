"""No oversell of a variant: many buyers at once on one size, on SQLite and PostgreSQL alike; other sizes untouched."""
from collections import Counter

from app.extensions import db
from app.models import Order, OrderItem, Product, ProductVariant, StockMovement
from tests.concurrency import at_once
from tests.factories import ORDER_BODY, make_user, make_variant_product


def shirt(app):
    """S (7 units), M (5 units), L (9 units): returns (product id, {size: variant id})."""
    product_id, (small, medium, large) = make_variant_product(app, name="Race Shirt", variants=[
        {"size": "S", "stock": 7}, {"size": "M", "stock": 5}, {"size": "L", "stock": 9}])
    return product_id, {"S": small, "M": medium, "L": large}


def race(app, product_id, carts):
    """Each buyer fills their cart ([(variant id, quantity)]), then all check out at once; returns the responses."""
    buyers = [make_user(app, "customer") for _ in carts]
    for buyer, lines in zip(buyers, carts):
        client = app.test_client()
        for variant_id, quantity in lines:
            response = client.post("/api/cart/items", json={"product_id": product_id, "variant_id": variant_id,
                                                            "quantity": quantity}, headers=buyer.headers)
            assert response.status_code == 200, response.get_json()
    return at_once(app, *[lambda client, buyer=buyer: client.post("/api/orders", json=ORDER_BODY,
                                                                    headers=buyer.headers) for buyer in buyers])


def state(app, product_id, sizes):
    """(product stock, {size: stock}, {variant id: units sold}, orders, [(variant id, delta, after)] of the sales)."""
    with app.app_context():
        product = db.session.get(Product, product_id).stock_quantity
        variants = {size: db.session.get(ProductVariant, variant_id).stock_quantity
                    for size, variant_id in sizes.items()}
        sold = dict(db.session.execute(db.select(OrderItem.variant_id, db.func.sum(OrderItem.quantity))
                                       .group_by(OrderItem.variant_id)).all())
        orders = db.session.scalar(db.select(db.func.count(Order.id)))
        sales = [(m.variant_id, m.delta, m.quantity_after) for m in db.session.scalars(
            db.select(StockMovement).where(StockMovement.kind == "sale").order_by(StockMovement.quantity_after.desc()))]
        db.session.remove()
    return product, variants, sold, orders, sales


def test_twenty_buyers_of_the_last_five_m(app):
    product_id, sizes = shirt(app)
    responses = race(app, product_id, [[(sizes["M"], 1)]] * 20)
    assert sorted(response.status_code for response in responses) == [201] * 5 + [409] * 15
    assert {response.get_json()["code"] for response in responses if response.status_code == 409} == {
        "INSUFFICIENT_STOCK"}
    product, variants, sold, orders, sales = state(app, product_id, sizes)
    assert (product, variants, sold, orders) == (16, {"S": 7, "M": 0, "L": 9}, {sizes["M"]: 5}, 5)
    # five sale rows for M, each with the stock it left: 4, 3, 2, 1, 0
    assert sales == [(sizes["M"], -1, 4), (sizes["M"], -1, 3), (sizes["M"], -1, 2), (sizes["M"], -1, 1),
                     (sizes["M"], -1, 0)]


def test_ten_buyers_of_mixed_sizes(app):
    product_id, sizes = shirt(app)
    s, m, l = sizes["S"], sizes["M"], sizes["L"]
    # S: four buyers of 2 (8 of 7: three win); M: three buyers of 2 (6 of 5: two win); L: three of 3 (9 of 9: all)
    carts = [[(s, 2)], [(m, 2)], [(l, 3)], [(s, 2)], [(m, 2)], [(l, 3)], [(s, 2)], [(m, 2)], [(l, 3)], [(s, 2)]]
    responses = race(app, product_id, carts)
    won = Counter(cart[0][0] for cart, response in zip(carts, responses) if response.status_code == 201)
    assert sorted(response.status_code for response in responses) == [201] * 8 + [409] * 2
    assert won == {s: 3, m: 2, l: 3}
    product, variants, sold, orders, _ = state(app, product_id, sizes)
    assert (product, variants, sold, orders) == (2, {"S": 1, "M": 1, "L": 0}, {s: 6, m: 4, l: 9}, 8)


def test_buyers_of_two_sizes_in_either_order_never_deadlock_or_oversell(app):
    product_id, sizes = shirt(app)
    s, m = sizes["S"], sizes["M"]
    # Half put S first, half M first: the variants are still locked in id order. M (5 units) decides: five win.
    carts = [[(s, 1), (m, 1)] if n % 2 else [(m, 1), (s, 1)] for n in range(12)]
    responses = race(app, product_id, carts)
    assert sorted(response.status_code for response in responses) == [201] * 5 + [409] * 7
    product, variants, sold, orders, _ = state(app, product_id, sizes)
    assert (product, variants, sold, orders) == (11, {"S": 2, "M": 0, "L": 9}, {s: 5, m: 5}, 5)
