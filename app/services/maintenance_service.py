"""Periodic upkeep: rows kept only for a while (stored idempotent answers, revocations, mailed tokens, events,
abandoned guest carts) and the query planner's statistics."""
from datetime import timedelta

from flask import current_app

from app.models.base import utcnow
from app.repositories import (account_token_repository, cart_repository, idempotency_repository,
                              maintenance_repository, outbox_repository, revoked_token_repository)
from app.services.unit_of_work import unit_of_work


def purge():
    """Delete what has outlived its use; returns the number of rows per kind."""
    config, now = current_app.config, utcnow()
    with unit_of_work():
        return {
            "idempotency_records": idempotency_repository.purge_created_before(
                now - timedelta(hours=config["IDEMPOTENCY_TTL_HOURS"])),
            "revoked_tokens": revoked_token_repository.purge_expired(now),
            "account_tokens": account_token_repository.purge_expired(now),
            "outbox_events": outbox_repository.purge_dispatched(now - timedelta(days=config["OUTBOX_RETENTION_DAYS"])),
            "guest_carts": cart_repository.purge_guests_touched_before(
                now - timedelta(days=config["GUEST_CART_TTL_DAYS"])),
        }


def refresh_statistics():
    """Refresh the query planner's statistics where the database leaves that to the application; True when done."""
    with unit_of_work():
        return maintenance_repository.refresh_planner_statistics()
