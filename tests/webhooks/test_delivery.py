"""Delivery in process: the worker's calls (dispatch, then deliver) against a real HTTP receiver."""
import base64
import hashlib
import hmac
import json
import threading
from datetime import datetime

import pytest
from standardwebhooks.webhooks import Webhook as StandardWebhook

from app.enums import EventType
from app.models import OutboxEvent
from app.models.base import utcnow
from app.services import outbox_service, webhook_delivery_service, webhook_service
from app.services.unit_of_work import unit_of_work
from tests.worker import wait_for


@pytest.fixture
def worker(app, clock):
    """The worker's two steps run in process; attempt_all follows each retry delay by shifting the clock."""
    class InProcess:
        def dispatch(self, event_id):
            with app.app_context():
                return outbox_service.dispatch(event_id)

        def deliver(self, delivery_id):
            with app.app_context():
                return webhook_delivery_service.deliver(delivery_id)

        def attempt_all(self, delivery_id):
            """Deliver, wait out every retry delay, deliver again...; the delays asked for."""
            delays = []
            while (delay := self.deliver(delivery_id)) is not None:
                delays.append(delay)
                clock.shift(delay)
            return delays

    return InProcess()


@pytest.fixture(autouse=True)
def quick_retries(settings):
    settings(WEBHOOK_RETRY_BASE_SECONDS=1)


def test_a_receiver_failing_twice_gets_the_event_three_times_signed(client, admin, receiver, make_webhook,
                                                                     product_event, worker):
    hook = receiver(statuses=[500, 500])
    webhook_id, secret = make_webhook(hook.url)
    event_id = product_event()

    [delivery_id] = worker.dispatch(event_id)
    assert worker.attempt_all(delivery_id) == [1, 2]

    assert [request["method"] for request in hook.requests] == ["POST", "POST", "POST"]
    assert [request["path"] for request in hook.requests] == ["/hooks", "/hooks", "/hooks"]
    assert {request["headers"]["webhook-id"] for request in hook.requests} == {event_id}
    for request in hook.requests:
        assert request["headers"]["Content-Type"] == "application/json"
        payload = StandardWebhook(secret).verify(request["body"], request["headers"])
        assert payload["type"] == "product.created"
        assert payload["data"]["product"]["name"] == "Webhook Lamp 1"
        assert payload["data"]["product"]["price"] == 19.99
        assert datetime.fromisoformat(payload["timestamp"]).utcoffset().total_seconds() == 0
    timestamps = [int(request["headers"]["webhook-timestamp"]) for request in hook.requests]
    assert timestamps[1] - timestamps[0] >= 1 and timestamps[2] - timestamps[1] >= 2

    page = client.get(f"/api/webhooks/{webhook_id}/deliveries", headers=admin.headers).get_json()
    assert (page["total"], page["pages"], page["current_page"]) == (1, 1, 1)
    [delivery] = page["deliveries"]
    assert (delivery["id"], delivery["event_id"], delivery["event_type"], delivery["state"],
            delivery["attempt_count"], delivery["next_attempt_at"]) == (
        delivery_id, event_id, "product.created", "succeeded", 3, None)
    assert delivery["delivered_at"] is not None
    assert [attempt["status_code"] for attempt in delivery["attempts"]] == [500, 500, 200]
    assert [attempt["error"] for attempt in delivery["attempts"]] == [None, None, None]
    assert all(attempt["duration_ms"] >= 0 and attempt["attempted_at"] for attempt in delivery["attempts"])
    webhook = client.get(f"/api/webhooks/{webhook_id}", headers=admin.headers).get_json()["webhook"]
    assert webhook["consecutive_failures"] == 0


def test_the_signature_is_hmac_sha256_of_id_timestamp_body(receiver, make_webhook, product_event, worker):
    hook = receiver()
    _, secret = make_webhook(hook.url)
    [delivery_id] = worker.dispatch(product_event())
    assert worker.deliver(delivery_id) is None

    [request] = hook.requests
    headers = request["headers"]
    key = base64.b64decode(secret[len("whsec_"):])
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.{request['body']}".encode()
    expected = "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    assert headers["webhook-signature"] == expected
    assert set(json.loads(request["body"])) == {"type", "timestamp", "data"}


