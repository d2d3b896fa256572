"""Bounded soak: 16 clients send a mixed shop workload to gunicorn + PostgreSQL for a minute; then no 5xx was seen
and the books balance (stock, money, order histories)."""
import os
import random
import threading
import time
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest
import requests
from sqlalchemy import select

from app.models import Order, OrderEvent, OrderItem, Product
from tests.factories import ORDER_BODY, make_category, make_product
from tests.system.harness import actor, app_context, create_database

pytestmark = pytest.mark.system

SECONDS = float(os.environ.get("SOAK_SECONDS", 60))
FLOW = ["pending", "confirmed", "processing", "shipped", "delivered"]
HOLDING = {"pending", "confirmed", "processing", "shipped", "delivered"}  # every status but cancelled, refunded


def allowed_move(current, target):
    """DESIGN.md 3.9, restated on its own so the soak checks the server against the design, not against itself."""
    if current in ("cancelled", "refunded") or current == target:
        return False
    if target == "cancelled":
        return current in ("pending", "confirmed", "processing")
    if target == "refunded":
        return True
    return FLOW.index(target) > FLOW.index(current)


class Client:
    """One client thread's session: every answer is tallied by (action, status)."""

    def __init__(self, base, token, tally, lock):
        self.base, self.session = base, requests.Session()
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"
        self.tally, self.lock = tally, lock

    def call(self, action, method, path, **kwargs):
        try:
            response = self.session.request(method, self.base + path, timeout=60, **kwargs)
        except requests.RequestException as error:
            with self.lock:
                self.tally[(action, f"network error: {type(error).__name__}")] += 1
            return None
        with self.lock:
            self.tally[(action, response.status_code)] += 1
        return response


def browse(client, rng, products):
    client.call("browse", "GET", f"/api/products?page={rng.randint(1, 3)}&per_page={rng.choice([10, 20, 50])}")
    client.call("browse", "GET", f"/api/products/{rng.choice(products)}")
    client.call("browse", "GET", "/api/categories")


def search(client, rng, products):
    term = rng.choice(["Soak", "widget", "gadget", "%", "_", "no such thing"])
    client.call("search", "GET", "/api/products", params={"search_type": "name", "search_value": term,
                                                           "sort": rng.choice(["price", "-price", "name"])})


def cart(client, rng, products):
    product = rng.choice(products)
    client.call("cart", "POST", "/api/cart/items", json={"product_id": product, "quantity": rng.randint(1, 3)})
    choice = rng.random()
    if choice < 0.3:
        client.call("cart", "PUT", f"/api/cart/items/{product}", json={"quantity": rng.randint(1, 4)})
    elif choice < 0.5:
        client.call("cart", "DELETE", f"/api/cart/items/{rng.choice(products)}")
    client.call("cart", "GET", "/api/cart")


def checkout(client, rng, products):
    for product in rng.sample(products, rng.randint(1, 3)):
        client.call("checkout", "POST", "/api/cart/items", json={"product_id": product, "quantity": rng.randint(1, 2)})
    client.call("checkout", "POST", "/api/orders", json=ORDER_BODY)


def cancel(client, rng, products):
    response = client.call("cancel", "GET", "/api/orders?per_page=20")
    if response is None or response.status_code != 200:
        return
    open_orders = [o["id"] for o in response.json()["orders"] if o["status"] in ("pending", "confirmed")]
    if open_orders:
        client.call("cancel", "POST", f"/api/orders/{rng.choice(open_orders)}/cancel")


def _recent_order_ids(client, path):
    response = client.call("staff list", "GET", path)
    if response is None or response.status_code != 200:
        return []
    body = response.json()
    return [o["id"] for o in body["orders"]] if isinstance(body, dict) and "orders" in body else []


def cashier_work(client, rng, products):
    ids = _recent_order_ids(client, "/api/orders/today")
    if ids:
        client.call("status", "PUT", f"/api/orders/{rng.choice(ids)}/status",
                    json={"status": rng.choice(["confirmed", "processing"])})


def manager_work(client, rng, products):
    ids = _recent_order_ids(client, "/api/orders/admin?per_page=50")
    if not ids:
        return
    order = rng.choice(ids)
    if rng.random() < 0.3:
        client.call("status", "POST", f"/api/orders/{order}/ship", json={"tracking_number": f"TRK{rng.randint(1, 9999)}"})
    else:
        client.call("status", "PUT", f"/api/orders/{order}/status",
                    json={"status": rng.choice(["confirmed", "processing", "shipped", "delivered", "cancelled"])})
    client.call("payment", "PUT", f"/api/orders/{order}/payment-status", json={"payment_status": "paid"})


