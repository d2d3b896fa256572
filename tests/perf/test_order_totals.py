"""The admins' order list: pages by number (ids picked first, then joined) walk exactly the rows of one long page,
and the total is counted on every read, so it follows every order write."""
import pytest

from tests.factories import make_product

ADMIN_LIST = "/api/orders/admin"


@pytest.fixture
def placed(app, customer, buy):
    """Five orders of the customer; returns their ids, oldest first."""
    product = make_product(app, name="Hammer", stock=100)
    return [buy(customer, product) for _ in range(5)]


def total(client, actor, query=""):
    return client.get(f"{ADMIN_LIST}?per_page=2{query}", headers=actor.headers).get_json()["total"]


def test_every_order_write_reaches_the_total(client, admin, customer, placed, buy):
    assert total(client, admin) == 5 and total(client, admin, "&status=pending") == 5
    buy(customer, make_product(client.application, stock=1))
    assert total(client, admin) == 6
    assert client.put(f"/api/orders/{placed[0]}/status", headers=admin.headers,
                      json={"status": "confirmed"}).status_code == 200
    assert total(client, admin, "&status=pending") == 5 and total(client, admin, "&status=confirmed") == 1
    assert client.delete(f"/api/orders/{placed[1]}", headers=admin.headers).status_code == 200
    assert total(client, admin) == 5


@pytest.mark.parametrize("who, query", [("admin", ""), ("manager", ""), ("admin", "&status=pending")])
def test_pages_by_number_walk_the_rows_of_one_long_page(client, actors, placed, who, query):
    headers = actors[who].headers
    whole = [o["id"] for o in client.get(f"{ADMIN_LIST}?per_page=100{query}", headers=headers).get_json()["orders"]]
    walked = []
    for page in range(1, 5):
        body = client.get(f"{ADMIN_LIST}?per_page=2&page={page}{query}", headers=headers).get_json()
        assert body["total"] == len(whole) == 5
        walked += [o["id"] for o in body["orders"]]
    assert walked == whole == placed[::-1]
