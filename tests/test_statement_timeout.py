"""PostgreSQL bounds every statement by DB_STATEMENT_TIMEOUT_MS: a request stuck behind a lock answers 503
DATABASE_TIMEOUT with Retry-After, writes nothing, and the next request is served. Runs on PostgreSQL in every stage
(TEST_DATABASE_URL, else TEST_POSTGRES_URL), in a schema of its own."""
import os
import time
import uuid

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from app import create_app
from app.extensions import db
from app.models import Order, Product
from config import normalize_database_url
from tests.factories import ORDER_BODY, make_product, make_user

MIGRATIONS = os.path.join(os.path.dirname(__file__), "..", "migrations")


def _postgres_url():
    for name in ("TEST_DATABASE_URL", "TEST_POSTGRES_URL"):
        url = os.environ.get(name, "")
        if url.startswith("postgres"):
            return normalize_database_url(url)
    pytest.fail("no PostgreSQL for the statement timeout: scripts/test.sh starts one and sets TEST_POSTGRES_URL")


@pytest.fixture(scope="module")
def schema_url():
    """The PostgreSQL test database with a fresh schema first on the search_path, built by the migrations."""
    schema = f"statement_timeout_{uuid.uuid4().hex[:12]}"
    url = make_url(_postgres_url()).update_query_dict({"options": f"-c search_path={schema}"})
    url = url.render_as_string(hide_password=False)
    setup = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url, "DB_STATEMENT_TIMEOUT_MS": 0})
    with setup.app_context():
        db.session.execute(db.text(f"CREATE SCHEMA {schema}"))
        db.session.commit()
        upgrade(directory=MIGRATIONS)
        db.session.remove()
        db.engine.dispose()
    yield url
    with setup.app_context():
        db.session.execute(db.text(f"DROP SCHEMA {schema} CASCADE"))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def timed_app(schema_url):
    """An app whose statements are cancelled after 200 ms, the catalog cache off."""
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": schema_url, "DB_STATEMENT_TIMEOUT_MS": 200,
                                 "CATALOG_CACHE_ENABLED": False})
    yield app
    with app.app_context():
        db.session.remove()
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def _lock_products(app, mode):
    """Another connection holding a lock on products in an open transaction."""
    with app.app_context():
        connection = db.engine.connect()
    connection.exec_driver_sql(f"LOCK TABLE products IN {mode} MODE")
    return connection


def _assert_timed_out(response, waited):
    assert response.status_code == 503
    assert response.get_json() == {"error": "The database took too long to answer", "code": "DATABASE_TIMEOUT",
                                   "request_id": response.headers["X-Request-ID"]}
    assert int(response.headers["Retry-After"]) > 0
    assert waited < 5, waited  # cancelled by the server, not waiting for the lock's holder


def test_a_read_stuck_behind_a_lock_is_cancelled_with_a_503(timed_app):
    make_product(timed_app, name="Lamp", stock=5)
    client = timed_app.test_client()
    locker = _lock_products(timed_app, "ACCESS EXCLUSIVE")
    try:
        started = time.monotonic()
        response = client.get("/api/products")
        waited = time.monotonic() - started
    finally:
        locker.rollback()
        locker.close()
    _assert_timed_out(response, waited)
    after = client.get("/api/products")
    assert after.status_code == 200
    assert [(p["name"], p["stock_quantity"]) for p in after.get_json()["products"]] == [("Lamp", 5)]


def test_a_checkout_stuck_behind_a_lock_writes_nothing(timed_app):
    product_id = make_product(timed_app, name="Lamp", stock=5)
    customer = make_user(timed_app, "customer", email="timeout@example.com", username="timeout")
    client = timed_app.test_client()
    added = client.post("/api/cart/items", json={"product_id": product_id, "quantity": 2}, headers=customer.headers)
    assert added.status_code == 200, added.get_json()
    locker = _lock_products(timed_app, "SHARE")  # reads go on; the stock update waits
    try:
        started = time.monotonic()
        response = client.post("/api/orders", json=ORDER_BODY, headers=customer.headers)
        waited = time.monotonic() - started
    finally:
        locker.rollback()
        locker.close()
    _assert_timed_out(response, waited)
    with timed_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Order)) == 0
        assert db.session.get(Product, product_id).stock_quantity == 5
    cart = client.get("/api/cart", headers=customer.headers).get_json()
    assert [item["quantity"] for item in cart["items"]] == [2]
