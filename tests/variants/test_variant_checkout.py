"""Checkout of variant lines: the variant's stock and price, the order lines' copy, the ledger, one stock event per
product, the refusals, and the statement count (a plain checkout's + 2)."""
from decimal import Decimal

import pytest

from app.extensions import db
from app.models import Cart, CartItem, Order, OutboxEvent, Product, ProductVariant, StockMovement
from tests.factories import ORDER_BODY, make_product, make_variant_product
from tests.orders.conftest import decimal_json
from tests.variants.conftest import stocks


@pytest.fixture
def shirt(app):
    """S (7 units, 19.00), M (5 units, 21.50), L (9 units, 23.00); returns (id, [S, M, L])."""
    return make_variant_product(app, name="Oxford Shirt", sku="OXF", variants=[
        {"size": "S", "stock": 7, "price": "19.00", "sku": "OXF-S"},
        {"size": "M", "stock": 5, "price": "21.50", "sku": "OXF-M"},
        {"size": "L", "stock": 9, "price": "23.00", "sku": "OXF-L"}])


def fill(client, actor, *lines):
    for product_id, variant_id, quantity in lines:
        body = {"product_id": product_id, "quantity": quantity}
        if variant_id is not None:
            body["variant_id"] = variant_id
        response = client.post("/api/cart/items", json=body, headers=actor.headers)
        assert response.status_code == 200, response.get_json()


def ledger(app):
    with app.app_context():
        rows = [(m.product_id, m.variant_id, m.kind, m.delta, m.quantity_after)
                for m in db.session.scalars(db.select(StockMovement).order_by(StockMovement.id))]
        db.session.remove()
    return rows


def counts(app):
    """(orders, cart lines) in the database."""
    with app.app_context():
        found = (db.session.scalar(db.select(db.func.count(Order.id))),
                 db.session.scalar(db.select(db.func.count(CartItem.id))))
        db.session.remove()
    return found


def test_a_variant_checkout_takes_the_variants_stock_and_copies_the_variant(app, client, customer, shirt):
    product_id, (small, medium, large) = shirt
    plain_id = make_product(app, price="5.00", stock=4, name="Socks", sku="SOCK")
    fill(client, customer, (plain_id, None, 1), (product_id, medium, 1), (product_id, small, 2))
    response = client.post("/api/orders", json=ORDER_BODY, headers=customer.headers)
    assert response.status_code == 201, response.get_json()
    order = decimal_json(response)["order"]
    # lines by (product_id, variant_id): the shirt's S (its id is lower) and M, then the socks
    assert [(item["product_id"], item["variant_id"], item["variant_sku"], item["variant_options"], item["product_sku"],
             item["unit_price"], item["quantity"], item["total_price"]) for item in order["items"]] == [
        (product_id, small, "OXF-S", "S", "OXF", Decimal("19.00"), 2, Decimal("38.00")),
        (product_id, medium, "OXF-M", "M", "OXF", Decimal("21.50"), 1, Decimal("21.50")),
        (plain_id, None, None, None, "SOCK", Decimal("5.00"), 1, Decimal("5.00"))]
    assert (order["subtotal"], order["tax"], order["shipping_cost"], order["total"]) == (
        Decimal("64.50"), Decimal("6.45"), Decimal("10.00"), Decimal("80.95"))
    assert stocks(app, product_id, [small, medium, large]) == (18, [5, 4, 9])
    assert stocks(app, plain_id, [])[0] == 3
    assert counts(app) == (1, 0)


def test_the_ledger_has_a_sale_row_per_line_with_the_variants_stock_after(app, client, customer, shirt):
    product_id, (small, medium, _) = shirt
    plain_id = make_product(app, stock=4)
    fill(client, customer, (product_id, medium, 2), (plain_id, None, 3), (product_id, small, 1))
    assert client.post("/api/orders", json=ORDER_BODY, headers=customer.headers).status_code == 201
    assert ledger(app) == [(product_id, small, "sale", -1, 6), (product_id, medium, "sale", -2, 3),
                           (plain_id, None, "sale", -3, 1)]


def test_one_stock_event_per_product_with_its_before_and_after(app, client, customer):
    # 8 units in two sizes; buying 2 of each takes the product from 8 to 4, across the threshold (5) once. One
    # event per line would see 8 -> 6 twice and say nothing.
    product_id, (small, medium) = make_variant_product(app, variants=[{"size": "S", "stock": 4},
                                                                      {"size": "M", "stock": 4}],
                                                       options=[{"name": "size", "values": ["S", "M"]}])
    fill(client, customer, (product_id, small, 2), (product_id, medium, 2))
    assert client.post("/api/orders", json=ORDER_BODY, headers=customer.headers).status_code == 201
    with app.app_context():
        payloads = [event.payload for event in db.session.scalars(
            db.select(OutboxEvent).where(OutboxEvent.type == "stock.low"))]
        db.session.remove()
    assert [(p["product"]["id"], p["product"]["stock_quantity"], p["threshold"]) for p in payloads] == [
        (product_id, 4, 5)]