def test_a_pending_retry_shows_its_next_attempt(client, admin, receiver, make_webhook, product_event, worker):
    hook = receiver(statuses=[503])
    webhook_id, _ = make_webhook(hook.url)
    [delivery_id] = worker.dispatch(product_event())
    assert worker.deliver(delivery_id) == 1
    assert worker.deliver(delivery_id) is None  # not due yet: nothing is sent
    assert len(hook.requests) == 1

    [delivery] = client.get(f"/api/webhooks/{webhook_id}/deliveries", headers=admin.headers).get_json()["deliveries"]
    assert (delivery["state"], delivery["attempt_count"], delivery["delivered_at"]) == ("pending", 1, None)
    assert datetime.fromisoformat(delivery["next_attempt_at"]) > datetime.fromisoformat(
        delivery["attempts"][0]["attempted_at"])


def test_after_the_last_attempt_the_delivery_fails(client, admin, receiver, make_webhook, product_event, worker,
                                                    settings):
    settings(WEBHOOK_MAX_ATTEMPTS=4)
    hook = receiver(then=500)
    webhook_id, _ = make_webhook(hook.url)
    [delivery_id] = worker.dispatch(product_event())

    assert worker.attempt_all(delivery_id) == [1, 2, 4]
    assert len(hook.requests) == 4
    [delivery] = client.get(f"/api/webhooks/{webhook_id}/deliveries", headers=admin.headers).get_json()["deliveries"]
    assert (delivery["state"], delivery["attempt_count"], delivery["next_attempt_at"], delivery["delivered_at"]) == (
        "failed", 4, None, None)
    assert [attempt["status_code"] for attempt in delivery["attempts"]] == [500, 500, 500, 500]
    webhook = client.get(f"/api/webhooks/{webhook_id}", headers=admin.headers).get_json()["webhook"]
    assert (webhook["consecutive_failures"], webhook["is_active"]) == (1, True)


def test_consecutive_failed_events_disable_the_webhook(client, admin, receiver, make_webhook, product_event, worker,
                                                        settings, deliveries):
    settings(WEBHOOK_MAX_ATTEMPTS=1, WEBHOOK_DISABLE_AFTER=3)
    hook = receiver(statuses=[500, 200], then=500)
    webhook_id, _ = make_webhook(hook.url)
    for expected_failures in (1, 0, 1, 2):  # a success in between starts the count again
        [delivery_id] = worker.dispatch(product_event())
        worker.attempt_all(delivery_id)
        webhook = client.get(f"/api/webhooks/{webhook_id}", headers=admin.headers).get_json()["webhook"]
        assert (webhook["consecutive_failures"], webhook["is_active"]) == (expected_failures, True)

    [delivery_id] = worker.dispatch(product_event())
    worker.attempt_all(delivery_id)
    webhook = client.get(f"/api/webhooks/{webhook_id}", headers=admin.headers).get_json()["webhook"]
    assert (webhook["is_active"], webhook["consecutive_failures"], webhook["disabled_reason"]) == (
        False, 3, "Disabled after 3 consecutive failed events")

    assert worker.dispatch(product_event()) == []  # a disabled webhook is owed nothing
    assert len(hook.requests) == 5 and len(deliveries()) == 5

    response = client.put(f"/api/webhooks/{webhook_id}", headers=admin.headers, json={"is_active": True})
    webhook = response.get_json()["webhook"]
    assert (webhook["is_active"], webhook["consecutive_failures"], webhook["disabled_reason"]) == (True, 0, None)


