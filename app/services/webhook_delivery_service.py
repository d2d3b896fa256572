"""One attempt to deliver an event to a webhook, as Standard Webhooks describes it, run by the worker.

The delivery is claimed in a short transaction of its own (a claim that runs out after OUTBOX_LEASE_SECONDS, so a
dead worker's delivery is attempted again), the HTTP POST runs outside any transaction, and its outcome is recorded
in a second one. A claim counts as an attempt, so a delivery that kills its worker still ends after
WEBHOOK_MAX_ATTEMPTS. A disabled or deleted webhook's pending deliveries are not attempted: they end as failed
(redeliver after switching the webhook back on).
"""
import base64
import hashlib
import hmac
import logging
import time
from dataclasses import dataclass
from datetime import timedelta

import requests
from flask import current_app
from sqlalchemy.exc import IntegrityError

from app.enums import DeliveryState
from app.models import WebhookAttempt
from app.models.base import utcnow
from app.repositories import webhook_repository
from app.services.unit_of_work import unit_of_work
from app.services.webhook_service import SECRET_PREFIX, target_refusal
from app.utils.json_provider import dumps

log = logging.getLogger(__name__)
MAX_ERROR_LENGTH = 2000


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    duration_ms: int
    error: str | None

    @property
    def succeeded(self):
        return self.status_code is not None and 200 <= self.status_code < 300


def deliver(delivery_id):
    """Attempt one delivery; returns the seconds until the next attempt, or None when none is due."""
    config = current_app.config
    claim = _claim(delivery_id, config["OUTBOX_LEASE_SECONDS"])
    if claim is None:
        return None
    attempt_number, webhook_id, url, secret, event = claim
    started = utcnow()
    outcome = _post(url, secret, event, started, config["WEBHOOK_TIMEOUT_SECONDS"])
    try:
        return _record(delivery_id, attempt_number, webhook_id, started, outcome, config)
    except IntegrityError:  # the webhook was deleted, with its deliveries, while the POST ran
        return None


def _record(delivery_id, attempt_number, webhook_id, started, outcome, config):
    """Store the attempt and what follows from it; the seconds until the next attempt, or None."""
    with unit_of_work():
        if webhook_repository.get_delivery(delivery_id) is None:
            return None
        webhook_repository.add_attempt(WebhookAttempt(
            delivery_id=delivery_id, status_code=outcome.status_code, duration_ms=outcome.duration_ms,
            error=outcome.error, created_at=started))
        if outcome.succeeded:
            if webhook_repository.mark_succeeded(delivery_id, utcnow()):
                webhook_repository.reset_failures(webhook_id)
            return None
        if attempt_number < config["WEBHOOK_MAX_ATTEMPTS"]:
            delay = config["WEBHOOK_RETRY_BASE_SECONDS"] * 2 ** (attempt_number - 1)
            if webhook_repository.finish_attempt(delivery_id, attempt_number,
                                                 available_at=utcnow() + timedelta(seconds=delay)):
                return delay
            return None  # our claim ran out and a later attempt holds the delivery: it decides what follows
        if webhook_repository.finish_attempt(delivery_id, attempt_number, state=DeliveryState.FAILED):
            log.warning("webhook delivery %s failed after %s attempts", delivery_id, attempt_number)
            limit = config["WEBHOOK_DISABLE_AFTER"]
            webhook_repository.count_failure(webhook_id, limit, f"Disabled after {limit} consecutive failed events")
    return None


def _claim(delivery_id, lease_seconds):
    """(attempt number, webhook id, url, secret, event fields) of a claimed delivery, or None (not due, or ended)."""
    now = utcnow()
    with unit_of_work():
        attempt_number = webhook_repository.claim_delivery(delivery_id, now, now + timedelta(seconds=lease_seconds))
        if attempt_number is None:
            return None
        delivery = webhook_repository.get_delivery(delivery_id)
        webhook = webhook_repository.get(delivery.webhook_id)
        if webhook is None or not webhook.is_active:
            delivery.state, delivery.attempt_count = DeliveryState.FAILED, attempt_number - 1  # not attempted
            return None
        event = {"id": delivery.event.id, "type": delivery.event.type, "created_at": delivery.event.created_at,
                 "payload": delivery.event.payload}
        # Plain values: nothing below touches the session, so no transaction stays open during the POST.
        return attempt_number, webhook.id, webhook.url, webhook.secret, event


def _post(url, secret, event, started, timeout):
    """POST the signed event to url; never raises."""
    refusal = target_refusal(url)  # again at send time: the host's DNS may have changed since it was saved
    if refusal:
        return Outcome(None, 0, f"Refused: {refusal}")
    body = dumps({"type": event["type"], "timestamp": event["created_at"].isoformat(), "data": event["payload"]})
    timestamp = str(int(started.timestamp()))
    headers = {
        "Content-Type": "application/json",
        "webhook-id": event["id"],
        "webhook-timestamp": timestamp,
        "webhook-signature": sign(secret, event["id"], timestamp, body),
    }
    clock = time.monotonic()
    try:
        # stream=True: only the status line and headers are read, whatever size of body the receiver answers.
        with requests.post(url, data=body.encode(), headers=headers, timeout=timeout, allow_redirects=False,
                           stream=True) as response:
            return Outcome(response.status_code, _elapsed_ms(clock), None)
    except requests.Timeout:
        return Outcome(None, _elapsed_ms(clock), f"Timeout: no answer within {timeout} s")
    except requests.RequestException as error:
        return Outcome(None, _elapsed_ms(clock), f"{type(error).__name__}: {error}"[:MAX_ERROR_LENGTH])


def sign(secret, message_id, timestamp, body):
    """Standard Webhooks: "v1," + base64 HMAC-SHA256 of "id.timestamp.body", keyed by the secret's bytes."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    digest = hmac.new(key, f"{message_id}.{timestamp}.{body}".encode(), hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def _elapsed_ms(clock):
    return int((time.monotonic() - clock) * 1000)
