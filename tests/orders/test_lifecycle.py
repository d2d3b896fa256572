"""The order state machine, role rules, stock returned exactly once, and every staff/customer action."""
import re
import threading
from itertools import product as pairs

import pytest

from app.extensions import db
from app.models import Order
from tests.factories import make_product
from tests.orders.conftest import CUSTOMER_ORDER_KEYS, STAFF_ORDER_KEYS
from tests.shapes import with_request_id

STATUSES = ["pending", "confirmed", "processing", "shipped", "delivered", "cancelled", "refunded"]
ALLOWED = {  # DESIGN 3.9, written out so the test does not trust the code's own table
    "pending": {"confirmed", "processing", "shipped", "delivered", "cancelled", "refunded"},
    "confirmed": {"processing", "shipped", "delivered", "cancelled", "refunded"},
    "processing": {"shipped", "delivered", "cancelled", "refunded"},
    "shipped": {"delivered", "refunded"},
    "delivered": {"refunded"},
    "cancelled": set(),
    "refunded": set(),
}
HOLDING = {"pending", "confirmed", "processing", "shipped", "delivered"}
NOTE_LINE = re.compile(r"\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00\] (.*)")


@pytest.fixture
def product_id(app):
    return make_product(app, stock=100)


@pytest.fixture
def order_id(customer, product_id, make_order):
    return make_order(customer.customer_id, product_id, 3)


@pytest.fixture
def order_row(db_read):
    return lambda order_id: db_read(lambda s: s.get(Order, order_id))


# -- the state machine -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("current, target", list(pairs(STATUSES, STATUSES)))
def test_every_transition(client, admin, customer, product_id, make_order, stock_of, events_of, current, target):
    order_id = make_order(customer.customer_id, product_id, 3, status=current)
    response = client.put(f"/api/orders/{order_id}/status", json={"status": target}, headers=admin.headers)
    returned = 3 if current in HOLDING and target in ("cancelled", "refunded") else 0
    if target in ALLOWED[current]:
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        assert body["message"] == "Order status updated" and body["order"]["status"] == target
        assert set(body["order"]) == STAFF_ORDER_KEYS
        assert stock_of(product_id) == 100 + returned
        assert events_of(order_id)[-1][1:] == (current, target, admin.id)
    else:
        assert response.status_code == 409
        assert response.get_json()["code"] == "INVALID_TRANSITION"
        assert stock_of(product_id) == 100
        assert events_of(order_id) == []
        assert client.get(f"/api/orders/{order_id}", headers=admin.headers).get_json()["status"] == current


@pytest.mark.parametrize("method", ["put", "post"])
def test_status_accepts_put_and_post(client, admin, order_id, method):
    response = getattr(client, method)(f"/api/orders/{order_id}/status", json={"status": "confirmed"},
                                       headers=admin.headers)
    assert response.status_code == 200 and response.get_json()["order"]["status"] == "confirmed"


@pytest.mark.parametrize("body", [{}, {"status": ""}, {"status": "lost"}, {"status": None}, {"status": 3}])
def test_status_input_is_validated(client, admin, order_id, body, order_row):
    response = client.put(f"/api/orders/{order_id}/status", json=body, headers=admin.headers)
    assert response.status_code == 400 and response.get_json()["error"] == "Validation failed"
    assert order_row(order_id).status == "pending"


def test_timestamps_are_set_on_entry_and_skipped_ones_stay_null(client, admin, order_id, order_row):
    client.put(f"/api/orders/{order_id}/status", json={"status": "confirmed"}, headers=admin.headers)
    confirmed_at = order_row(order_id).confirmed_at
    assert confirmed_at is not None and order_row(order_id).shipped_at is None
    client.put(f"/api/orders/{order_id}/status", json={"status": "delivered"}, headers=admin.headers)
    order = order_row(order_id)
    assert order.confirmed_at == confirmed_at and order.delivered_at is not None and order.shipped_at is None


# -- role rules of the status route ------------------------------------------------------------------------------

