"""Every staff action writes one audit entry in its own transaction, with exactly what changed and never a secret."""
import pytest

from app.extensions import db
from app.models import Order, User
from app.services import audit_service
from tests.audit.conftest import entries, stored_rows
from tests.factories import ORDER_BODY, make_category, make_order, make_product


# --- products ----------------------------------------------------------------------------------------------------

def test_product_create_update_delete(app, ok, manager, admin):
    category = make_category(app)
    product = ok("post", "/api/products/add", manager, {"name": "Desk Lamp", "sku": "LAMP-1", "price": 19.5,
                                                        "stock_quantity": 4, "category_id": category}, status=201)
    ok("put", f"/api/products/{product['id']}", manager, {"price": "24.00", "stock_quantity": 9, "sku": "LAMP-1",
                                                          "description": "Warm light"})
    ok("delete", f"/api/products/{product['id']}", admin)
    create, update, delete = entries(app)
    assert create[:5] == (manager.id, "manager", "product.create", "product", product["id"])
    assert create[5] == {"name": [None, "Desk Lamp"], "slug": [None, "desk-lamp"], "price": [None, "19.50"],
                         "sku": [None, "LAMP-1"], "stock_quantity": [None, 4], "category_id": [None, category],
                         "is_active": [None, True], "is_featured": [None, False]}
    # Only the changed fields: the SKU sent unchanged is not there.
    assert update == (manager.id, "manager", "product.update", "product", product["id"], {
        "price": ["19.50", "24.00"], "stock_quantity": [4, 9], "description": [None, "Warm light"]})
    assert delete == (admin.id, "admin", "product.delete", "product", product["id"], {"is_active": [True, False]})


def test_an_update_that_changes_nothing_and_a_refused_one_write_no_entry(app, client, ok, manager):
    product_id = make_product(app, stock=5, name="Chair", sku="CHAIR-1")
    ok("put", f"/api/products/{product_id}", manager, {"name": "Chair", "stock_quantity": 5})
    response = client.put(f"/api/products/{product_id}", json={"price": -1}, headers=manager.headers)
    assert response.status_code == 400
    response = client.put(f"/api/products/{product_id}", json={"is_active": False}, headers=manager.headers)
    assert response.status_code == 403
    assert entries(app) == []


# --- categories --------------------------------------------------------------------------------------------------

def test_category_create_update_reorder_delete(app, ok, admin, manager):
    parent = ok("post", "/api/categories", admin, {"name": "Garden"}, status=201)["category"]
    child = ok("post", f"/api/categories/{parent['id']}/subcategory", manager, {"name": "Tools"},
               status=201)["category"]
    ok("put", f"/api/categories/{child['id']}", manager, {"name": "Hand Tools", "description": "Small"})
    ok("put", "/api/categories/reorder", admin, {"updates": [{"id": child["id"], "parent_id": None, "position": 3},
                                                             {"id": parent["id"], "position": 0}]})
    ok("delete", f"/api/categories/{child['id']}", admin)
    assert entries(app) == [
        (admin.id, "admin", "category.create", "category", parent["id"],
         {"name": [None, "Garden"], "slug": [None, "garden"], "position": [None, 0], "is_active": [None, True]}),
        (manager.id, "manager", "category.create", "category", child["id"],
         {"name": [None, "Tools"], "slug": [None, "tools"], "parent_id": [None, parent["id"]],
          "position": [None, 0], "is_active": [None, True]}),
        (manager.id, "manager", "category.update", "category", child["id"],
         {"name": ["Tools", "Hand Tools"], "slug": ["tools", "hand-tools"], "description": [None, "Small"]}),
        (admin.id, "admin", "category.reorder", "category", child["id"],
         {"parent_id": [parent["id"], None], "position": [0, 3]}),  # the parent's position did not change: no entry
        (admin.id, "admin", "category.delete", "category", child["id"],
         {"name": ["Hand Tools", None], "slug": ["hand-tools", None], "description": ["Small", None],
          "position": [3, None], "is_active": [True, None]}),
    ]


# --- users -------------------------------------------------------------------------------------------------------

