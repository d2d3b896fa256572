"""Keyset pagination of GET /api/products: `after` walks the same rows as the page numbers, without OFFSET."""
import base64
import json

import pytest

from tests.factories import make_category, make_product

PAGE_KEYS = {"products", "total", "pages", "current_page", "per_page", "has_next", "has_prev"}


@pytest.fixture
def products(app):
    category = make_category(app)
    # Repeated prices and names so that the id tie-break is exercised.
    return [make_product(app, category, price=f"{n % 4 + 1}.00", name=f"Item {n % 5}") for n in range(23)]


@pytest.mark.parametrize("sort", ["-created_at", "created_at", "price", "-price", "name", "-name"])
def test_after_walks_the_same_rows_as_page_numbers(client, products, sort):
    by_page = [p["id"] for p in client.get(f"/api/products?per_page=100&sort={sort}").get_json()["products"]]
    walked, cursor, pages = [], "", 0
    while cursor is not None:
        body = client.get(f"/api/products?per_page=5&sort={sort}&after={cursor}").get_json()
        assert set(body) == PAGE_KEYS | {"next_cursor"}
        assert body["total"] == 23 and body["pages"] == 5 and body["current_page"] is None
        assert body["has_prev"] is (cursor != "") and body["has_next"] is (body["next_cursor"] is not None)
        walked += [p["id"] for p in body["products"]]
        cursor, pages = body["next_cursor"], pages + 1
    assert walked == by_page and pages == 5


def test_no_next_cursor_key_without_after(client, products):
    assert set(client.get("/api/products").get_json()) == PAGE_KEYS


def test_after_keeps_the_filters(client, app, products):
    other = make_category(app)
    make_product(app, other)
    body = client.get(f"/api/products?category_id={other}&after=").get_json()
    assert body["total"] == 1 and body["next_cursor"] is None and len(body["products"]) == 1


def cursor_of(value):
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


@pytest.mark.parametrize("after", [
    "garbage!", "%00", cursor_of(["price", "1.00", 3]), cursor_of(["-created_at", "yesterday", 3]),
    cursor_of(["-created_at", "2026-01-01T00:00:00+00:00", True]), cursor_of(["-created_at", "x"]),
    cursor_of(["-created_at", "2026-01-01T00:00:00+00:00", 2**40]), cursor_of({"a": 1}), "A" * 500,
])
def test_a_bad_cursor_is_a_400(client, products, after):
    response = client.get("/api/products", query_string={"after": after})
    assert response.status_code == 400
    assert "after" in response.get_json()["details"]


def test_wrong_sort_for_the_cursor_is_a_400(client, products):
    cursor = client.get("/api/products?per_page=5&sort=price&after=").get_json()["next_cursor"]
    assert client.get(f"/api/products?sort=name&after={cursor}").status_code == 400
    assert client.get(f"/api/products?sort=price&after={cursor}").status_code == 200


def test_openapi_documents_after_and_next_cursor(client):
    spec = client.get("/api/openapi.json").get_json()
    parameters = {p["name"] for p in spec["paths"]["/api/products"]["get"]["parameters"]}
    assert "after" in parameters
    assert "next_cursor" in spec["components"]["schemas"]["ProductPage"]["properties"]


@pytest.fixture
def placed_orders(app, customer, buy):
    """Seven orders; the first two dated 40 days back (outside a manager's window)."""
    from datetime import timedelta

    from app.extensions import db
    from app.models import Order
    from app.models.base import utcnow

    product = make_product(app, make_category(app), stock=100)
    ids = [buy(customer, product) for _ in range(7)]
    with app.app_context():
        old = utcnow() - timedelta(days=40)
        db.session.execute(db.update(Order).where(Order.id.in_(ids[:2])).values(created_at=old))
        db.session.commit()
        db.session.remove()
    return ids


@pytest.mark.parametrize("who, query", [("admin", ""), ("manager", ""), ("admin", "&status=pending")])
def test_admin_orders_after_walks_the_same_rows(client, actors, placed_orders, who, query):
    headers = actors[who].headers
    by_page = [o["id"] for o in client.get(f"/api/orders/admin?per_page=100{query}", headers=headers)
               .get_json()["orders"]]
    walked, cursor = [], ""
    while cursor is not None:
        body = client.get(f"/api/orders/admin?per_page=2{query}&after={cursor}", headers=headers).get_json()
        assert set(body) == {"orders", "total", "pages", "current_page", "per_page", "next_cursor"}
        assert body["total"] == len(by_page) and body["current_page"] is None
        walked += [o["id"] for o in body["orders"]]
        cursor = body["next_cursor"]
    assert walked == by_page and len(walked) == (5 if who == "manager" else 7)


def test_admin_orders_keys_without_after_and_bad_cursor(client, admin, placed_orders):
    assert set(client.get("/api/orders/admin", headers=admin.headers).get_json()) == {
        "orders", "total", "pages", "current_page", "per_page"}
    assert client.get("/api/orders/admin?after=nonsense", headers=admin.headers).status_code == 400
    product_cursor = cursor_of(["price", "1.00", 3])
    assert client.get(f"/api/orders/admin?after={product_cursor}", headers=admin.headers).status_code == 400


def test_openapi_documents_after_on_admin_orders(client):
    spec = client.get("/api/openapi.json").get_json()
    assert "after" in {p["name"] for p in spec["paths"]["/api/orders/admin"]["get"]["parameters"]}
    assert "next_cursor" in spec["components"]["schemas"]["StaffOrderPage"]["properties"]