@pytest.mark.parametrize("target", STATUSES[1:])
def test_cashier_may_only_confirm_or_process(client, cashier, order_id, target, order_row):
    response = client.put(f"/api/orders/{order_id}/status", json={"status": target}, headers=cashier.headers)
    if target in ("confirmed", "processing"):
        assert response.status_code == 200
    else:
        assert response.status_code == 403
        assert response.get_json() == with_request_id(response, {
            "error": "Cashiers can only update status to: confirmed, processing", "code": "FORBIDDEN",
            "your_role": "cashier", "allowed_statuses": ["confirmed", "processing"]})
        assert order_row(order_id).status == "pending"


@pytest.mark.parametrize("target", STATUSES[1:])
def test_manager_may_do_anything_but_refund(client, manager, order_id, target, order_row):
    response = client.put(f"/api/orders/{order_id}/status", json={"status": target}, headers=manager.headers)
    if target == "refunded":
        assert response.status_code == 403
        assert response.get_json() == with_request_id(response, {
            "error": "Only admins can set status to refunded", "code": "FORBIDDEN",
            "message": "Please contact an administrator for refunds"})
        assert order_row(order_id).status == "pending"
    else:
        assert response.status_code == 200


# -- permissions of every mutation -------------------------------------------------------------------------------

MUTATIONS = [
    ("put", "status", {"status": "confirmed"}, ("admin", "manager", "cashier")),
    ("post", "status", {"status": "confirmed"}, ("admin", "manager", "cashier")),
    ("put", "payment-status", {"payment_status": "paid"}, ("admin", "manager", "cashier")),
    ("post", "payment-status", {"payment_status": "paid"}, ("admin", "manager", "cashier")),
    ("post", "ship", {"tracking_number": "T1"}, ("admin", "manager")),
    ("post", "notes", {"notes": "call first"}, ("admin", "manager")),
    ("post", "refund", {"reason": "defect"}, ("admin",)),
    ("delete", "", None, ("admin",)),
    ("post", "cancel", None, ("customer",)),
]


@pytest.mark.parametrize("method, action, body, allowed", MUTATIONS)
@pytest.mark.parametrize("role", ["anonymous", "customer", "cashier", "manager", "admin"])
def test_mutation_permissions(client, actors, order_id, order_row, method, action, body, allowed, role):
    actor = actors[role]
    path = f"/api/orders/{order_id}/{action}".rstrip("/")
    response = getattr(client, method)(path, json=body, headers=actor.headers if actor else {})
    if actor is None:
        assert response.status_code == 401
    elif role in allowed:
        assert response.status_code == 200, response.get_json()
    else:
        assert response.status_code == 403
        assert response.get_json()["your_role"] == role
        order = order_row(order_id)
        assert (order.status, order.payment_status, order.admin_notes) == ("pending", "pending", None)


@pytest.mark.parametrize("method, action, body, allowed", MUTATIONS)
def test_missing_order_is_404_everywhere(client, actors, method, action, body, allowed):
    actor = actors[allowed[0]]
    for order_id in (999999, 2**40):
        path = f"/api/orders/{order_id}/{action}".rstrip("/")
        response = getattr(client, method)(path, json=body, headers=actor.headers)
        assert response.status_code == 404
        assert response.get_json() == with_request_id(response, {"error": "Order not found", "code": "NOT_FOUND"})


# -- customer cancel ---------------------------------------------------------------------------------------------

def test_customer_cancels_own_order_and_stock_returns(client, customer, order_id, product_id, stock_of, events_of):
    response = client.post(f"/api/orders/{order_id}/cancel", headers=customer.headers)
    assert response.status_code == 200
    body = response.get_json()
    assert body["message"] == "Order cancelled successfully"
    assert body["order"]["status"] == "cancelled" and set(body["order"]) == CUSTOMER_ORDER_KEYS
    assert body["order"]["payment_status"] == "pending"
    assert stock_of(product_id) == 103
    assert events_of(order_id) == [("cancelled", "pending", "cancelled", customer.id)]


