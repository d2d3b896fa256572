"""Hardening: security headers on every kind of answer, CORS only for configured origins, no stack trace or SQL in
any error body, capped request bodies and capped pages."""
import re

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import DataError, IntegrityError, OperationalError

from app import create_app
from app.extensions import db
from app.models import (AuditEntry, Customer, Discount, Order, OutboxEvent, Product, StockMovement, User, Webhook,
                        WebhookDelivery)
from app.models.base import utcnow
from app.services import product_service
from tests.factories import make_category, make_order, make_product, make_user
from tests.shapes import with_request_id

SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer"}
LEAKS = re.compile(r"Traceback|File \"|sqlalchemy|psycopg|sqlite3|SELECT |INSERT |UPDATE |DELETE FROM|"
                   r"\[SQL:|Exception|Error:|line \d+", re.IGNORECASE)
ALLOWED_ORIGINS = ("http://localhost:5173", "http://localhost:3000")


def _assert_headers(response):
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, (name, response.status_code)


@pytest.fixture
def product(app):
    return make_product(app, stock=5)


@pytest.mark.parametrize("method, path, kwargs, status", [
    ("GET", "/api/products", {}, 200),
    ("GET", "/static/swagger-ui/swagger-ui.css", {}, 200),
    ("GET", "/api/openapi.json", {}, 200),
    ("POST", "/api/auth/register", {"json": {}}, 400),
    ("POST", "/api/auth/login", {"data": "{bad", "content_type": "application/json"}, 400),
    ("GET", "/api/cart", {}, 401),
    ("GET", "/api/products/999999", {}, 404),
    ("DELETE", "/api/health", {}, 405),
    ("POST", "/api/auth/login", {"data": "x=1", "content_type": "text/plain"}, 415),
    ("OPTIONS", "/api/products", {"headers": {"Origin": "http://localhost:5173",
                                              "Access-Control-Request-Method": "GET"}}, 200),
])
def test_security_headers_on_success_and_error_answers(client, method, path, kwargs, status):
    response = client.open(path, method=method, **kwargs)
    assert response.status_code == status
    _assert_headers(response)


@pytest.fixture
def unhandled_errors_answered(app, monkeypatch):
    """Let the 500 handler answer as in production (testing mode re-raises unhandled exceptions)."""
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)


def test_security_headers_on_403_409_413_429_500_and_503(client, app, customer, admin, rate_limits, monkeypatch,
                                                         unhandled_errors_answered):
    answers = [client.get("/api/users", headers=customer.headers)]
    answers.append(client.post("/api/users", json={"email": admin.email, "username": "taken_email", "role": "customer",
                                                   "password": "Secret123!", "first_name": "A", "last_name": "B"},
                               headers=admin.headers))
    answers.append(client.post("/api/auth/login", data=b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1),
                               content_type="application/json"))
    monkeypatch.setitem(app.config, "RATELIMIT_AUTH", "1 per minute")
    body = {"email_or_username": "nobody", "password": "Wrong123!"}
    client.post("/api/auth/login", json=body)
    answers.append(client.post("/api/auth/login", json=body))
    monkeypatch.setattr(product_service, "list_products", _raise(RuntimeError("boom at /srv/app.py line 3")))
    answers.append(client.get("/api/products"))
    monkeypatch.setattr(product_service, "list_products", _raise(_operational_error()))
    answers.append(client.get("/api/products"))
    assert [r.status_code for r in answers] == [403, 409, 413, 429, 500, 503]
    for response in answers:
        _assert_headers(response)
        assert response.is_json and response.get_json()["error"]


def _raise(error):
    def fail(*args, **kwargs):
        raise error
    return fail


def _operational_error():
    return OperationalError("SELECT password_hash FROM users WHERE id = 1", {}, Exception("could not connect"))


@pytest.mark.parametrize("error, status, code", [
    (RuntimeError('Traceback (most recent call last):\n  File "/srv/app/x.py", line 3'), 500, "INTERNAL_ERROR"),
    (ZeroDivisionError("division by zero"), 500, "INTERNAL_ERROR"),
    (KeyError("secret_column"), 500, "INTERNAL_ERROR"),
    (_operational_error(), 503, "DATABASE_UNAVAILABLE"),
    (IntegrityError("INSERT INTO users (email) VALUES ('a@b.c')", {}, Exception("UNIQUE constraint failed: users.email")),
     409, "CONFLICT"),
    (DataError("UPDATE products SET price = 1e99", {}, Exception("numeric field overflow")), 400, "INVALID_VALUE"),
])
def test_forced_errors_leak_no_trace_nor_sql(client, monkeypatch, unhandled_errors_answered, error, status, code):
    monkeypatch.setattr(product_service, "list_products", _raise(error))
    response = client.get("/api/products")
    assert response.status_code == status
    body = response.get_json()
    assert body["code"] == code and set(body) == {"error", "code", "request_id"}
    assert body["request_id"] == response.headers["X-Request-ID"]
    assert (int(response.headers["Retry-After"]) > 0) if status == 503 else ("Retry-After" not in response.headers)
    assert not LEAKS.search(response.get_data(as_text=True)), response.get_data(as_text=True)