def test_user_create_update_ban_unban_delete(app, ok, admin):
    created = ok("post", "/api/users", admin, {"email": "ann@shop.com", "username": "ann", "password": "Welcome123!",
                                               "role": "cashier", "first_name": "Ann"}, status=201)["user"]
    ok("put", f"/api/users/{created['id']}", admin, {"email": "ann.b@shop.com", "username": "ann"})
    ok("post", f"/api/users/{created['id']}/ban", admin)
    ok("post", f"/api/users/{created['id']}/unban", admin)
    ok("delete", f"/api/users/{created['id']}", admin)
    target = ("user", created["id"])
    assert entries(app) == [
        (admin.id, "admin", "user.create", *target,
         {"email": [None, "ann@shop.com"], "username": [None, "ann"], "role": [None, "cashier"],
          "is_active": [None, True]}),
        (admin.id, "admin", "user.update", *target, {"email": ["ann@shop.com", "ann.b@shop.com"]}),
        (admin.id, "admin", "user.ban", *target, {"is_active": [True, False]}),
        (admin.id, "admin", "user.unban", *target, {"is_active": [False, True]}),
        (admin.id, "admin", "user.delete", *target,
         {"email": ["ann.b@shop.com", None], "username": ["ann", None], "role": ["cashier", None],
          "is_active": [True, None]}),
    ]


def test_a_role_change_records_the_role_and_the_profile_fields_given(app, ok, admin, customer):
    ok("put", f"/api/users/{customer.id}/role", admin, {"role": "manager", "employee_id": "EMP-777",
                                                        "salary": "50000.00"})
    assert entries(app) == [(admin.id, "admin", "user.role_change", "user", customer.id, {
        "role": ["customer", "manager"], "employee_id": [None, "EMP-777"], "salary": [None, "50000.00"]})]


def test_public_sign_up_is_not_a_staff_action(app, client):
    response = client.post("/api/auth/register", json={"email": "new@shop.com", "username": "newbie",
                                                       "password": "Welcome123!"})
    assert response.status_code == 201
    assert entries(app) == []


def test_an_admin_registering_an_account_is_a_staff_action(app, client, admin):
    response = client.post("/api/auth/register", headers=admin.headers, json={
        "email": "cash@shop.com", "username": "cashier2", "password": "Welcome123!", "role": "cashier",
        "first_name": "Cash", "last_name": "Ier"})
    assert response.status_code == 201
    ((actor_id, role, action, target_type, target_id, changes),) = entries(app)
    assert (actor_id, role, action, target_type, target_id) == (
        admin.id, "admin", "user.create", "user", response.get_json()["user"]["id"])
    assert changes["role"] == [None, "cashier"] and changes["email"] == [None, "cash@shop.com"]


def test_a_refused_admin_action_writes_no_entry(app, client, admin):
    assert client.post(f"/api/users/{admin.id}/ban", headers=admin.headers).status_code == 400
    assert client.put(f"/api/users/{admin.id}/role", json={"role": "manager"}, headers=admin.headers).status_code == 400
    assert client.post("/api/users", json={"email": "bad", "username": "x", "password": "short"},
                       headers=admin.headers).status_code == 400
    assert entries(app) == []


def test_no_secret_in_any_entry_after_a_password_reset(app, ok, admin, customer):
    secret = "Brand-New-Secret-9"
    ok("post", f"/api/users/{customer.id}/password-reset", admin, {"new_password": secret})
    ok("post", "/api/users", admin, {"email": "bo@shop.com", "username": "bob", "password": "Other-Secret-77",
                                     "role": "customer"}, status=201)
    assert entries(app, "user.password_reset") == [
        (admin.id, "admin", "user.password_reset", "user", customer.id, {"token_version": [0, 1]})]
    with app.app_context():
        hashes = [user.password_hash for user in db.session.scalars(db.select(User))]
        db.session.remove()
    rows = stored_rows(app)
    text = repr(rows)
    for forbidden in (secret, "Other-Secret-77", *hashes):
        assert forbidden not in text
    assert not any("password" in field for row in rows for field in row["changes"])


def test_record_drops_secret_fields_whatever_it_is_given(app, admin):
    assert audit_service.diff({"password": "a", "password_hash": "h", "email": "x"},
                              {"password": "b", "password_hash": "i", "email": "y"}) == {"email": ["x", "y"]}
    with app.test_request_context():
        entry = audit_service.record(admin, "user.update", "user", 1,
                                     {"password": ["a", "b"], "password_hash": ["h", "i"], "role": ["a", "b"]})
        assert entry.changes == {"role": ["a", "b"]}


# --- orders ------------------------------------------------------------------------------------------------------