@pytest.mark.parametrize("status", ["shipped", "delivered", "cancelled", "refunded"])
def test_customer_cannot_cancel_late(client, customer, product_id, make_order, stock_of, status):
    order_id = make_order(customer.customer_id, product_id, status=status)
    response = client.post(f"/api/orders/{order_id}/cancel", headers=customer.headers)
    assert response.status_code == 409
    assert response.get_json() == with_request_id(response, {
        "error": f"Cannot cancel order with status: {status}",
        "message": "Please contact customer support for assistance", "code": "INVALID_TRANSITION"})
    assert stock_of(product_id) == 100


def test_customer_cannot_cancel_another_customers_order(client, other_customer, order_id, order_row):
    response = client.post(f"/api/orders/{order_id}/cancel", headers=other_customer.headers)
    assert response.status_code == 404
    assert response.get_json() == with_request_id(response, {"error": "Order not found", "code": "NOT_FOUND"})
    assert order_row(order_id).status == "pending"


# -- stock returns exactly once ----------------------------------------------------------------------------------

def test_stock_returns_once_across_cancel_and_refund(client, admin, customer, order_id, product_id, stock_of):
    assert client.post(f"/api/orders/{order_id}/cancel", headers=customer.headers).status_code == 200
    assert client.post(f"/api/orders/{order_id}/refund", json={}, headers=admin.headers).status_code == 409
    assert client.post(f"/api/orders/{order_id}/cancel", headers=customer.headers).status_code == 409
    assert client.put(f"/api/orders/{order_id}/status", json={"status": "pending"},
                      headers=admin.headers).status_code == 409
    assert stock_of(product_id) == 103


def test_concurrent_refunds_return_stock_once(app, admin, order_id, product_id, stock_of):
    barrier = threading.Barrier(5)
    statuses = []

    def refund():
        client = app.test_client()
        barrier.wait()
        statuses.append(client.post(f"/api/orders/{order_id}/refund", json={}, headers=admin.headers).status_code)

    threads = [threading.Thread(target=refund) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 409, 409, 409, 409]
    assert stock_of(product_id) == 103


def test_checkout_then_cancel_restores_the_exact_stock(app, client, customer, place_order, stock_of):
    product_id = make_product(app, stock=7)
    order_id = place_order(customer, (product_id, 4))
    assert stock_of(product_id) == 3
    client.post(f"/api/orders/{order_id}/cancel", headers=customer.headers)
    assert stock_of(product_id) == 7


# -- payment status ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["put", "post"])
def test_payment_status_update(client, cashier, order_id, events_of, method, order_row):
    response = getattr(client, method)(f"/api/orders/{order_id}/payment-status", json={"payment_status": "paid"},
                                       headers=cashier.headers)
    assert response.status_code == 200
    body = response.get_json()
    assert body["message"] == "Payment status updated"
    assert body["order"]["payment_status"] == "paid" and body["order"]["status"] == "pending"
    assert events_of(order_id) == [("payment_status_changed", "pending", "paid", cashier.id)]


@pytest.mark.parametrize("role", ["manager", "cashier"])
def test_only_admins_set_payment_refunded(client, actors, order_id, order_row, role):
    response = client.put(f"/api/orders/{order_id}/payment-status", json={"payment_status": "refunded"},
                          headers=actors[role].headers)
    assert response.status_code == 403
    assert response.get_json() == with_request_id(response, {
        "error": "Only admins can set payment status to refunded", "code": "FORBIDDEN",
        "message": "Please contact an administrator for refunds"})
    assert order_row(order_id).payment_status == "pending"


def test_admin_sets_payment_refunded(client, admin, order_id):
    response = client.put(f"/api/orders/{order_id}/payment-status", json={"payment_status": "refunded"},
                          headers=admin.headers)
    assert response.status_code == 200 and response.get_json()["order"]["payment_status"] == "refunded"