HOSTILE_QUERIES = [
    "/api/products?search_type=name&search_value=%27%22%3B--%25_",
    "/api/products?search_type=sku&search_value=' OR 1=1 --",
    "/api/products?search_type=name&search_value=" + "%F0%9F%92%A9" * 50,
    "/api/products?min_price=1e400&max_price=-0",
    "/api/products?sort=price;DROP TABLE products",
    "/api/categories?parent_only=maybe",
]


@pytest.mark.parametrize("path", HOSTILE_QUERIES)
def test_hostile_queries_are_answered_cleanly(client, path):
    """Odd but harmless queries may be a 200 (nothing matches) or a 400; never a 5xx nor a leak."""
    response = client.get(path)
    assert response.status_code in (200, 400), response.get_data(as_text=True)[:300]
    assert response.is_json
    assert not LEAKS.search(response.get_data(as_text=True))


@pytest.mark.parametrize("method, path, kwargs", [
    ("GET", "/api/products?search_type=name&search_value=a%00b", {}),
    ("GET", "/api/products?page=99999999999999999999999", {}),
    ("GET", "/api/categories/slug/%00", {}),
    ("GET", "/api/products/99999999999999999999", {}),
    ("POST", "/api/auth/login", {"json": {"email_or_username": "a\u0000b", "password": "x\u0000"}}),
    ("POST", "/api/auth/register", {"json": {"email": "nul\u0000@example.com", "username": "nul\u0000user",
                                             "password": "Secret123!\u0000", "first_name": "\u0000"}}),
    ("POST", "/api/auth/login", {"json": {"email_or_username": ["list"], "password": {"a": 1}}}),
    ("POST", "/api/auth/login", {"json": {"email_or_username": "x" * 100_000, "password": "y" * 100_000}}),
    ("POST", "/api/auth/login", {"data": '{"a": ' * 5000, "content_type": "application/json"}),
    ("POST", "/api/auth/login", {"data": "[" * 100_000 + "]" * 100_000, "content_type": "application/json"}),
    ("POST", "/api/auth/login", {"data": b"\xff\xfe\x00garbage", "content_type": "application/json"}),
])
def test_hostile_input_gets_a_clean_4xx(client, method, path, kwargs):
    response = client.open(path, method=method, **kwargs)
    assert 400 <= response.status_code < 500, response.get_data(as_text=True)[:300]
    assert response.is_json and response.get_json()["error"]
    assert not LEAKS.search(response.get_data(as_text=True))


def test_nul_characters_in_stored_text_are_a_clean_4xx(client, customer, manager, product):
    """PostgreSQL refuses NUL in text: that must be a 400 like any other bad value, on every write."""
    writes = [
        ("PUT", "/api/users/profile", {"first_name": "Ja\u0000ne"}, customer),
        ("POST", "/api/products/add", {"name": "N\u0000", "price": "1.00", "sku": "NUL-1", "stock_quantity": 1,
                                       "category_id": make_category(client.application)}, manager),
        ("POST", "/api/orders", {"shipping_address": {"line1": "1\u0000 Main", "city": "X", "state": "Y",
                                                      "postal_code": "1", "country": "Z"},
                                 "payment_method": "credit_card", "customer_notes": "a\u0000"}, customer),
        ("POST", "/api/cart/items", {"product_id": product, "quantity": 1, "x\u0000": 1}, customer),
    ]
    client.post("/api/cart/items", json={"product_id": product, "quantity": 1}, headers=customer.headers)
    for method, path, body, caller in writes:
        response = client.open(path, method=method, json=body, headers=caller.headers)
        assert response.status_code == 400, (path, response.get_data(as_text=True)[:300])
        assert not LEAKS.search(response.get_data(as_text=True))