def test_not_enough_of_the_variant_is_409_and_changes_nothing(app, client, customer, shirt):
    product_id, (small, medium, large) = shirt
    fill(client, customer, (product_id, small, 1), (product_id, medium, 4))
    with app.app_context():
        db.session.execute(db.update(ProductVariant).where(ProductVariant.id == medium).values(stock_quantity=3))
        db.session.commit()
        db.session.remove()
    response = client.post("/api/orders", json=ORDER_BODY, headers=customer.headers)
    assert response.status_code == 409
    body = response.get_json()
    assert (body["code"], body["error"], body["product_id"], body["variant_id"]) == (
        "INSUFFICIENT_STOCK", "Insufficient stock for Oxford Shirt (M)", product_id, medium)
    # the product's stock still shows 21: the edit above went around the rollup; nothing was taken
    assert stocks(app, product_id, [small, medium, large]) == (21, [7, 3, 9])
    assert counts(app) == (0, 2) and ledger(app) == []


def test_an_inactive_variant_is_409_variant_unavailable(app, client, customer, shirt):
    product_id, (small, medium, _) = shirt
    fill(client, customer, (product_id, small, 1), (product_id, medium, 1))
    with app.app_context():
        db.session.execute(db.update(ProductVariant).where(ProductVariant.id == small).values(is_active=False))
        db.session.commit()
        db.session.remove()
    response = client.post("/api/orders", json=ORDER_BODY, headers=customer.headers)
    assert response.status_code == 409
    body = response.get_json()
    assert (body["code"], body["error"], body["product_id"], body["variant_id"]) == (
        "VARIANT_UNAVAILABLE", "Product 'Oxford Shirt (S)' is no longer available", product_id, small)
    assert counts(app) == (0, 2)


def test_a_line_without_variant_of_a_product_that_now_has_options_is_400(app, client, customer):
    product_id = make_product(app, stock=5, name="Plain Tee")
    fill(client, customer, (product_id, None, 1))
    with app.app_context():
        db.session.get(Product, product_id).options = [{"name": "size", "values": ["S"]}]
        db.session.commit()
        db.session.remove()
    response = client.post("/api/orders", json=ORDER_BODY, headers=customer.headers)
    assert response.status_code == 400
    body = response.get_json()
    assert (body["code"], body["error"], body["product_id"]) == (
        "VARIANT_REQUIRED", "Choose one of the variants of 'Plain Tee'", product_id)
    assert counts(app) == (0, 1) and stocks(app, product_id, [])[0] == 5


def test_an_inactive_product_is_refused_before_its_variants(app, client, customer, shirt):
    product_id, (small, _, _) = shirt
    fill(client, customer, (product_id, small, 1))
    with app.app_context():
        db.session.execute(db.update(Product).where(Product.id == product_id).values(is_active=False))
        db.session.commit()
        db.session.remove()
    response = client.post("/api/orders", json=ORDER_BODY, headers=customer.headers)
    assert response.status_code == 409 and response.get_json()["code"] == "PRODUCT_UNAVAILABLE"


def line_inserts(app, lines):
    """As tests/perf/test_write_counts.py: one INSERT of many rows on PostgreSQL, one per row on SQLite."""
    with app.app_context():
        return 1 if db.engine.dialect.name == "postgresql" else lines


@pytest.mark.parametrize("variant_lines, plain_lines", [(1, 0), (3, 0), (2, 2)])
def test_a_variant_checkout_costs_two_statements_more(app, client, customer, count_queries, catalog_version,
                                                      variant_lines, plain_lines):
    product_id, variant_ids = make_variant_product(app, stock=20)
    plain = [make_product(app, stock=20) for _ in range(plain_lines)]
    fill(client, customer, *[(product_id, variant_id, 1) for variant_id in variant_ids[:variant_lines]],
         *[(plain_id, None, 1) for plain_id in plain])
    with count_queries() as executed:
        assert client.post("/api/orders", json={"shipping_address": ORDER_BODY["shipping_address"]},
                           headers=customer.headers).status_code == 201
    lines = variant_lines + plain_lines
    # a plain checkout (tests/perf/test_write_counts.py): 10, its order lines and its ledger rows; + 2: lock the
    # variants, take their stock (one UPDATE whatever their number)
    assert len(executed) == 10 + line_inserts(app, lines) + line_inserts(app, lines) + 2


def test_a_checkout_leaves_no_cart_line_of_the_variant(app, client, customer, shirt):
    product_id, (small, _, _) = shirt
    fill(client, customer, (product_id, small, 1))
    assert client.post("/api/orders", json=ORDER_BODY, headers=customer.headers).status_code == 201
    with app.app_context():
        cart_id = db.session.scalar(db.select(Cart.id).where(Cart.customer_id == customer.customer_id))
        db.session.remove()
    assert cart_id is not None and counts(app) == (1, 0)