@pytest.mark.parametrize("body", [{}, {"payment_status": "free"}, {"payment_status": None}])
def test_payment_status_input_is_validated(client, admin, order_id, body):
    response = client.put(f"/api/orders/{order_id}/payment-status", json=body, headers=admin.headers)
    assert response.status_code == 400


# -- ship ----------------------------------------------------------------------------------------------------------

def test_ship_stores_the_tracking_number(client, manager, order_id, events_of, order_row):
    response = client.post(f"/api/orders/{order_id}/ship", json={"tracking_number": "TRACK123456789"},
                           headers=manager.headers)
    assert response.status_code == 200
    body = response.get_json()
    assert body["message"] == "Order marked as shipped"
    assert body["order"]["status"] == "shipped" and body["order"]["tracking_number"] == "TRACK123456789"
    assert order_row(order_id).shipped_at is not None
    assert events_of(order_id) == [("shipped", "pending", "shipped", manager.id)]


def test_ship_without_a_body(client, admin, order_id):
    response = client.post(f"/api/orders/{order_id}/ship", headers=admin.headers)
    assert response.status_code == 200 and response.get_json()["order"]["tracking_number"] is None


@pytest.mark.parametrize("status", ["shipped", "delivered", "cancelled", "refunded"])
def test_ship_follows_the_state_machine(client, admin, customer, product_id, make_order, order_row, status):
    order_id = make_order(customer.customer_id, product_id, status=status)
    response = client.post(f"/api/orders/{order_id}/ship", json={"tracking_number": "T"}, headers=admin.headers)
    assert response.status_code == 409 and response.get_json()["code"] == "INVALID_TRANSITION"
    assert order_row(order_id).tracking_number is None


def test_ship_rejects_an_overlong_tracking_number(client, admin, order_id, order_row):
    response = client.post(f"/api/orders/{order_id}/ship", json={"tracking_number": "T" * 101},
                           headers=admin.headers)
    assert response.status_code == 400 and order_row(order_id).status == "pending"


# -- notes -------------------------------------------------------------------------------------------------------

def test_notes_are_appended_with_a_utc_timestamp(client, manager, customer, order_id, events_of):
    client.post(f"/api/orders/{order_id}/notes", json={"notes": "Customer requested expedited shipping"},
                headers=manager.headers)
    response = client.post(f"/api/orders/{order_id}/notes", json={"notes": "Called back"}, headers=manager.headers)
    assert response.status_code == 200
    body = response.get_json()
    assert body["message"] == "Notes added successfully"
    lines = body["order"]["admin_notes"].split("\n")
    assert [NOTE_LINE.fullmatch(line).group(2) for line in lines] == [
        "Customer requested expedited shipping", "Called back"]
    assert [event[0] for event in events_of(order_id)] == ["note_added", "note_added"]
    assert "admin_notes" not in client.get(f"/api/orders/{order_id}", headers=customer.headers).get_json()


@pytest.mark.parametrize("body", [{}, {"notes": ""}, {"notes": "   "}, {"notes": 5}, {"notes": "x" * 5001}])
def test_notes_input_is_validated(client, manager, order_id, body, order_row):
    response = client.post(f"/api/orders/{order_id}/notes", json=body, headers=manager.headers)
    assert response.status_code == 400 and order_row(order_id).admin_notes is None


# -- refund ------------------------------------------------------------------------------------------------------

def test_refund_of_a_paid_order(client, admin, customer, product_id, make_order, stock_of, events_of):
    order_id = make_order(customer.customer_id, product_id, 3, status="delivered", payment_status="paid",
                          admin_notes="[2026-01-01T00:00:00+00:00] earlier note")
    response = client.post(f"/api/orders/{order_id}/refund", json={"reason": "Product defect"},
                           headers=admin.headers)
    assert response.status_code == 200
    body = response.get_json()
    assert body["message"] == "Refund processed successfully"
    order = body["order"]
    assert (order["status"], order["payment_status"]) == ("refunded", "refunded")
    lines = order["admin_notes"].split("\n")
    assert lines[0] == "[2026-01-01T00:00:00+00:00] earlier note"
    assert NOTE_LINE.fullmatch(lines[1]).group(2) == "REFUND PROCESSED: Product defect"
    assert stock_of(product_id) == 103
    assert events_of(order_id) == [("refunded", "delivered", "refunded", admin.id)]


