"""The catalog cache and stock: a sale retires only the stored answers that show or count what was sold."""
import os

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from app.extensions import db
from app.models.data_version import STOCK
from tests.factories import ADDRESS, make_category, make_product, make_variant_product

MIGRATIONS = os.path.join(os.path.dirname(__file__), "..", "..", "migrations")

LIST = "/api/products?per_page=100"


@pytest.fixture
def shop(app, catalog_version):
    category = make_category(app, name="Tools")
    return {"category": category,
            "hammer": make_product(app, category, name="Hammer", sku="HAM-1", stock=10),
            "saw": make_product(app, category, name="Saw", sku="SAW-1", stock=1)}


def checkout(client, actor, product_id, quantity=1, variant_id=None):
    body = {"product_id": product_id, "quantity": quantity}
    if variant_id is not None:
        body["variant_id"] = variant_id
    assert client.post("/api/cart/items", json=body, headers=actor.headers).status_code == 200
    response = client.post("/api/orders", json={"shipping_address": ADDRESS}, headers=actor.headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["order"]["id"]


def read_twice(client, path):
    first = client.get(path)
    assert first.status_code == 200 and client.get(path).get_data() == first.get_data()
    return first


def listed(client, path):
    return {p["name"]: p["stock_quantity"] for p in client.get(path).get_json()["products"]}


def test_a_sale_leaves_the_answers_that_do_not_show_what_was_sold(client, shop, customer, count_queries):
    saw = read_twice(client, f"/api/products/{shop['saw']}")
    categories = read_twice(client, "/api/categories")
    read_twice(client, f"/api/products/{shop['hammer']}")
    checkout(client, customer, shop["hammer"], 3)

    with count_queries() as statements:
        assert client.get(f"/api/products/{shop['saw']}").get_data() == saw.get_data()
    assert len(statements) == 1  # the versions and the saw's stock: served from the cache
    with count_queries() as statements:
        assert client.get("/api/categories").get_data() == categories.get_data()
    assert len(statements) == 1
    with count_queries() as statements:
        assert client.get(f"/api/products/{shop['hammer']}").get_json()["stock_quantity"] == 7
    assert len(statements) > 1  # rendered again: its stock changed


def test_every_stock_move_shows_in_the_lists_that_show_the_product(client, shop, customer, manager, admin):
    read_twice(client, LIST)
    order = checkout(client, customer, shop["hammer"], 2)
    assert listed(client, LIST) == {"Hammer": 8, "Saw": 1}
    assert client.post(f"/api/orders/{order}/cancel", headers=customer.headers).status_code == 200
    assert listed(client, LIST) == {"Hammer": 10, "Saw": 1}
    assert client.post(f"/api/products/{shop['hammer']}/stock-adjustments", headers=manager.headers,
                       json={"delta": -4, "reason": "count"}).status_code == 201
    assert listed(client, LIST) == {"Hammer": 6, "Saw": 1}
    order = checkout(client, customer, shop["saw"])
    assert listed(client, LIST) == {"Hammer": 6, "Saw": 0}
    assert client.post(f"/api/orders/{order}/refund", headers=admin.headers, json={}).status_code == 200
    assert listed(client, LIST) == {"Hammer": 6, "Saw": 1}


def test_a_stock_change_behind_the_versions_is_seen_by_the_next_hit(app, client, shop):
    """A hit compares the stock it shows with the rows themselves, not only with the versions."""
    read_twice(client, LIST)
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(text("UPDATE products SET stock_quantity = 42 WHERE id = :id"), {"id": shop["hammer"]})
    assert listed(client, LIST)["Hammer"] == 42
    assert client.get(f"/api/products/{shop['hammer']}").get_json()["stock_quantity"] == 42


def test_a_variant_sale_shows_in_its_product(app, client, shop, customer):
    shirt, (small, medium, _large) = make_variant_product(app, shop["category"], name="Shirt", stock=5)
    path = f"/api/products/{shirt}"
    read_twice(client, path)
    checkout(client, customer, shirt, 2, variant_id=medium)
    answer = client.get(path).get_json()
    assert answer["stock_quantity"] == 13
    assert {v["id"]: v["stock_quantity"] for v in answer["variants"]} == {small: 5, medium: 3, _large: 5}


def test_answers_filtered_or_counted_by_stock_follow_products_they_do_not_show(client, shop, customer):
    """Selling the saw's last unit moves it from the in-stock list into the sold-out one, which did not show it."""
    in_stock, sold_out = "/api/products?in_stock=true", "/api/products?in_stock=false"
    for path in (in_stock, sold_out, "/api/products/facets"):
        read_twice(client, path)
    assert listed(client, sold_out) == {}
    order = checkout(client, customer, shop["saw"])
    assert listed(client, in_stock) == {"Hammer": 10}
    assert listed(client, sold_out) == {"Saw": 0}
    assert client.get("/api/products/facets").get_json()["in_stock"] == 1
    assert client.get(f"{sold_out}&page=1").get_json()["total"] == 1
    assert client.post(f"/api/orders/{order}/cancel", headers=customer.headers).status_code == 200
    assert listed(client, sold_out) == {}
    assert client.get("/api/products/facets").get_json()["in_stock"] == 2


def _stock_row():
    return db.session.execute(text("SELECT version FROM data_versions WHERE id = :id"), {"id": STOCK}).scalar()


def test_the_migration_adds_the_stock_row_and_keeps_one_the_app_made(app, stock_version):
    with app.app_context():
        downgrade(directory=MIGRATIONS, revision="0014")
        try:
            db.session.commit()
            assert _stock_row() is None
            # New code served before the migration: its first stock move recreates the row, which the upgrade keeps.
            db.session.execute(text("INSERT INTO data_versions (id, version) VALUES (:id, 7)"), {"id": STOCK})
            db.session.commit()
        finally:
            upgrade(directory=MIGRATIONS)
        assert _stock_row() == 7
        downgrade(directory=MIGRATIONS, revision="0014")
        upgrade(directory=MIGRATIONS)
        assert _stock_row() > 7  # a time-based start, as every version row
        db.session.remove()


def test_a_variant_price_edit_changes_the_catalog_version_and_the_rolled_up_price(app, client, shop, manager,
                                                                                catalog_version, stock_version):
    """The rollup runs as a stock move; a price it changes comes with the variant's own write, a catalog change."""
    shirt, (small, medium, large) = make_variant_product(app, shop["category"], name="Shirt", price="20.00")
    path = f"/api/products/{shirt}"
    read_twice(client, path)
    catalog_before, stock_before = catalog_version(), stock_version()
    assert client.put(f"{path}/variants/{small}", headers=manager.headers, json={"price": 12.5}).status_code == 200
    assert catalog_version() == catalog_before + 1 and stock_version() == stock_before
    answer = client.get(path).get_json()
    assert answer["price"] == 12.5
    assert {v["id"]: v["price"] for v in answer["variants"]} == {small: 12.5, medium: 20.0, large: 20.0}
    assert listed(client, LIST)["Shirt"] == 15  # the rolled-up stock, unchanged
