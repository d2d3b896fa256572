"""Events are written to the outbox in the caller's transaction; the worker is told once that transaction commits.

A rolled-back change leaves no event, and a committed one is never lost: the row, not the queue, is the record.
"""
import logging
import uuid
from contextlib import contextmanager
from contextvars import ContextVar

from flask import current_app
from sqlalchemy import event as sqlalchemy_event
from sqlalchemy.orm import Session

from app.enums import EventType
from app.extensions import db
from app.models import OutboxEvent
from app.models.base import utcnow
from app.repositories import outbox_repository
from app.schemas.events import ORDER_PAYLOAD, PRODUCT_PAYLOAD, USER_PAYLOAD

log = logging.getLogger(__name__)
_COMMITTED_EVENTS = "outbox_event_ids"
_silenced = ContextVar("events_silenced", default=False)


@contextmanager
def silenced():
    """Write no events inside: the seed builds past history, which nobody must be mailed or told about now."""
    token = _silenced.set(True)
    try:
        yield
    finally:
        _silenced.reset(token)


def emit(event_type, payload):
    """Add an event to the current transaction (none while silenced)."""
    if _silenced.get():
        return None
    event = outbox_repository.add(OutboxEvent(
        id="evt_" + uuid.uuid4().hex, type=event_type, payload=payload, available_at=utcnow()))
    db.session.info.setdefault(_COMMITTED_EVENTS, []).append(event.id)
    return event


def order_event(event_type, order, **extra):
    """An order event: the order as it is now, plus what the change adds (from/to status, reason...)."""
    return emit(event_type, {"order": ORDER_PAYLOAD.dump(order), **extra})


def product_event(event_type, product):
    return emit(event_type, {"product": PRODUCT_PAYLOAD.dump(product)})


def user_registered(user):
    return emit(EventType.USER_REGISTERED, {"user": USER_PAYLOAD.dump(user)})


def stock_changed(product, before, after):
    """stock.low when a product's stock falls from above the threshold to or below it."""
    threshold = current_app.config["LOW_STOCK_THRESHOLD"]
    if before > threshold >= after:
        emit(EventType.STOCK_LOW, {"product": {"id": product.id, "sku": product.sku, "name": product.name,
                                               "stock_quantity": after}, "threshold": threshold})


@sqlalchemy_event.listens_for(Session, "after_commit")
def _tell_the_worker(session):
    event_ids = session.info.pop(_COMMITTED_EVENTS, None)
    if event_ids:
        from app.tasks import enqueue_dispatch

        enqueue_dispatch(event_ids)


@sqlalchemy_event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session):
    session.info.pop(_COMMITTED_EVENTS, None)
