"""Delivery by the real worker (`flask worker` in a subprocess): retries, and a worker killed mid-delivery."""
import time

from standardwebhooks.webhooks import Webhook as StandardWebhook

from tests.worker import wait_for


def wait_until_succeeded(deliveries, worker):
    """The one delivery succeeds (in a few seconds; the slack is for a loaded machine), or the worker's log."""
    try:
        wait_for(lambda: [row[3] for row in deliveries()] == ["succeeded"], timeout=40, message="delivery")
    except AssertionError as error:
        raise AssertionError(f"{error}; {deliveries()}; worker log:\n{worker.output()[-3000:]}") from None


def test_a_receiver_failing_twice_then_succeeding_gets_the_event_three_times(receiver, start_worker, make_webhook,
                                                                          product_event, deliveries):
    hook = receiver(statuses=[500, 500])
    webhook_id, secret = make_webhook(hook.url)
    worker = start_worker(WEBHOOK_RETRY_BASE_SECONDS=1)
    event_id = product_event()

    wait_until_succeeded(deliveries, worker)
    assert [request["headers"]["webhook-id"] for request in hook.requests] == [event_id, event_id, event_id]
    for request in hook.requests:
        assert StandardWebhook(secret).verify(request["body"], request["headers"])["type"] == "product.created"
    [(_, delivered_to, delivered_event, _, attempts)] = deliveries()
    assert (delivered_to, delivered_event, attempts) == (webhook_id, event_id, 3)


def test_a_worker_killed_mid_delivery_loses_nothing(receiver, start_worker, make_webhook, product_event, deliveries):
    hook = receiver(hold_first=True)  # the first request waits, as a slow receiver would, until released
    _, secret = make_webhook(hook.url)
    lease = 2
    worker = start_worker(OUTBOX_LEASE_SECONDS=lease, OUTBOX_SWEEP_SECONDS=1)
    event_id = product_event()

    wait_for(lambda: hook.requests, timeout=40, message="the first attempt")
    arrived = time.monotonic()
    worker.kill()
    assert [row[3] for row in deliveries()] == ["pending"]
    time.sleep(max(0.0, arrived + lease + 0.2 - time.monotonic()))  # the dead worker's claim has run out
    hook.release.set()
    restarted = start_worker(OUTBOX_LEASE_SECONDS=lease, OUTBOX_SWEEP_SECONDS=1)

    wait_until_succeeded(deliveries, restarted)
    assert len(hook.requests) >= 2
    assert {request["headers"]["webhook-id"] for request in hook.requests} == {event_id}
    StandardWebhook(secret).verify(hook.requests[-1]["body"], hook.requests[-1]["headers"])
    [(_, _, _, _, attempts)] = deliveries()
    assert attempts == 2  # the killed attempt counts: a delivery that keeps killing workers still ends
