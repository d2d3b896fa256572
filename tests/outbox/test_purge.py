"""The periodic purge: only what has outlived its use goes."""
from datetime import timedelta

from app.enums import EventState
from app.extensions import db
from app.models import AccountToken, IdempotencyRecord, OutboxEvent, RevokedToken
from app.models.base import utcnow
from app.services import maintenance_service


def add_rows(app, user_id):
    now = utcnow()
    with app.app_context():
        db.session.add_all([
            OutboxEvent(id="evt_old", type="order.created", payload={}, state=EventState.DISPATCHED,
                        available_at=now, created_at=now - timedelta(days=20), dispatched_at=now - timedelta(days=15)),
            OutboxEvent(id="evt_recent", type="order.created", payload={}, state=EventState.DISPATCHED,
                        available_at=now, dispatched_at=now - timedelta(days=13)),
            OutboxEvent(id="evt_undelivered", type="order.created", payload={}, state=EventState.PENDING,
                        available_at=now, created_at=now - timedelta(days=30)),
            RevokedToken(jti="expired", token_type="access", user_id=user_id, expires_at=now - timedelta(seconds=1)),
            RevokedToken(jti="live", token_type="access", user_id=user_id, expires_at=now + timedelta(hours=1)),
            IdempotencyRecord(user_id=user_id, scope="orders.create", key="old", request_hash="h", response_status=201,
                              response_body="{}", created_at=now - timedelta(hours=25)),
            IdempotencyRecord(user_id=user_id, scope="orders.create", key="new", request_hash="h", response_status=201,
                              response_body="{}", created_at=now - timedelta(hours=23)),
            AccountToken(user_id=user_id, purpose="password_reset", token_hash="a" * 64,
                         expires_at=now - timedelta(seconds=1)),
            AccountToken(user_id=user_id, purpose="password_reset", token_hash="b" * 64,
                         expires_at=now + timedelta(hours=1)),
        ])
        db.session.commit()
        db.session.remove()


def remaining(app):
    with app.app_context():
        left = (sorted(db.session.scalars(db.select(OutboxEvent.id))),
                sorted(db.session.scalars(db.select(RevokedToken.jti))),
                sorted(db.session.scalars(db.select(IdempotencyRecord.key))),
                sorted(db.session.scalars(db.select(AccountToken.token_hash))))
        db.session.remove()
    return left


def test_purge_keeps_what_is_still_of_use(app, customer):
    add_rows(app, customer.id)
    with app.app_context():
        counts = maintenance_service.purge()
    assert counts == {"idempotency_records": 1, "revoked_tokens": 1, "account_tokens": 1, "outbox_events": 1,
                      "guest_carts": 0}  # guest carts: tests/cart/test_guest_cart_purge.py
    assert remaining(app) == (["evt_recent", "evt_undelivered"], ["live"], ["new"], ["b" * 64])


def test_flask_purge_prints_the_counts(app, runner, customer):
    add_rows(app, customer.id)
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0
    assert result.output.splitlines() == ["idempotency_records: 1 deleted", "revoked_tokens: 1 deleted",
                                          "account_tokens: 1 deleted", "outbox_events: 1 deleted",
                                          "guest_carts: 0 deleted"]
