"""The worker's side of the outbox: hand each event to mail and webhooks exactly once it succeeds."""
import logging
from datetime import timedelta

from flask import current_app

from app.enums import EventState
from app.models.base import utcnow
from app.repositories import outbox_repository, webhook_repository
from app.services import notification_service, webhook_service
from app.services.unit_of_work import unit_of_work

log = logging.getLogger(__name__)
SWEEP_BATCH = 500


def dispatch(event_id):
    """Send the event's mails and create its webhook deliveries; returns the ids of the deliveries to attempt.

    The event is claimed for OUTBOX_LEASE_SECONDS, so one worker handles it at a time; a worker that dies holding
    it leaves the claim to run out, and the sweep hands the event to another. A failure (the mail server down)
    keeps the event pending and retries it later.
    """
    config = current_app.config
    now = utcnow()
    with unit_of_work():
        if not outbox_repository.claim(event_id, now, now + timedelta(seconds=config["OUTBOX_LEASE_SECONDS"])):
            return []
    try:
        with unit_of_work():
            event = outbox_repository.get(event_id)
            notification_service.notify(event)
            delivery_ids = webhook_service.fan_out(event)
            event.state, event.dispatched_at = EventState.DISPATCHED, utcnow()
        return delivery_ids
    except Exception as error:  # noqa: BLE001 (whatever failed, the event stays pending for a later attempt)
        log.warning("event %s not dispatched: %s", event_id, error, exc_info=True)
        with unit_of_work():
            event = outbox_repository.get(event_id)
            event.attempts += 1
            event.last_error = f"{type(error).__name__}: {error}"[:2000]
            event.available_at = utcnow() + timedelta(seconds=_backoff(config["OUTBOX_RETRY_SECONDS"], event.attempts))
        return []


def due_work():
    """(event ids, delivery ids) whose time has come: the sweep's work."""
    now = utcnow()
    with unit_of_work():
        return outbox_repository.due_ids(now, SWEEP_BATCH), webhook_repository.due_delivery_ids(now, SWEEP_BATCH)


def _backoff(base_seconds, attempts):
    """base, 2*base, 4*base... capped at an hour."""
    return min(base_seconds * 2 ** (attempts - 1), 3600)