def test_a_disabled_webhooks_pending_delivery_is_not_attempted(client, admin, receiver, make_webhook, product_event,
                                                               worker, deliveries):
    hook = receiver()
    webhook_id, _ = make_webhook(hook.url)
    [delivery_id] = worker.dispatch(product_event())
    client.put(f"/api/webhooks/{webhook_id}", headers=admin.headers, json={"is_active": False})

    assert worker.deliver(delivery_id) is None
    assert hook.requests == []
    assert [row[3:] for row in deliveries()] == [("failed", 0)]
    redeliver = client.post(f"/api/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver", headers=admin.headers)
    assert redeliver.status_code == 409


def test_a_deleted_webhooks_deliveries_go_with_it(client, admin, receiver, make_webhook, product_event, worker,
                                                  deliveries):
    hook = receiver()
    webhook_id, _ = make_webhook(hook.url)
    [delivery_id] = worker.dispatch(product_event())
    assert client.delete(f"/api/webhooks/{webhook_id}", headers=admin.headers).status_code == 200

    assert deliveries() == []
    assert worker.deliver(delivery_id) is None
    assert hook.requests == []


def test_a_webhook_deleted_while_its_post_runs_leaves_nothing_behind(client, admin, receiver, make_webhook,
                                                                    product_event, worker, deliveries):
    hook = receiver(hold_first=True)
    webhook_id, _ = make_webhook(hook.url)
    [delivery_id] = worker.dispatch(product_event())
    results = []
    sender = threading.Thread(target=lambda: results.append(worker.deliver(delivery_id)))
    sender.start()
    wait_for(lambda: hook.requests, timeout=10, message="the POST")

    assert client.delete(f"/api/webhooks/{webhook_id}", headers=admin.headers).status_code == 200  # no lock held
    hook.release.set()
    sender.join(10)
    assert results == [None]
    assert deliveries() == []


def test_a_receiver_that_times_out_records_an_error_attempt(client, admin, receiver, make_webhook, product_event,
                                                            worker, settings):
    settings(WEBHOOK_TIMEOUT_SECONDS=1)
    hook = receiver(delay=2)
    webhook_id, _ = make_webhook(hook.url)
    [delivery_id] = worker.dispatch(product_event())

    assert worker.deliver(delivery_id) == 1
    [delivery] = client.get(f"/api/webhooks/{webhook_id}/deliveries", headers=admin.headers).get_json()["deliveries"]
    [attempt] = delivery["attempts"]
    assert (attempt["status_code"], attempt["error"]) == (None, "Timeout: no answer within 1 s")
    assert 1000 <= attempt["duration_ms"] < 2000
    assert delivery["state"] == "pending"


def test_a_refused_connection_records_an_error_attempt(client, admin, receiver, make_webhook, product_event, worker):
    hook = receiver()
    hook.close()  # nobody listens on its port any more
    webhook_id, _ = make_webhook(hook.url)
    [delivery_id] = worker.dispatch(product_event())

    assert worker.deliver(delivery_id) == 1
    [delivery] = client.get(f"/api/webhooks/{webhook_id}/deliveries", headers=admin.headers).get_json()["deliveries"]
    [attempt] = delivery["attempts"]
    assert attempt["status_code"] is None
    assert attempt["error"].startswith("ConnectionError: ")


def test_a_redirect_is_not_followed(client, admin, receiver, make_webhook, product_event, worker):
    hook = receiver(statuses=[302])
    webhook_id, _ = make_webhook(hook.url)
    [delivery_id] = worker.dispatch(product_event())
    assert worker.deliver(delivery_id) == 1
    assert len(hook.requests) == 1


def test_a_private_target_is_refused_at_delivery_time(client, admin, receiver, make_webhook, product_event, worker,
                                                       settings):
    hook = receiver()
    webhook_id, _ = make_webhook(hook.url)  # allowed when it was saved
    settings(WEBHOOK_ALLOW_PRIVATE_TARGETS=False)
    [delivery_id] = worker.dispatch(product_event())

    assert worker.deliver(delivery_id) == 1
    assert hook.requests == []
    [delivery] = client.get(f"/api/webhooks/{webhook_id}/deliveries", headers=admin.headers).get_json()["deliveries"]
    assert [(attempt["status_code"], attempt["error"]) for attempt in delivery["attempts"]] == [
        (None, "Refused: The URL's host resolves to a loopback, private, link-local or reserved address")]


