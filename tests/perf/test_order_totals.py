"""The admins' order list: its total remembered per orders version (order_service._count_all) follows every order
write, and pages by number (ids picked first, then joined) walk exactly the rows of one long page."""
import pytest

from tests.factories import make_product

ADMIN_LIST = "/api/orders/admin"


@pytest.fixture
def no_list_cache(app):
    """The list answers themselves uncached, so that every read reaches the total."""
    app.config["PRIVATE_CACHE_ENABLED"] = False
    yield
    app.config["PRIVATE_CACHE_ENABLED"] = True


@pytest.fixture
def placed(app, customer, buy, orders_version, no_list_cache):
    """Five orders of the customer; returns their ids, oldest first."""
    product = make_product(app, name="Hammer", stock=100)
    return [buy(customer, product) for _ in range(5)]


def total(client, actor, query=""):
    return client.get(f"{ADMIN_LIST}?per_page=2{query}", headers=actor.headers).get_json()["total"]


def counted_total(client, actor, count_queries):
    """(total, how many count statements the read ran)."""
    with count_queries() as statements:
        value = total(client, actor)
    return value, sum("count(orders.id)" in s for s in statements)


def test_the_admin_total_is_counted_once_per_orders_version(client, admin, placed, count_queries):
    assert counted_total(client, admin, count_queries) == (5, 1)
    assert counted_total(client, admin, count_queries) == (5, 0)


def test_every_order_write_reaches_the_remembered_total(client, admin, customer, placed, buy):
    for _ in range(2):  # both totals remembered under the current version
        assert total(client, admin) == 5 and total(client, admin, "&status=pending") == 5
    buy(customer, client.get("/api/products").get_json()["products"][0]["id"])
    assert total(client, admin) == 6
    assert client.post(f"/api/orders/{placed[0]}/cancel", headers=customer.headers).status_code == 200
    assert total(client, admin, "&status=pending") == 5 and total(client, admin, "&status=cancelled") == 1
    assert client.delete(f"/api/orders/{placed[0]}", headers=admin.headers).status_code == 200
    assert total(client, admin) == 5 and total(client, admin, "&status=cancelled") == 0


def test_a_managers_window_is_counted_every_time(client, manager, placed, count_queries):
    for _ in range(2):
        assert counted_total(client, manager, count_queries) == (5, 1)


def test_switched_off_the_total_is_counted_every_time(app, client, admin, placed, count_queries):
    app.config["ORDERS_COUNT_CACHE_ENABLED"] = False
    try:
        for _ in range(2):
            assert counted_total(client, admin, count_queries) == (5, 1)
    finally:
        app.config["ORDERS_COUNT_CACHE_ENABLED"] = True


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
