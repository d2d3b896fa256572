"""Report test helpers: reading a report with exact money, and refund events at a chosen moment."""
import json
from decimal import Decimal

import pytest

from app.extensions import db
from app.models import OrderEvent


@pytest.fixture
def report(client):
    """report(actor, path) -> the JSON body of a 200 answer, JSON numbers parsed as Decimal (exact money)."""
    def get(actor, path):
        response = client.get(path, headers=actor.headers)
        assert response.status_code == 200, response.get_data(as_text=True)
        return json.loads(response.get_data(as_text=True), parse_float=Decimal)
    return get


@pytest.fixture
def add_event(app):
    """add_event(order_id, at, event_type="refunded") writes an order event as the refund service does."""
    def add(order_id, at, event_type="refunded", to_status="refunded"):
        with app.app_context():
            db.session.add(OrderEvent(order_id=order_id, event_type=event_type, from_status="delivered",
                                      to_status=to_status, created_at=at))
            db.session.commit()
            db.session.remove()
    return add

