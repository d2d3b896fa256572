"""Reading orders: a customer's own, staff views, the manager's 30-day window, fixed query counts."""
from datetime import datetime, timedelta, timezone

import pytest

from tests.factories import make_product
from tests.orders.conftest import CUSTOMER_ORDER_KEYS, ORDER_ITEM_KEYS, STAFF_ORDER_KEYS
from tests.shapes import with_request_id

PAGE_KEYS = {"orders", "total", "pages", "current_page", "per_page"}
OLD = datetime.now(timezone.utc) - timedelta(days=31)


@pytest.fixture
def product_id(app):
    return make_product(app, stock=1000)


# -- GET /api/orders ---------------------------------------------------------------------------------------------

def test_customer_lists_own_orders_without_items(client, customer, other_customer, product_id, make_order):
    mine = [make_order(customer.customer_id, product_id, 3) for _ in range(3)]
    make_order(other_customer.customer_id, product_id)
    response = client.get("/api/orders", headers=customer.headers)
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == PAGE_KEYS
    assert (body["total"], body["pages"], body["current_page"], body["per_page"]) == (3, 1, 1, 20)
    assert [order["id"] for order in body["orders"]] == mine[::-1]  # newest first
    for order in body["orders"]:
        assert set(order) == CUSTOMER_ORDER_KEYS - {"items"}
        assert order["total_items"] == 3


def test_customer_list_paginates(client, customer, product_id, make_order):
    for _ in range(3):
        make_order(customer.customer_id, product_id)
    body = client.get("/api/orders?page=2&per_page=2", headers=customer.headers).get_json()
    assert (body["total"], body["pages"], body["current_page"], body["per_page"], len(body["orders"])) == (
        3, 2, 2, 2, 1)
    assert client.get("/api/orders?per_page=1000", headers=customer.headers).get_json()["per_page"] == 100


@pytest.mark.parametrize("role", ["admin", "manager", "cashier"])
def test_staff_cannot_use_the_customer_list(client, actors, role):
    response = client.get("/api/orders", headers=actors[role].headers)
    assert response.status_code == 403
    assert response.get_json()["your_role"] == role


def test_list_needs_a_token(client):
    assert client.get("/api/orders").status_code == 401


# -- GET /api/orders/<id> ----------------------------------------------------------------------------------------

def test_owner_reads_own_order_without_internal_fields(client, customer, product_id, make_order):
    order_id = make_order(customer.customer_id, product_id, 2, admin_notes="fragile; customer is rude")
    response = client.get(f"/api/orders/{order_id}", headers=customer.headers)
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == CUSTOMER_ORDER_KEYS
    assert "fragile" not in response.get_data(as_text=True)
    assert set(body["items"][0]) == ORDER_ITEM_KEYS


def test_another_customers_order_is_exactly_not_found(client, customer, other_customer, product_id, make_order):
    order_id = make_order(other_customer.customer_id, product_id)
    foreign = client.get(f"/api/orders/{order_id}", headers=customer.headers)
    missing = client.get("/api/orders/999999", headers=customer.headers)
    assert foreign.status_code == missing.status_code == 404
    not_found = {"error": "Order not found", "code": "NOT_FOUND"}
    assert foreign.get_json() == with_request_id(foreign, not_found)
    assert missing.get_json() == with_request_id(missing, not_found)


@pytest.mark.parametrize("role", ["admin", "manager", "cashier"])
def test_staff_read_any_order_with_buyer_and_history(client, actors, customer, product_id, make_order, role):
    order_id = make_order(customer.customer_id, product_id, admin_notes="note")
    response = client.get(f"/api/orders/{order_id}", headers=actors[role].headers)
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == STAFF_ORDER_KEYS
    assert body["admin_notes"] == "note"
    assert body["customer"]["id"] == customer.customer_id and body["customer"]["email"] == customer.email
    assert body["events"] == []


@pytest.mark.parametrize("path", ["/api/orders/999999", f"/api/orders/{2**40}"])
def test_missing_order_is_404(client, admin, path):
    assert client.get(path, headers=admin.headers).status_code == 404


def test_get_needs_a_token(client):
    assert client.get("/api/orders/1").status_code == 401


# -- the manager's window ----------------------------------------------------------------------------------------

def test_manager_sees_only_the_last_30_days_everywhere(client, manager, customer, product_id, make_order):
    old = make_order(customer.customer_id, product_id, created_at=OLD)
    recent = make_order(customer.customer_id, product_id)
    assert client.get(f"/api/orders/{old}", headers=manager.headers).status_code == 404
    assert client.get(f"/api/orders/{recent}", headers=manager.headers).status_code == 200
    listed = client.get("/api/orders/admin", headers=manager.headers).get_json()
    assert [order["id"] for order in listed["orders"]] == [recent] and listed["total"] == 1
    number = client.get(f"/api/orders/{recent}", headers=manager.headers).get_json()["order_number"]
    old_number = number.replace(f"{recent:012d}", f"{old:012d}")
    assert client.get(f"/api/orders/search?number={old_number}", headers=manager.headers).status_code == 404
    assert client.post(f"/api/orders/{old}/notes", json={"notes": "x"}, headers=manager.headers).status_code == 404


