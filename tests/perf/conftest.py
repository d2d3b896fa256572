"""Helpers of the performance tests: the catalog version row (the table cleaning deletes it) and checkout."""
import pytest

from app.extensions import db
from app.models import DataVersion
from app.models.data_version import CATALOG, fresh_version
from tests.factories import ADDRESS


def restore_version(app, scope):
    """Put a data version row back (as the migration made it; the table cleaning deletes it); returns its reader."""
    with app.app_context():
        if db.session.get(DataVersion, scope) is None:
            db.session.add(DataVersion(id=scope, version=fresh_version()))
            db.session.commit()
        db.session.remove()

    def read():
        with app.app_context():
            try:
                row = db.session.get(DataVersion, scope)
                return row.version if row is not None else None
            finally:
                db.session.remove()
    return read


@pytest.fixture
def catalog_version(app):
    """The catalog version row, put back; returns a reader of its value."""
    return restore_version(app, CATALOG)


@pytest.fixture
def buy(client):
    """buy(actor, product_id, quantity) checks out a one-line cart; returns the order id."""
    def place(actor, product_id, quantity=1):
        response = client.post("/api/cart/items", json={"product_id": product_id, "quantity": quantity},
                               headers=actor.headers)
        assert response.status_code == 200, response.get_json()
        response = client.post("/api/orders", json={"shipping_address": ADDRESS}, headers=actor.headers)
        assert response.status_code == 201, response.get_json()
        return response.get_json()["order"]["id"]
    return place