@pytest.mark.parametrize("origin", ALLOWED_ORIGINS)
def test_cors_answers_the_configured_origins(client, origin):
    simple = client.get("/api/products", headers={"Origin": origin})
    assert simple.headers["Access-Control-Allow-Origin"] == origin
    preflight = client.options("/api/orders", headers={"Origin": origin, "Access-Control-Request-Method": "POST",
                                                       "Access-Control-Request-Headers": "Authorization, Idempotency-Key"})
    assert preflight.headers["Access-Control-Allow-Origin"] == origin
    allowed = preflight.headers["Access-Control-Allow-Headers"].lower()
    assert "authorization" in allowed and "idempotency-key" in allowed
    guest = client.options("/api/cart", headers={"Origin": origin, "Access-Control-Request-Method": "GET",
                                                 "Access-Control-Request-Headers": "X-Cart-Token"})
    assert "x-cart-token" in guest.headers["Access-Control-Allow-Headers"].lower()


@pytest.mark.parametrize("origin", ["http://evil.example", "null", "http://localhost:5174", "https://localhost:5173",
                                    "http://localhost:5173.evil.example", "http://evil.example/http://localhost:5173"])
def test_cors_ignores_every_other_origin(client, origin):
    for response in (client.get("/api/products", headers={"Origin": origin}),
                     client.get("/api/cart", headers={"Origin": origin}),  # an error answer too
                     client.options("/api/orders", headers={"Origin": origin,
                                                            "Access-Control-Request-Method": "POST"})):
        assert "Access-Control-Allow-Origin" not in response.headers
        assert "Access-Control-Allow-Credentials" not in response.headers