def test_refund_of_an_unpaid_order_leaves_payment_alone(client, admin, order_id):
    order = client.post(f"/api/orders/{order_id}/refund", headers=admin.headers).get_json()["order"]
    assert (order["status"], order["payment_status"]) == ("refunded", "pending")
    assert order["admin_notes"].endswith("REFUND PROCESSED: Customer request")


def test_refund_is_idempotent_with_a_key(client, admin, order_id, product_id, stock_of, idempotency_count):
    headers = {**admin.headers, "Idempotency-Key": "refund-1"}
    first = client.post(f"/api/orders/{order_id}/refund", json={"reason": "defect"}, headers=headers)
    second = client.post(f"/api/orders/{order_id}/refund", json={"reason": "defect"}, headers=headers)
    assert first.status_code == second.status_code == 200
    assert first.get_data() == second.get_data()
    assert stock_of(product_id) == 103 and idempotency_count() == 1
    other = client.post(f"/api/orders/{order_id}/refund", json={"reason": "other"}, headers=headers)
    assert other.status_code == 422 and other.get_json()["code"] == "IDEMPOTENCY_KEY_REUSED"
    unkeyed = client.post(f"/api/orders/{order_id}/refund", json={"reason": "defect"}, headers=admin.headers)
    assert unkeyed.status_code == 409


def test_refund_reason_is_bounded(client, admin, order_id, order_row):
    response = client.post(f"/api/orders/{order_id}/refund", json={"reason": "x" * 1001}, headers=admin.headers)
    assert response.status_code == 400 and order_row(order_id).status == "pending"


# -- delete ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("status, returned", [("pending", 3), ("delivered", 3), ("cancelled", 0), ("refunded", 0)])
def test_delete_returns_stock_only_if_held(client, admin, customer, product_id, make_order, stock_of, order_count,
                                           status, returned):
    order_id = make_order(customer.customer_id, product_id, 3, status=status)
    response = client.delete(f"/api/orders/{order_id}", headers=admin.headers)
    assert response.status_code == 200
    assert response.get_json() == {"message": "Order permanently deleted", "warning": "This action cannot be undone"}
    assert stock_of(product_id) == 100 + returned and order_count() == 0
    assert client.get(f"/api/orders/{order_id}", headers=admin.headers).status_code == 404
    assert client.delete(f"/api/orders/{order_id}", headers=admin.headers).status_code == 404


def test_history_is_shown_to_staff_in_order(client, admin, manager, order_id):
    client.put(f"/api/orders/{order_id}/status", json={"status": "confirmed"}, headers=manager.headers)
    client.post(f"/api/orders/{order_id}/notes", json={"notes": "gift wrap"}, headers=manager.headers)
    client.post(f"/api/orders/{order_id}/ship", json={"tracking_number": "T9"}, headers=admin.headers)
    events = client.get(f"/api/orders/{order_id}", headers=admin.headers).get_json()["events"]
    assert [(e["event_type"], e["from_status"], e["to_status"], e["actor_id"]) for e in events] == [
        ("status_changed", "pending", "confirmed", manager.id), ("note_added", None, None, manager.id),
        ("shipped", "confirmed", "shipped", admin.id)]
    assert events[1]["note"] == "gift wrap" and events[2]["note"] == "Tracking number: T9"
    assert all(e["created_at"] for e in events)


def test_events_table_is_cascaded_with_the_order(app, client, admin, order_id):
    client.put(f"/api/orders/{order_id}/status", json={"status": "confirmed"}, headers=admin.headers)
    client.delete(f"/api/orders/{order_id}", headers=admin.headers)
    with app.app_context():
        from app.models import OrderEvent
        assert db.session.scalar(db.select(db.func.count(OrderEvent.id))) == 0
        db.session.remove()