def test_redeliver_sends_a_delivered_event_again(client, admin, receiver, make_webhook, product_event, worker):
    hook = receiver()
    webhook_id, secret = make_webhook(hook.url)
    event_id = product_event()
    [delivery_id] = worker.dispatch(event_id)
    worker.attempt_all(delivery_id)

    response = client.post(f"/api/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver", headers=admin.headers)
    assert response.status_code == 202
    body = response.get_json()
    assert body["message"] == "Redelivery scheduled"
    assert (body["delivery"]["id"], body["delivery"]["state"], body["delivery"]["delivered_at"]) == (
        delivery_id, "pending", None)
    assert body["delivery"]["next_attempt_at"] is not None

    assert worker.attempt_all(delivery_id) == []
    assert [request["headers"]["webhook-id"] for request in hook.requests] == [event_id, event_id]
    StandardWebhook(secret).verify(hook.requests[1]["body"], hook.requests[1]["headers"])
    [delivery] = client.get(f"/api/webhooks/{webhook_id}/deliveries", headers=admin.headers).get_json()["deliveries"]
    assert (delivery["state"], delivery["attempt_count"]) == ("succeeded", 2)
    assert [attempt["status_code"] for attempt in delivery["attempts"]] == [200, 200]


def test_redeliver_of_another_webhooks_delivery_is_404(client, admin, receiver, make_webhook, product_event, worker):
    hook = receiver()
    first, _ = make_webhook(hook.url)
    second, _ = make_webhook(hook.url, events=["order.created"])
    [delivery_id] = worker.dispatch(product_event())
    response = client.post(f"/api/webhooks/{second}/deliveries/{delivery_id}/redeliver", headers=admin.headers)
    assert response.status_code == 404
    assert client.post(f"/api/webhooks/{first}/deliveries/{delivery_id}/redeliver",
                       headers=admin.headers).status_code == 202


def test_each_subscribed_webhook_gets_its_own_delivery(receiver, make_webhook, product_event, worker, deliveries):
    hook = receiver()
    subscribed, _ = make_webhook(hook.url, events=["product.created", "product.updated"])
    make_webhook(hook.url, events=["order.created", "stock.low"])
    event_id = product_event()

    [delivery_id] = worker.dispatch(event_id)
    assert deliveries() == [(delivery_id, subscribed, event_id, "pending", 0)]
    assert worker.dispatch(event_id) == []  # dispatched once: a repeat creates nothing


def test_internal_auth_events_never_reach_webhooks(app, receiver, make_webhook, deliveries):
    hook = receiver()
    make_webhook(hook.url, events=["user.registered", "order.created", "product.created"])
    with app.app_context():
        for event_type in (EventType.PASSWORD_RESET_REQUESTED, EventType.VERIFICATION_REQUESTED,
                           EventType.PASSWORD_CHANGED):
            with unit_of_work():
                event = OutboxEvent(id=f"evt_{event_type.name.lower()}", type=event_type, payload={"user_id": 1},
                                    available_at=utcnow(), created_at=utcnow())
                assert webhook_service.fan_out(event) == []
    assert deliveries() == []


def test_deliveries_are_paginated_newest_first(client, admin, receiver, make_webhook, product_event, worker, clock):
    hook = receiver()
    webhook_id, _ = make_webhook(hook.url)
    events = []
    for _ in range(3):
        events.append(product_event())
        worker.dispatch(events[-1])
        clock.shift(1)
    page = client.get(f"/api/webhooks/{webhook_id}/deliveries?per_page=2", headers=admin.headers).get_json()
    assert [d["event_id"] for d in page["deliveries"]] == [events[2], events[1]]
    assert (page["total"], page["pages"], page["has_next"]) == (3, 2, True)
    page = client.get(f"/api/webhooks/{webhook_id}/deliveries?per_page=2&page=2", headers=admin.headers).get_json()
    assert [d["event_id"] for d in page["deliveries"]] == [events[0]]