@pytest.mark.parametrize("role", ["admin", "cashier"])
def test_cashiers_and_admins_open_old_orders(client, actors, customer, product_id, make_order, role):
    old = make_order(customer.customer_id, product_id, created_at=OLD)
    response = client.get(f"/api/orders/{old}", headers=actors[role].headers)
    assert response.status_code == 200
    number = response.get_json()["order_number"]
    assert client.get(f"/api/orders/search?number={number}", headers=actors[role].headers).status_code == 200


# -- GET /api/orders/today ---------------------------------------------------------------------------------------

def test_todays_orders(client, cashier, customer, product_id, make_order):
    make_order(customer.customer_id, product_id, created_at=datetime.now(timezone.utc) - timedelta(days=1, hours=1))
    today = [make_order(customer.customer_id, product_id, 2) for _ in range(2)]
    response = client.get("/api/orders/today", headers=cashier.headers)
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"orders", "total", "date"}
    assert body["date"] == datetime.now(timezone.utc).strftime("%Y-%m-%dT00:00:00+00:00")
    assert body["total"] == 2 and [order["id"] for order in body["orders"]] == today[::-1]
    order = body["orders"][0]
    assert set(order) == STAFF_ORDER_KEYS - {"events"}
    assert order["items"][0]["quantity"] == 2 and order["customer"]["id"] == customer.customer_id


def test_today_caps_the_list_but_counts_everything(client, admin, customer, product_id, make_order,
                                                   monkeypatch):
    from app.services import order_service
    monkeypatch.setattr(order_service, "TODAY_LIMIT", 2)
    for _ in range(3):
        make_order(customer.customer_id, product_id)
    body = client.get("/api/orders/today", headers=admin.headers).get_json()
    assert body["total"] == 3 and len(body["orders"]) == 2


# -- GET /api/orders/search --------------------------------------------------------------------------------------

def test_search_by_number(client, cashier, customer, product_id, make_order):
    order_id = make_order(customer.customer_id, product_id)
    number = client.get(f"/api/orders/{order_id}", headers=cashier.headers).get_json()["order_number"]
    response = client.get(f"/api/orders/search?number={number}", headers=cashier.headers)
    assert response.status_code == 200
    body = response.get_json()
    assert body["id"] == order_id and set(body) == STAFF_ORDER_KEYS


@pytest.mark.parametrize("query, status", [("", 400), ("?number=", 400), ("?number=ORD-NOPE", 404),
                                           ("?number=" + "x" * 51, 400)])
def test_search_bad_or_unknown_number(client, cashier, query, status):
    response = client.get(f"/api/orders/search{query}", headers=cashier.headers)
    assert response.status_code == status
    assert "error" in response.get_json()


def test_search_without_number_has_the_contract_message(client, cashier):
    assert client.get("/api/orders/search", headers=cashier.headers).get_json()["error"] == "order number is required"


# -- GET /api/orders/admin ---------------------------------------------------------------------------------------

def test_admin_list_with_status_filter(client, admin, customer, other_customer, product_id, make_order):
    pending = make_order(customer.customer_id, product_id)
    shipped = make_order(other_customer.customer_id, product_id, status="shipped")
    body = client.get("/api/orders/admin", headers=admin.headers).get_json()
    assert set(body) == PAGE_KEYS
    assert [order["id"] for order in body["orders"]] == [shipped, pending]
    assert set(body["orders"][0]) == STAFF_ORDER_KEYS - {"events"}
    filtered = client.get("/api/orders/admin?status=shipped", headers=admin.headers).get_json()
    assert [order["id"] for order in filtered["orders"]] == [shipped] and filtered["total"] == 1


def test_admin_list_rejects_an_unknown_status(client, admin):
    response = client.get("/api/orders/admin?status=lost", headers=admin.headers)
    assert response.status_code == 400
    assert response.get_json()["details"]["status"] == [
        "Invalid status. Must be one of: pending, confirmed, processing, shipped, delivered, cancelled, refunded"]


# -- who may call what -------------------------------------------------------------------------------------------

STAFF_READS = [("/api/orders/today", ("admin", "manager", "cashier")),
               ("/api/orders/search?number=ORD-X", ("admin", "manager", "cashier")),
               ("/api/orders/admin", ("admin", "manager"))]


@pytest.mark.parametrize("path, allowed", STAFF_READS)
@pytest.mark.parametrize("role", ["anonymous", "customer", "cashier", "manager", "admin"])
def test_staff_read_permissions(client, actors, path, allowed, role):
    actor = actors[role]
    response = client.get(path, headers=actor.headers if actor else {})
    if actor is None:
        assert response.status_code == 401
    elif role in allowed:
        assert response.status_code in (200, 404)  # the search number does not exist
    else:
        assert response.status_code == 403
        assert response.get_json()["your_role"] == role


# -- fixed number of statements ----------------------------------------------------------------------------------

@pytest.mark.parametrize("path, actor_name", [("/api/orders", "customer"), ("/api/orders/admin", "admin"),
                                              ("/api/orders/today", "cashier")])
def test_lists_run_a_fixed_number_of_statements(client, actors, product_id, make_order, count_queries, path,
                                                actor_name):
    customer, actor = actors["customer"], actors[actor_name]
    counts = {}
    for size in (1, 50):
        while len(client.get(path + "?per_page=100", headers=actor.headers).get_json()["orders"]) < size:
            make_order(customer.customer_id, product_id, 2)
        with count_queries() as statements:
            body = client.get(path + "?per_page=100", headers=actor.headers).get_json()
        assert len(body["orders"]) == size
        counts[size] = len(statements)
    assert counts[1] == counts[50]
