"""Bounded soak: 16 clients send a mixed shop workload to gunicorn on PostgreSQL and Redis (catalog cache, rate
limiter) for SOAK_SECONDS (60) with SOAK_WORKERS (2) workers; then no 5xx was seen and the books balance (stock,
money, order histories). Every ~10 s the workers' RSS and the database's open connections are sampled: after the
warm-up (the first 20% of the run) no worker grows by 10% or more, and the connections never exceed what the pools
allow. The p99 latency of each minute is printed. scripts/soak.sh runs it for 10 minutes with 4 workers."""
import math
import os
import random
import threading
import time
from collections import Counter, defaultdict
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import psycopg2
import pytest
import redis
import requests
from sqlalchemy import select
from sqlalchemy.engine import make_url

from app.extensions import db
from app.models import Order, OrderEvent, OrderItem, Product
from tests.factories import ORDER_BODY, make_category, make_product
from tests.system.harness import actor, app_context, create_database

pytestmark = pytest.mark.system

SECONDS = float(os.environ.get("SOAK_SECONDS", 60))
WORKERS = int(os.environ.get("SOAK_WORKERS", 2))
SAMPLE_SECONDS = 10
WARM_UP = 0.2  # of the run: RSS growth counts from the first sample after it
MAX_RSS_GROWTH = 0.10
RECONNECT_EVERY = 10  # requests of a client on one keep-alive connection (a worker keeps every one it accepts)
# Each worker's pool, set here for the server (the .env.example values): at most 5 + 10 connections a worker.
POOL_SIZE, MAX_OVERFLOW = 5, 10
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

    def __init__(self, base, token, tally, lock, latencies=None, started=None):
        self.base, self.session = base, requests.Session()
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"
        self.tally, self.lock = tally, lock
        self.latencies, self.started = latencies, started  # latencies[minute of the run]: seconds of each answer
        self.calls = 0

    def call(self, action, method, path, **kwargs):
        self.calls += 1
        if self.calls % RECONNECT_EVERY == 0:
            self.session.close()  # a new connection now and then: gunicorn spreads them over all its workers
        sent = time.monotonic()
        try:
            response = self.session.request(method, self.base + path, timeout=60, **kwargs)
        except requests.RequestException as error:
            with self.lock:
                self.tally[(action, f"network error: {type(error).__name__}")] += 1
            return None
        answered = time.monotonic()
        with self.lock:
            self.tally[(action, response.status_code)] += 1
            if self.latencies is not None:
                self.latencies[int((sent - self.started) // 60)].append(answered - sent)
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


def percentile(values, fraction):
    """The nearest-rank percentile of values."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def worker_pids(master_pid):
    pids = set()
    for children in Path(f"/proc/{master_pid}/task").glob("*/children"):
        pids.update(int(pid) for pid in children.read_text().split())
    return pids


def rss_kib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError(f"no VmRSS for {pid}")


class Sampler(threading.Thread):
    """Every SAMPLE_SECONDS until stopped (and once more then): (seconds into the run, {worker: RSS KiB}, open
    connections to the soak's database), counted from the server's `postgres` database so that it adds none."""

    def __init__(self, master_pid, database_url, started):
        super().__init__(daemon=True)
        self.master, self.started, self.samples, self.stopped = master_pid, started, [], threading.Event()
        url = make_url(database_url)
        self.database = url.database
        self.connection = psycopg2.connect(host=url.host, port=url.port, user=url.username, dbname="postgres")
        self.connection.autocommit = True

    def sample(self):
        rss = {}
        for pid in worker_pids(self.master):
            try:
                rss[pid] = rss_kib(pid)
            except FileNotFoundError:  # a worker gone between the two reads: the worker set check reports it
                pass
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s", (self.database,))
            connections = cursor.fetchone()[0]
        self.samples.append((time.monotonic() - self.started, rss, connections))

    def run(self):
        while not self.stopped.wait(max(0.0, self.started + SAMPLE_SECONDS * len(self.samples) - time.monotonic())):
            self.sample()

    def finish(self):
        self.stopped.set()
        self.join()
        self.sample()
        self.connection.close()


def test_soak(postgres_url, redis_url, servers, capsys):
    database_url, app = create_database(postgres_url)
    # The testing config mints 5-minute tokens: these must outlive the run.
    app.config["JWT_ACCESS_TOKEN_EXPIRES"] = timedelta(seconds=SECONDS + 600)
    stock = 25 * max(1, round(SECONDS / 60))  # enough that checkouts go on selling over a long run
    categories = [make_category(app, name=f"Soak category {i}") for i in range(3)]
    initial = {make_product(app, categories[i % 3], name=f"Soak widget {i}", price=f"{5 + i * 3}.{i:02d}",
                            stock=stock): stock for i in range(20)}
    products = list(initial)
    # 16 clients: 11 customers, a cashier, a manager, an admin and 2 anonymous browsers.
    roles = ["customer"] * 11 + ["cashier", "manager", "admin", None, None]
    work = {"customer": customer_work, "cashier": cashier_work, "manager": manager_work, "admin": admin_work,
            None: anonymous_work}
    tokens = [actor(app, role).access_token if role else None for role in roles]
    with app.app_context():
        db.engine.dispose()  # the test's own connections must not count among the server's
    shared = make_url(redis_url).set(database="8").render_as_string(hide_password=False)
    redis.Redis.from_url(shared).flushdb()
    server = servers(database_url, workers=WORKERS, threads=4, DB_POOL_SIZE=POOL_SIZE, DB_MAX_OVERFLOW=MAX_OVERFLOW,
                     CACHE_REDIS_URL=shared, RATELIMIT_ENABLED="true", RATELIMIT_STORAGE_URI=shared,
                     RATELIMIT_DEFAULT="1000000 per minute", RATELIMIT_AUTH="1000000 per minute")
    workers = worker_pids(server.process.pid)
    assert len(workers) == WORKERS
    tally, lock, latencies = Counter(), threading.Lock(), defaultdict(list)
    started = time.monotonic()
    deadline = started + SECONDS
    sampler = Sampler(server.process.pid, database_url, started)

    def run(i):
        rng = random.Random(i)
        client = Client(server.base, tokens[i], tally, lock, latencies, started)
        while time.monotonic() < deadline:
            work[roles[i]](client, rng, products)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(roles))]
    sampler.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    sampler.finish()

    requests_sent = sum(tally.values())
    by_status = Counter()
    for (_, status), count in tally.items():
        by_status[status] += count
    samples = sampler.samples
    baseline = next(sample for sample in samples if sample[0] >= WARM_UP * SECONDS)
    final = samples[-1]
    growth = {pid: final[1][pid] / baseline[1][pid] - 1 for pid in baseline[1] if pid in final[1]}
    connection_limit = WORKERS * (POOL_SIZE + MAX_OVERFLOW)
    with capsys.disabled():
        print(f"\nsoak: {requests_sent} requests from {len(roles)} clients to {WORKERS} workers in {elapsed:.0f} s "
              f"({requests_sent / elapsed:.0f}/s); statuses {dict(sorted(by_status.items(), key=str))}")
        for minute, seconds in sorted(latencies.items()):
            print(f"  minute {minute + 1}: {len(seconds)} answers, p50 {percentile(seconds, 0.5) * 1000:.0f} ms, "
                  f"p99 {percentile(seconds, 0.99) * 1000:.0f} ms, max {max(seconds) * 1000:.0f} ms")
        for at, rss, connections in samples:
            print(f"  at {at:5.0f} s: worker RSS {', '.join(f'{kib / 1024:.1f}' for _, kib in sorted(rss.items()))} "
                  f"MiB; {connections} database connections (limit {connection_limit})")
        print("  RSS growth after the warm-up (from %.0f s): %s" % (
            baseline[0], ", ".join(f"{pid} {change:+.1%}" for pid, change in sorted(growth.items()))))
    failures = {key: n for key, n in tally.items() if not isinstance(key[1], int) or key[1] >= 500}
    assert failures == {}
    refused = {key: n for key, n in tally.items() if key[1] in (401, 403, 429)}
    assert refused == {}, "every action of the workload is allowed to its role"
    assert tally[("checkout", 201)] > 0 and tally[("refund", 200)] > 0 and tally[("cancel", 200)] > 0
    assert server.logged_tracebacks() == 0
    # No worker died or was replaced, none kept growing, and the pools bounded the connections.
    assert all(set(rss) == workers for _, rss, _ in samples), [sorted(rss) for _, rss, _ in samples]
    assert len(growth) == WORKERS and all(change < MAX_RSS_GROWTH for change in growth.values()), growth
    assert max(connections for _, _, connections in samples) <= connection_limit
    assert max(connections for _, _, connections in samples) >= WORKERS  # every worker's pool is in use
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
