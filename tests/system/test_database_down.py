"""Faults: the database stops under a live gunicorn, then comes back; the app answers JSON and heals by itself."""
import time

import pytest
import requests

from tests.factories import ORDER_BODY, make_product
from tests.system.harness import PostgresServer, actor, create_database

pytestmark = pytest.mark.system

# (method, path, needs a token): public reads, a login, authenticated reads and writes of every domain.
ROUTES = [
    ("GET", "/api/products", False), ("GET", "/api/products/1", False), ("GET", "/api/categories", False),
    ("POST", "/api/auth/login", False), ("GET", "/api/auth/me", True), ("GET", "/api/cart", True),
    ("POST", "/api/cart/items", True), ("GET", "/api/orders", True), ("POST", "/api/orders", True),
]
BODIES = {"/api/auth/login": {"email_or_username": "customer@example.com", "password": "Customer123!"},
          "/api/cart/items": {"product_id": 1, "quantity": 1},
          "/api/orders": ORDER_BODY}


@pytest.fixture
def own_postgres():
    """A PostgreSQL of this test's own, since the test stops it."""
    server = PostgresServer()
    yield server
    server.destroy()


def _call(server, method, path, token):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.request(method, server.url(path), json=BODIES.get(path), headers=headers, timeout=30)


def _assert_clean_json_error(response, statuses):
    text = response.text
    assert response.status_code in statuses, f"{response.status_code} {text[:300]}"
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["error"], str) and body["code"]
    for leak in ("Traceback", "psycopg2", "OperationalError", "SELECT", "connection to server", 'File "'):
        assert leak not in text


def test_database_stopped_then_restarted(own_postgres, servers):
    database_url, app = create_database(own_postgres.url)
    customer = actor(app, "customer", email="customer@example.com")
    make_product(app, stock=5)
    server = servers(database_url)
    assert requests.get(server.url("/api/health"), timeout=10).json() == {"status": "healthy", "database": "ok"}
    first = _call(server, "GET", "/api/cart", customer.access_token)
    assert first.status_code == 200, first.text

    own_postgres.stop()
    response = requests.get(server.url("/api/health"), timeout=30)
    _assert_clean_json_error(response, {503})
    assert response.json()["code"] == "DATABASE_UNAVAILABLE"
    for method, path, needs_token in ROUTES:
        _assert_clean_json_error(_call(server, method, path, customer.access_token if needs_token else None),
                                 {500, 503})
    assert requests.get(server.url("/health"), timeout=10).status_code == 200  # liveness needs no database

    own_postgres.start()
    deadline = time.monotonic() + 30
    while requests.get(server.url("/api/health"), timeout=30).status_code != 200:
        assert time.monotonic() < deadline, "the app did not recover after the database came back"
        time.sleep(0.2)
    # Every worker's pool held connections to the dead server: pre-ping replaces them, so nothing fails now.
    for _ in range(20):
        assert requests.get(server.url("/api/products"), timeout=30).status_code == 200
        assert _call(server, "GET", "/api/cart", customer.access_token).status_code == 200
    assert _call(server, "POST", "/api/cart/items", customer.access_token).status_code == 200
    assert _call(server, "POST", "/api/orders", customer.access_token).status_code == 201
