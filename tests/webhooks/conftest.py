"""A real HTTP receiver on 127.0.0.1, webhooks made through the API, events caused through the API."""
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from sqlalchemy import select

from app.extensions import db
from app.models import OutboxEvent, WebhookDelivery
from tests.factories import make_category

ALL_EVENTS = ["order.created", "order.status_changed", "order.payment_status_changed", "order.refunded",
              "order.cancelled", "user.registered", "product.created", "product.updated", "product.deleted",
              "stock.low"]


class Receiver:
    """Records every request (method, path, headers, body) and answers the scripted statuses, then `then`."""

    def __init__(self, statuses=(), then=200, delay=0.0, hold_first=False):
        self.statuses, self.then, self.delay = list(statuses), then, delay
        self.requests = []
        self.release = threading.Event()  # a held first request waits for it
        if not hold_first:
            self.release.set()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)
        self._thread.start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self._server.server_address[1]}/hooks"

    def _next(self, request):
        with self._lock:
            self.requests.append(request)
            first = len(self.requests) == 1
            return (self.statuses.pop(0) if self.statuses else self.then), first

    def _handler(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                status, first = receiver._next({"method": self.command, "path": self.path,
                                                "headers": dict(self.headers.items()), "body": body})
                if first:
                    receiver.release.wait(30)
                time.sleep(receiver.delay)
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except OSError:
                    pass  # the sender gave up (timeout) or died: nobody is listening any more

            def log_message(self, *args):
                pass

        return Handler

    def close(self):
        self.release.set()
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def receiver():
    """receiver(statuses=[500, 200], then=200, delay=0, hold_first=False) -> a started Receiver."""
    started = []

    def start(**kwargs):
        started.append(Receiver(**kwargs))
        return started[-1]

    yield start
    for server in started:
        server.close()


@pytest.fixture
def clock():
    """The real time, ticking, that a test may shift forward (clock.shift(seconds)) to reach a retry."""
    with time_machine.travel(datetime.now(timezone.utc), tick=True) as traveller:
        yield traveller


@pytest.fixture
def make_webhook(client, admin):
    """make_webhook(url, events=[...]) -> (id, secret) through the API."""
    def create(url, events=("product.created",), **fields):
        response = client.post("/api/webhooks", headers=admin.headers,
                               json={"url": url, "events": list(events), **fields})
        assert response.status_code == 201, response.get_json()
        body = response.get_json()
        return body["webhook"]["id"], body["secret"]
    return create


@pytest.fixture
def product_event(app, client, manager):
    """product_event() creates a product through the API and returns the id of its product.created event."""
    category_id = make_category(app)
    counter = iter(range(1, 1000))

    def cause():
        n = next(counter)
        response = client.post("/api/products/add", headers=manager.headers, json={
            "name": f"Webhook Lamp {n}", "price": "19.99", "sku": f"WH-{n:04d}", "stock_quantity": 50,
            "category_id": category_id})
        assert response.status_code == 201, response.get_json()
        with app.app_context():
            event_id = db.session.scalar(select(OutboxEvent.id).where(OutboxEvent.type == "product.created")
                                         .order_by(OutboxEvent.created_at.desc()).limit(1))
            db.session.remove()
        return event_id
    return cause


@pytest.fixture
def deliveries(app):
    """deliveries() -> every delivery row as (id, webhook_id, event_id, state, attempt_count), oldest first."""
    def read():
        with app.app_context():
            rows = db.session.execute(select(WebhookDelivery.id, WebhookDelivery.webhook_id, WebhookDelivery.event_id,
                                             WebhookDelivery.state, WebhookDelivery.attempt_count)
                                      .order_by(WebhookDelivery.id)).all()
            db.session.remove()
        return [tuple(row) for row in rows]
    return read
