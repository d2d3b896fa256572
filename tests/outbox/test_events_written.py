"""Each change writes its events in its own transaction: committed together, or not at all."""
import pytest

from tests.factories import ADDRESS, make_category, make_order, make_product


def checkout(client, actor, product_id, quantity=1):
    client.post("/api/cart/items", json={"product_id": product_id, "quantity": quantity}, headers=actor.headers)
    return client.post("/api/orders", json={"shipping_address": ADDRESS}, headers=actor.headers)


def test_checkout_writes_order_created_with_the_order_as_it_was(client, customer, outbox):
    product_id = make_product(client.application, price="12.50", stock=50, name="Lamp", sku="LAMP-1")
    response = checkout(client, customer, product_id, quantity=2)
    assert response.status_code == 201
    (event,) = outbox()
    assert event.type == "order.created"
    assert event.id.startswith("evt_") and len(event.id) == 36
    assert event.state == "pending" and event.attempts == 0
    order = event.payload["order"]
    assert order["order_number"] == response.get_json()["order"]["order_number"]
    assert order["customer_id"] == customer.customer_id
    assert (order["subtotal"], order["tax"], order["shipping_cost"], order["total"]) == (25.0, 2.5, 10.0, 37.5)
    assert [(item["product_name"], item["product_sku"], item["quantity"]) for item in order["items"]] == [
        ("Lamp", "LAMP-1", 2)]
    assert order["shipping_address"]["city"] == "New York"


def test_a_refused_checkout_writes_nothing(client, customer, outbox):
    product_id = make_product(client.application, stock=3)
    client.post("/api/cart/items", json={"product_id": product_id, "quantity": 3}, headers=customer.headers)
    with client.application.app_context():
        from app.extensions import db
        from app.models import Product
        db.session.get(Product, product_id).stock_quantity = 2  # sold elsewhere after the cart was filled
        db.session.commit()
        db.session.remove()
    response = client.post("/api/orders", json={"shipping_address": ADDRESS}, headers=customer.headers)
    assert response.status_code == 409
    assert outbox() == []


def test_a_failure_after_the_event_rolls_the_event_back(app, client, customer, outbox):
    """The event is added before the transaction fails (rendering the answer comes last): the rollback takes it."""
    from app.repositories.caller_repository import Caller
    from app.services import checkout_service

    client.post("/api/cart/items", json={"product_id": make_product(app, stock=5)}, headers=customer.headers)
    added = []

    def failing_render(order):
        added.extend(outbox_ids(app))
        raise RuntimeError("the answer could not be rendered")

    with app.app_context():
        caller = Caller(customer.id, "customer", True, 0, customer.customer_id)
        with pytest.raises(RuntimeError):
            checkout_service.place_order(caller, {"shipping_address": ADDRESS}, render=failing_render)
    assert len(added) == 1  # the same transaction saw its own event
    assert outbox() == []
    assert client.get("/api/orders", headers=customer.headers).get_json()["orders"] == []


def outbox_ids(app):
    from app.extensions import db
    from app.models import OutboxEvent
    return [event.id for event in db.session.query(OutboxEvent)]


def test_stock_low_once_when_the_stock_crosses_the_threshold(client, customer, outbox):
    product_id = make_product(client.application, stock=7, sku="LOW-1", name="Mug")
    assert checkout(client, customer, product_id, quantity=1).status_code == 201  # 7 -> 6: above 5
    assert outbox("stock.low") == []
    assert checkout(client, customer, product_id, quantity=2).status_code == 201  # 6 -> 4: crosses
    (event,) = outbox("stock.low")
    assert event.payload == {"product": {"id": product_id, "sku": "LOW-1", "name": "Mug", "stock_quantity": 4},
                             "threshold": 5}
    assert checkout(client, customer, product_id, quantity=1).status_code == 201  # 4 -> 3: already low
    assert len(outbox("stock.low")) == 1