def admin_work(client, rng, products):
    ids = _recent_order_ids(client, "/api/orders/admin?per_page=50")
    if ids:
        order = rng.choice(ids)
        client.call("refund", "POST", f"/api/orders/{order}/refund", json={"reason": "Soak refund"},
                    headers={"Idempotency-Key": f"soak-{order}-{rng.randint(1, 3)}"})


CUSTOMER_MIX = [(browse, 30), (search, 10), (cart, 25), (checkout, 20), (cancel, 15)]


def customer_work(client, rng, products):
    action = rng.choices([a for a, _ in CUSTOMER_MIX], weights=[w for _, w in CUSTOMER_MIX])[0]
    action(client, rng, products)


def anonymous_work(client, rng, products):
    (browse if rng.random() < 0.7 else search)(client, rng, products)


def test_soak(postgres_url, servers, capsys):
    database_url, app = create_database(postgres_url)
    categories = [make_category(app, name=f"Soak category {i}") for i in range(3)]
    initial = {make_product(app, categories[i % 3], name=f"Soak widget {i}", price=f"{5 + i * 3}.{i:02d}",
                            stock=25): 25 for i in range(20)}
    products = list(initial)
    # 16 clients: 11 customers, a cashier, a manager, an admin and 2 anonymous browsers.
    roles = ["customer"] * 11 + ["cashier", "manager", "admin", None, None]
    work = {"customer": customer_work, "cashier": cashier_work, "manager": manager_work, "admin": admin_work,
            None: anonymous_work}
    tokens = [actor(app, role).access_token if role else None for role in roles]
    # Tokens must outlive the run: the testing config mints 5-minute tokens, ample for a 60 s soak.
    server = servers(database_url, GUNICORN_THREADS=4)
    tally, lock = Counter(), threading.Lock()
    deadline = time.monotonic() + SECONDS

    def run(i):
        rng = random.Random(i)
        client = Client(server.base, tokens[i], tally, lock)
        while time.monotonic() < deadline:
            work[roles[i]](client, rng, products)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(roles))]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started

    requests_sent = sum(tally.values())
    by_status = Counter()
    for (_, status), count in tally.items():
        by_status[status] += count
    with capsys.disabled():
        print(f"\nsoak: {requests_sent} requests from {len(roles)} clients in {elapsed:.0f} s "
              f"({requests_sent / elapsed:.0f}/s); statuses {dict(sorted(by_status.items(), key=str))}")
    failures = {key: n for key, n in tally.items() if not isinstance(key[1], int) or key[1] >= 500}
    assert failures == {}
    refused = {key: n for key, n in tally.items() if key[1] in (401, 403)}
    assert refused == {}, "every action of the workload is allowed to its role"
    assert tally[("checkout", 201)] > 0 and tally[("refund", 200)] > 0 and tally[("cancel", 200)] > 0
    assert server.logged_tracebacks() == 0
    _assert_books_balance(app, initial)


def _assert_books_balance(app, initial):
    with app_context(app) as session:
        held = defaultdict(int)
        rows = session.execute(select(OrderItem.product_id, OrderItem.quantity, Order.status).join(Order))
        for product_id, quantity, status in rows:
            if status in HOLDING:
                held[product_id] += quantity
        for product_id, start in initial.items():
            current = session.get(Product, product_id).stock_quantity
            assert current >= 0
            assert start == current + held[product_id], f"product {product_id}"

        orders = session.scalars(select(Order)).all()
        assert orders
        events = defaultdict(list)
        for event in session.scalars(select(OrderEvent).order_by(OrderEvent.id)):
            # Payment events carry payment statuses in from/to; the order's own history is the rest.
            if event.to_status is not None and event.event_type != "payment_status_changed":
                events[event.order_id].append(event)
        for order in orders:
            assert order.total == order.subtotal + order.tax + order.shipping_cost, order.order_number
            assert order.subtotal == sum(item.total_price for item in order.items)
            assert order.tax == (order.subtotal * Decimal("0.10")).quantize(Decimal("0.01"), ROUND_HALF_UP)
            history = events[order.id]
            assert history[0].event_type == "created" and history[0].from_status is None
            assert history[0].to_status == "pending"
            for before, after in zip(history, history[1:]):
                assert after.from_status == before.to_status, order.order_number
                assert allowed_move(after.from_status, after.to_status), (order.order_number, after.from_status,
                                                                          after.to_status)
            assert history[-1].to_status == order.status
