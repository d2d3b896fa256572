"""Stock ledger helpers: the rows as stored, a checkout through the API."""
import pytest

from app.extensions import db
from app.models import OutboxEvent, Product, StockMovement
from tests.factories import ORDER_BODY

MOVEMENT_KEYS = {"id", "product_id", "kind", "delta", "quantity_after", "reason", "order_id", "actor_id", "created_at",
                 "variant_id"}  # variant_id: an added key (#16)


def movements(app, product_id=None):
    """(kind, delta, quantity_after, reason, order_id, actor_id) of the stored movements, oldest first."""
    with app.app_context():
        stmt = db.select(StockMovement).order_by(StockMovement.id)
        if product_id is not None:
            stmt = stmt.where(StockMovement.product_id == product_id)
        rows = [(m.kind, m.delta, m.quantity_after, m.reason, m.order_id, m.actor_id) for m in db.session.scalars(stmt)]
        db.session.remove()
    return rows


def stock_of(app, product_id):
    with app.app_context():
        stock = db.session.get(Product, product_id).stock_quantity
        db.session.remove()
    return stock


def event_types(app):
    with app.app_context():
        types = db.session.scalars(db.select(OutboxEvent.type).order_by(OutboxEvent.available_at)).all()
        db.session.remove()
    return types


@pytest.fixture
def buy(client):
    """buy(actor, (product_id, qty), ...) -> the created order's id."""
    def place(actor, *lines):
        for product_id, quantity in lines:
            response = client.post("/api/cart/items", json={"product_id": product_id, "quantity": quantity},
                                   headers=actor.headers)
            assert response.status_code == 200, response.get_json()
        response = client.post("/api/orders", json=ORDER_BODY, headers=actor.headers)
        assert response.status_code == 201, response.get_json()
        return response.get_json()["order"]["id"]
    return place