@pytest.fixture
def order_id(app, customer):
    product_id = make_product(app, stock=10)
    return make_order(app, customer.customer_id, [(product_id, 2)], payment_status="paid")


def test_order_status_payment_ship_notes(app, ok, manager, order_id):
    ok("put", f"/api/orders/{order_id}/status", manager, {"status": "confirmed"})
    ok("put", f"/api/orders/{order_id}/payment-status", manager, {"payment_status": "failed"})
    ok("post", f"/api/orders/{order_id}/ship", manager, {"tracking_number": "TRK-1"})
    ok("post", f"/api/orders/{order_id}/notes", manager, {"notes": "Left at the door"})
    target = ("order", order_id)
    assert entries(app) == [
        (manager.id, "manager", "order.status_change", *target, {"status": ["pending", "confirmed"]}),
        (manager.id, "manager", "order.payment_status_change", *target, {"payment_status": ["paid", "failed"]}),
        (manager.id, "manager", "order.ship", *target,
         {"status": ["confirmed", "shipped"], "tracking_number": [None, "TRK-1"]}),
        (manager.id, "manager", "order.note", *target, {"note": [None, "Left at the door"]}),
    ]


def test_order_refund(app, ok, admin, order_id):
    ok("post", f"/api/orders/{order_id}/refund", admin, {"reason": "Broken"}, headers={"Idempotency-Key": "r-1"})
    ok("post", f"/api/orders/{order_id}/refund", admin, {"reason": "Broken"}, headers={"Idempotency-Key": "r-1"})
    # The keyed repeat replays the first answer and records nothing.
    assert entries(app) == [(admin.id, "admin", "order.refund", "order", order_id,
                             {"status": ["pending", "refunded"], "payment_status": ["paid", "refunded"]})]


def test_refund_through_the_status_route_is_a_refund(app, ok, admin, order_id):
    ok("put", f"/api/orders/{order_id}/status", admin, {"status": "refunded"})
    assert [entry[2:] for entry in entries(app)] == [
        ("order.refund", "order", order_id,
         {"status": ["pending", "refunded"], "payment_status": ["paid", "refunded"]})]


def test_order_delete(app, ok, admin, order_id):
    with app.app_context():
        number = db.session.get(Order, order_id).order_number
        db.session.remove()
    ok("delete", f"/api/orders/{order_id}", admin)
    assert entries(app) == [(admin.id, "admin", "order.delete", "order", order_id, {
        "order_number": [number, None], "status": ["pending", None], "payment_status": ["paid", None],
        "total": ["30.00", None]})]


def test_a_customer_cancel_and_a_checkout_are_not_staff_actions(app, client, customer):
    product_id = make_product(app, stock=10)
    client.post("/api/cart/items", json={"product_id": product_id, "quantity": 1}, headers=customer.headers)
    order = client.post("/api/orders", json=ORDER_BODY, headers=customer.headers).get_json()["order"]
    assert client.post(f"/api/orders/{order['id']}/cancel", headers=customer.headers).status_code == 200
    assert entries(app) == []


def test_a_forbidden_order_change_writes_no_entry(app, client, manager, order_id):
    response = client.put(f"/api/orders/{order_id}/status", json={"status": "refunded"}, headers=manager.headers)
    assert response.status_code == 403
    response = client.put(f"/api/orders/{order_id}/status", json={"status": "bogus"}, headers=manager.headers)
    assert response.status_code == 400
    assert entries(app) == []


# --- stock -------------------------------------------------------------------------------------------------------

def test_stock_adjustment(app, ok, manager, client):
    product_id = make_product(app, stock=10)
    ok("post", f"/api/products/{product_id}/stock-adjustments", manager, {"delta": -4, "reason": "Broken"},
       status=201)
    assert client.post(f"/api/products/{product_id}/stock-adjustments", json={"delta": -40, "reason": "Broken"},
                       headers=manager.headers).status_code == 409
    assert entries(app) == [(manager.id, "manager", "stock.adjust", "product", product_id,
                             {"stock_quantity": [10, 6]})]


def test_every_entry_carries_the_request_id(app, client, admin):
    product_id = make_product(app, stock=10)
    response = client.post(f"/api/products/{product_id}/stock-adjustments", json={"delta": 1, "reason": "Count"},
                           headers={**admin.headers, "X-Request-ID": "req-audit-42"})
    assert response.status_code == 201
    assert [row["request_id"] for row in stored_rows(app)] == ["req-audit-42"]
