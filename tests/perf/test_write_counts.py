"""Every write route runs a fixed number of SQL statements whatever the size of the cart or the order.

SQLite cannot tell which new row id belongs to which row of a multi-row INSERT, so SQLAlchemy inserts order lines
and stock ledger rows one by one there (one statement each); PostgreSQL inserts them in one statement.
"""
import pytest

from tests.factories import ADDRESS, make_category, make_product


@pytest.fixture
def products(app, catalog_version):
    """Six products, in a database with its version rows (as migrated)."""
    category = make_category(app)
    return [make_product(app, category, stock=100) for _ in range(6)]


@pytest.fixture
def statements(client, count_queries):
    """statements(method, path, actor, json=None) -> the number of statements of one request (which must succeed)."""
    def run(method, path, actor, json=None):
        with count_queries() as executed:
            response = getattr(client, method)(path, json=json, headers=actor.headers)
        assert response.status_code in (200, 201), response.get_json()
        return len(executed)
    return run


def fill(client, actor, product_ids):
    for product_id in product_ids:
        assert client.post("/api/cart/items", json={"product_id": product_id}, headers=actor.headers).status_code == 200


def line_inserts(app, lines):
    """Statements that insert `lines` rows with autoincrement ids (order lines, ledger rows): one on PostgreSQL, one
    per row on SQLite."""
    with app.app_context():
        from app.extensions import db
        return 1 if db.engine.dialect.name == "postgresql" else lines


def test_cart_writes(client, customer, products, statements):
    fill(client, customer, products[:1])  # the cart exists
    # token check, lock the cart, the cart with its lines and products (one statement), the product, the write
    assert statements("post", "/api/cart/items", customer, {"product_id": products[1]}) == 5
    fill(client, customer, products[2:])
    assert statements("post", "/api/cart/items", customer, {"product_id": products[1]}) == 4  # product in the cart
    assert statements("put", f"/api/cart/items/{products[1]}", customer, {"quantity": 3}) == 4
    assert statements("delete", f"/api/cart/items/{products[1]}", customer) == 4
    assert statements("post", "/api/cart/clear", customer) == 4  # the lines deleted in one statement


@pytest.mark.parametrize("lines", [1, 6])
def test_checkout(app, client, customer, products, statements, lines):
    fill(client, customer, products[:lines])
    # token check, lock the cart, the cart (one statement), lock the products, take the stock (one UPDATE), the
    # order, its event, its lines, empty the cart, the stock version, the outbox event (order.created); then one
    # stock ledger row (sale) per line
    assert statements("post", "/api/orders", customer, {"shipping_address": ADDRESS}) \
        == 10 + line_inserts(app, lines) + line_inserts(app, lines)


@pytest.fixture
def order_of(client, customer):
    def place(product_ids):
        fill(client, customer, product_ids)
        response = client.post("/api/orders", json={"shipping_address": ADDRESS}, headers=customer.headers)
        assert response.status_code == 201
        return response.get_json()["order"]["id"]
    return place


@pytest.mark.parametrize("lines", [1, 6])
def test_order_changes(app, client, customer, manager, admin, products, statements, order_of, lines):
    # token check, lock the order, the order with its buyer (joined), its lines, its history; then the writes
    assert statements("put", f"/api/orders/{order_of(products[:lines])}/status", manager, {"status": "confirmed"}) \
        == 5 + 3 + 1  # the order, its event, its outbox event (order.status_changed); + 1: the audit entry
    # a cancel gives the stock back: lock the products, one UPDATE, and the stock version; its two outbox events
    # (order.status_changed, order.cancelled or order.refunded) are one INSERT; then one ledger row (return) per
    # product. The customer's own cancel is not a staff action: no audit entry. A refund has one (+ 1).
    assert statements("post", f"/api/orders/{order_of(products[:lines])}/cancel", customer) \
        == 5 + 6 + line_inserts(app, lines)
    assert statements("post", f"/api/orders/{order_of(products[:lines])}/refund", admin, {}) \
        == 5 + 6 + line_inserts(app, lines) + 1
    assert statements("post", f"/api/orders/{order_of(products[:lines])}/notes", manager, {"notes": "Call first"}) \
        == 5 + 2 + 1  # + 1: the audit entry
