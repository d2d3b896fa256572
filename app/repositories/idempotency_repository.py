"""Stored first responses of requests sent with an Idempotency-Key."""
from sqlalchemy import delete, select

from app.extensions import db
from app.models import IdempotencyRecord


def get(user_id, scope, key):
    return db.session.scalar(
        select(IdempotencyRecord).where(
            IdempotencyRecord.user_id == user_id, IdempotencyRecord.scope == scope, IdempotencyRecord.key == key,
        ).execution_options(populate_existing=True)
    )


def add(record):
    db.session.add(record)
    return record


def purge_created_before(moment):
    """Forget stored answers older than their time to live."""
    return db.session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.created_at < moment)).rowcount
