"""Helpers of the performance tests: checkout."""
import pytest

from tests.factories import ADDRESS


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
