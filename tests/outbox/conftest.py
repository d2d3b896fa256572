"""Reading the outbox as the worker would."""
import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import OutboxEvent


@pytest.fixture
def outbox(app):
    """outbox(type=None) -> the events written so far (oldest first), as (type, payload, state) rows."""
    def read(event_type=None):
        with app.app_context():
            query = select(OutboxEvent).order_by(OutboxEvent.created_at, OutboxEvent.id)
            if event_type:
                query = query.where(OutboxEvent.type == event_type)
            events = db.session.scalars(query).all()
            db.session.remove()
        return events
    return read