def test_cors_origins_come_from_config(app):
    other = create_app("testing", {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                                   "CORS_ORIGINS": ["https://shop.example"]})
    client = other.test_client()
    assert client.get("/health", headers={"Origin": "https://shop.example"}).status_code == 200
    allowed = client.get("/api/health", headers={"Origin": "https://shop.example"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://shop.example"
    refused = client.get("/api/health", headers={"Origin": "http://localhost:5173"})
    assert "Access-Control-Allow-Origin" not in refused.headers


@pytest.mark.parametrize("method, path, role, kwargs", [
    ("POST", "/api/auth/login", None, {"content_type": "application/json"}),
    ("POST", "/api/orders", "customer", {"content_type": "application/json"}),
    ("PUT", "/api/users/profile", "customer", {"content_type": "application/json"}),
    ("POST", "/api/products/upload-image", "manager", {"content_type": "multipart/form-data; boundary=x"}),
])
def test_request_bodies_are_capped_at_max_content_length(app, client, actors, manager, method, path, role, kwargs):
    oversized = b"{" + b" " * app.config["MAX_CONTENT_LENGTH"] + b"}"
    headers = actors[role].headers if role else {}
    response = client.open(path, method=method, data=oversized, headers=headers, **kwargs)
    assert response.status_code == 413
    assert response.get_json() == with_request_id(response, {"error": "Request body too large",
                                                             "code": "REQUEST_ENTITY_TOO_LARGE"})
    _assert_headers(response)


def test_a_body_just_under_the_cap_is_read(app, client):
    padding = " " * (app.config["MAX_CONTENT_LENGTH"] - 200)
    body = f'{{"email_or_username": "nobody", "password": "Wrong123!"{padding}}}'.encode()
    response = client.post("/api/auth/login", data=body, content_type="application/json")
    assert response.status_code == 401


EMPTY_JSON = "Malformed JSON in request body (the body is empty)"


def _body_targets(app, actors):
    """The ids the body routes below are formatted with."""
    return {"product": make_product(app), "category": make_category(app), "customer": actors["customer"].id,
            "order": make_order(app, actors["customer"].customer_id)}


@pytest.mark.parametrize("method, path, role", [
    ("PUT", "/api/products/{product}", "manager"), ("PUT", "/api/categories/{category}", "admin"),
    ("PUT", "/api/users/profile", "customer"), ("PUT", "/api/users/{customer}", "admin"),
    ("POST", "/api/cart/items", "customer"), ("PUT", "/api/orders/{order}/status", "admin"),
    ("POST", "/api/orders/{order}/ship", "admin"), ("POST", "/api/orders/{order}/refund", "admin"),
    ("POST", "/api/auth/login", "anonymous"), ("POST", "/api/auth/logout", "customer"),
])
def test_an_empty_body_sent_as_json_is_malformed_json(app, client, actors, method, path, role):
    headers = actors[role].headers if actors[role] else {}
    response = client.open(path.format(**_body_targets(app, actors)), method=method, data=b"",
                           content_type="application/json", headers=headers)
    assert response.status_code == 400
    assert response.get_json()["error"] == EMPTY_JSON


@pytest.mark.parametrize("method, path, role, kwargs", [
    ("PUT", "/api/products/{product}", "manager", {}), ("PUT", "/api/products/{product}", "manager", {"json": {}}),
    ("PUT", "/api/categories/{category}", "admin", {}), ("POST", "/api/orders/{order}/ship", "admin", {}),
    ("POST", "/api/orders/{order}/refund", "admin", {}), ("POST", "/api/auth/logout", "customer", {}),
])
def test_no_body_and_no_content_type_or_an_empty_object_is_still_no_changes(app, client, actors, method, path,
                                                                            role, kwargs):
    response = client.open(path.format(**_body_targets(app, actors)), method=method, headers=actors[role].headers,
                           **kwargs)
    assert response.status_code == 200


def _seed_many(app, count=105):
    """count rows in every paginated collection: products, customers, employees and orders of one customer."""
    category = make_category(app)
    customer = make_user(app, "customer")
    with app.app_context():
        password_hash = db.session.get(User, customer.id).password_hash
        db.session.execute(insert(Product), [
            {"name": f"Bulk {i}", "slug": f"bulk-{i}", "sku": f"BULK-{i}", "price": 1, "stock_quantity": 1,
             "category_id": category, "is_active": True} for i in range(count)])
        for role in ("customer", "cashier"):
            db.session.execute(insert(User), [
                {"email": f"{role}{i}@bulk.example", "username": f"bulk_{role}_{i}", "password_hash": password_hash,
                 "role": role, "is_active": True, "token_version": 0} for i in range(count)])
        bulk_customers = db.session.scalars(db.select(User.id).where(User.role == "customer",
                                                                     User.email.like("%@bulk.example"))).all()
        db.session.execute(insert(Customer), [{"user_id": uid, "first_name": "Bulk", "last_name": "Customer"}
                                              for uid in bulk_customers])
        db.session.execute(insert(Order), [
            {"order_number": f"ORD-BULK{i:06d}", "customer_id": customer.customer_id, "status": "pending",
             "payment_status": "pending", "payment_method": "credit_card", "subtotal": 1, "tax": 0.1,
             "shipping_cost": 10, "total": 11.1, "shipping_address_line1": "1 Main St", "shipping_city": "X",
             "shipping_state": "Y", "shipping_postal_code": "1", "shipping_country": "Z"} for i in range(count)])
        product_id = db.session.scalar(db.select(db.func.min(Product.id)))
        db.session.execute(insert(StockMovement), [
            {"product_id": product_id, "kind": "adjustment", "delta": 1, "quantity_after": 1 + i, "reason": "Bulk"}
            for i in range(count)])
        db.session.execute(insert(AuditEntry), [
            {"actor_role": "admin", "action": "product.update", "target_type": "product", "target_id": product_id,
             "changes": {}} for _ in range(count)])
        webhook = Webhook(url="https://93.184.216.34/hooks", events=["product.updated"], secret="whsec_AAAA")
        db.session.add(webhook)
        db.session.flush()
        now = utcnow()
        db.session.execute(insert(OutboxEvent), [
            {"id": f"evt_bulk{i:028d}", "type": "product.updated", "payload": {}, "available_at": now}
            for i in range(count)])
        db.session.execute(insert(WebhookDelivery), [
            {"webhook_id": webhook.id, "event_id": f"evt_bulk{i:028d}", "available_at": now} for i in range(count)])
        db.session.execute(insert(Discount), [
            {"code": f"BULK{i:04d}", "kind": "fixed", "value": 1, "is_active": True, "times_used": 0}
            for i in range(count)])
        customer.webhook_id = webhook.id
        db.session.commit()
        db.session.remove()
    customer.product_id = product_id
    return customer


def test_every_list_endpoint_caps_per_page_at_100(app, client, admin):
    customer = _seed_many(app)
    spec = client.get("/api/openapi.json").get_json()
    paged = sorted(path for path, operations in spec["paths"].items()
                   if any(p["name"] == "per_page" for p in operations.get("get", {}).get("parameters", [])))
    assert set(paged) == {"/api/products", "/api/orders", "/api/orders/admin", "/api/users", "/api/users/customers",
                          "/api/users/employees", "/api/audit-log", "/api/products/{product_id}/stock-movements",
                          "/api/products/admin", "/api/webhooks/{webhook_id}/deliveries",
                          "/api/discounts"}
    for path in paged:
        headers = customer.headers if path == "/api/orders" else admin.headers
        for asked in (101, 1000, 10**9):
            url = path.format(product_id=customer.product_id, webhook_id=customer.webhook_id)
            response = client.get(f"{url}?per_page={asked}", headers=headers)
            assert response.status_code == 200, (path, response.get_json())
            body = response.get_json()
            items = next(value for value in body.values() if isinstance(value, list))
            assert len(items) == 100, path
            assert body["per_page"] == 100
            assert body["total"] > 100