def test_product_writes_announce_themselves(client, manager, admin, outbox):
    category_id = make_category(client.application)
    body = {"name": "Desk", "sku": "DESK-1", "price": 120, "stock_quantity": 9, "category_id": category_id}
    product_id = client.post("/api/products/add", json=body, headers=manager.headers).get_json()["id"]
    assert client.put(f"/api/products/{product_id}", json={"price": 99.5, "stock_quantity": 2},
                      headers=manager.headers).status_code == 200
    assert client.delete(f"/api/products/{product_id}", headers=admin.headers).status_code == 200
    events = outbox()
    assert [event.type for event in events] == ["product.created", "product.updated", "stock.low", "product.deleted"]
    created, updated, low, deleted = events
    assert (created.payload["product"]["sku"], created.payload["product"]["price"]) == ("DESK-1", 120.0)
    assert (updated.payload["product"]["price"], updated.payload["product"]["stock_quantity"]) == (99.5, 2)
    assert low.payload["product"]["stock_quantity"] == 2
    assert deleted.payload["product"]["is_active"] is False


def test_registration_announces_the_user(client, outbox):
    body = {"email": "new@example.com", "username": "newbie", "password": "Secret123!", "first_name": "N",
            "last_name": "B"}
    assert client.post("/api/auth/register", json=body).status_code == 201
    (event,) = outbox()
    assert event.type == "user.registered"
    assert {key: event.payload["user"][key] for key in ("email", "username", "role", "email_verified")} == {
        "email": "new@example.com", "username": "newbie", "role": "customer", "email_verified": False}
    assert "password" not in str(event.payload) and "hash" not in str(event.payload)


def test_order_changes_announce_from_and_to(client, app, customer, manager, admin, outbox):
    product_id = make_product(app, stock=50)
    order_id = make_order(app, customer.customer_id, [(product_id, 1)])
    assert client.put(f"/api/orders/{order_id}/status", json={"status": "confirmed"},
                      headers=manager.headers).status_code == 200
    assert client.put(f"/api/orders/{order_id}/payment-status", json={"payment_status": "paid"},
                      headers=manager.headers).status_code == 200
    assert client.post(f"/api/orders/{order_id}/ship", json={"tracking_number": "TRK-9"},
                       headers=manager.headers).status_code == 200
    assert client.post(f"/api/orders/{order_id}/refund", json={"reason": "Broken on arrival"},
                       headers=admin.headers).status_code == 200
    seen = [(e.type, e.payload.get("from_status") or e.payload.get("from_payment_status"),
             e.payload.get("to_status") or e.payload.get("to_payment_status")) for e in outbox()]
    assert seen == [
        ("order.status_changed", "pending", "confirmed"),
        ("order.payment_status_changed", "pending", "paid"),
        ("order.status_changed", "confirmed", "shipped"),
        ("order.status_changed", "shipped", "refunded"),
        ("order.refunded", None, None),
        ("order.payment_status_changed", "paid", "refunded"),
    ]
    shipped = outbox("order.status_changed")[1]
    assert shipped.payload["order"]["tracking_number"] == "TRK-9"
    refunded = outbox("order.refunded")[0]
    assert refunded.payload["reason"] == "Broken on arrival"
    assert refunded.payload["order"]["status"] == "refunded"


def test_a_customer_cancel_announces_cancelled(client, app, customer, outbox):
    order_id = make_order(app, customer.customer_id, [(make_product(app), 1)])
    assert client.post(f"/api/orders/{order_id}/cancel", headers=customer.headers).status_code == 200
    assert [event.type for event in outbox()] == ["order.status_changed", "order.cancelled"]


def test_a_refused_change_announces_nothing(client, app, customer, manager, outbox):
    order_id = make_order(app, customer.customer_id, status="delivered")
    assert client.put(f"/api/orders/{order_id}/status", json={"status": "pending"},
                      headers=manager.headers).status_code == 409
    assert outbox() == []
