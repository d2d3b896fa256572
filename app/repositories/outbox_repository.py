"""Outbox events: written with their change, claimed by one worker at a time, purged once long delivered."""
from sqlalchemy import delete, select, update

from app.enums import EventState
from app.extensions import db
from app.models import OutboxEvent


def add(event):
    db.session.add(event)
    return event


def get(event_id):
    return db.session.get(OutboxEvent, event_id, populate_existing=True)


def claim(event_id, now, until):
    """Take a due pending event until `until`; False when it is delivered or another worker holds it."""
    claimed = db.session.execute(
        update(OutboxEvent)
        .where(OutboxEvent.id == event_id, OutboxEvent.state == EventState.PENDING, OutboxEvent.available_at <= now)
        .values(available_at=until)
    )
    return claimed.rowcount == 1


def due_ids(now, limit):
    """Pending events whose time has come (new, retried, or claimed by a worker that died)."""
    return list(db.session.scalars(
        select(OutboxEvent.id).where(OutboxEvent.state == EventState.PENDING, OutboxEvent.available_at <= now)
        .order_by(OutboxEvent.available_at).limit(limit)
    ))


def purge_dispatched(before):
    return db.session.execute(
        delete(OutboxEvent).where(OutboxEvent.state == EventState.DISPATCHED, OutboxEvent.dispatched_at < before)
    ).rowcount
