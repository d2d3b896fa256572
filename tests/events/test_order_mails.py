"""Order mails to the customer: confirmation, shipped, cancelled, refunded (text and HTML parts)."""
import pytest

from tests.factories import ORDER_BODY, make_product


@pytest.fixture
def order(client, app, customer, mail_server, dispatch):
    """An order of 2 x "Blue Mug" at 12.50 placed by `customer` through checkout; its events already dispatched."""
    product = make_product(app, name="Blue Mug", price="12.50", stock=50)
    client.post("/api/cart/items", json={"product_id": product, "quantity": 2}, headers=customer.headers)
    response = client.post("/api/orders", json=ORDER_BODY, headers=customer.headers)
    assert response.status_code == 201
    assert dispatch() == ["order.created"]
    return response.get_json()["order"]


def test_checkout_mails_the_confirmation(order, mail_server):
    [mail] = mail_server.mails
    number = order["order_number"]
    assert mail.envelope_to == ["customer1@email.com"]
    assert mail.subject == f"We received your order {number}"
    for part in (mail.text, mail.html):
        assert number in part
        assert "Blue Mug" in part
        assert "37.50" in part and "25.00" in part and "2.50" in part and "10.00" in part
        assert "123 Main St, Apt 4B" in part and "New York, NY 10001" in part and "USA" in part
    assert "- Blue Mug x 2: 25.00" in mail.text
    assert "Subtotal: 25.00\nTax: 2.50\nShipping: 10.00\nTotal: 37.50" in mail.text
    assert "Hello First" in mail.text


def test_shipping_mails_the_tracking_number(client, admin, order, mail_server, dispatch):
    response = client.post(f"/api/orders/{order['id']}/ship", json={"tracking_number": "TRK-12345"},
                           headers=admin.headers)
    assert response.status_code == 200
    assert dispatch() == ["order.status_changed"]
    mail = mail_server.mails[-1]
    assert len(mail_server.mails) == 2
    assert mail.subject == f"Your order {order['order_number']} has shipped"
    assert "Tracking number: TRK-12345" in mail.text and "TRK-12345" in mail.html


def test_other_status_changes_send_no_mail(client, admin, order, mail_server, dispatch):
    assert client.put(f"/api/orders/{order['id']}/status", json={"status": "confirmed"},
                      headers=admin.headers).status_code == 200
    assert client.put(f"/api/orders/{order['id']}/payment-status", json={"payment_status": "paid"},
                      headers=admin.headers).status_code == 200
    assert dispatch() == ["order.status_changed", "order.payment_status_changed"]
    assert len(mail_server.mails) == 1


def test_cancelling_mails_the_customer(client, customer, order, mail_server, dispatch):
    assert client.post(f"/api/orders/{order['id']}/cancel", headers=customer.headers).status_code == 200
    assert sorted(dispatch()) == ["order.cancelled", "order.status_changed"]
    [mail] = mail_server.mails[1:]
    assert mail.envelope_to == ["customer1@email.com"]
    assert mail.subject == f"Order {order['order_number']} was cancelled"
    assert "has been cancelled" in mail.text and order["order_number"] in mail.html


def test_a_refund_mails_the_amount_and_the_reason(client, admin, order, mail_server, dispatch):
    response = client.post(f"/api/orders/{order['id']}/refund", json={"reason": "Damaged in transit"},
                           headers=admin.headers)
    assert response.status_code == 200
    dispatch()
    [mail] = mail_server.mails[1:]
    assert mail.subject == f"Order {order['order_number']} was refunded"
    for part in (mail.text, mail.html):
        assert "Reason: Damaged in transit" in part and "refunded: " in part
    assert "has been refunded: 37.50." in mail.text


def test_the_recipient_is_read_when_the_mail_is_sent(client, admin, customer, order, mail_server, dispatch):
    assert client.put(f"/api/users/{customer.id}", json={"email": "moved@example.com"},
                      headers=admin.headers).status_code == 200
    client.post(f"/api/orders/{order['id']}/ship", json={"tracking_number": "TRK-9"}, headers=admin.headers)
    dispatch()
    assert mail_server.mails[-1].envelope_to == ["moved@example.com"]


def test_html_parts_escape_what_customers_typed(client, app, mail_server, dispatch):
    from tests.factories import make_user

    buyer = make_user(app, "customer", first_name="<b>Eve</b>")
    product = make_product(app, name="Mug", price="1.00", stock=5)
    client.post("/api/cart/items", json={"product_id": product, "quantity": 1}, headers=buyer.headers)
    assert client.post("/api/orders", json=ORDER_BODY, headers=buyer.headers).status_code == 201
    dispatch()
    [mail] = mail_server.mails
    assert "&lt;b&gt;Eve&lt;/b&gt;" in mail.html and "<b>Eve</b>" not in mail.html
    assert "<b>Eve</b>" in mail.text
