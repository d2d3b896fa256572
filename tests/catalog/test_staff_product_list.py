"""GET /api/products/admin: every product for managers and admins, with activity and stock filters and sorts."""
import pytest
from sqlalchemy import text

from app.extensions import db
from tests.catalog.conftest import PAGE_KEYS, PRODUCT_KEYS, assert_error
from tests.factories import make_category, make_product, restore_versions

URL = "/api/products/admin"


def names(response):
    assert response.status_code == 200, response.get_json()
    return [p["name"] for p in response.get_json()["products"]]


@pytest.fixture
def shelf(app, category):
    """Four products: stock 0 (inactive), 3, 5 and 40; created in that order (the default sort is newest first)."""
    make_product(app, category, name="Gone", stock=0, is_active=False, price="4.00")
    make_product(app, category, name="Few", stock=3, price="8.00")
    make_product(app, category, name="Edge", stock=5, price="2.00")
    make_product(app, category, name="Plenty", stock=40, price="6.00", is_featured=True)


def test_inactive_products_are_listed_by_default(client, manager, shelf):
    response = client.get(URL, headers=manager.headers)
    body = response.get_json()
    assert set(body) == PAGE_KEYS and set(body["products"][0]) == PRODUCT_KEYS
    assert names(response) == ["Plenty", "Edge", "Few", "Gone"]
    assert (body["total"], body["pages"], body["current_page"], body["per_page"]) == (4, 1, 1, 20)
    assert body["products"][3]["is_active"] is False
    assert names(client.get("/api/products", headers=manager.headers)) == ["Plenty", "Edge", "Few"]


@pytest.mark.parametrize("value, expected", [
    ("true", ["Plenty", "Edge", "Few"]), ("false", ["Gone"]), ("1", ["Plenty", "Edge", "Few"]), ("0", ["Gone"])])
def test_is_active_filters_both_ways(client, admin, shelf, value, expected):
    assert names(client.get(f"{URL}?is_active={value}", headers=admin.headers)) == expected


def test_low_stock_is_at_or_below_the_threshold(client, app, manager, shelf):
    assert app.config["LOW_STOCK_THRESHOLD"] == 5
    assert names(client.get(f"{URL}?low_stock=true", headers=manager.headers)) == ["Edge", "Few", "Gone"]
    assert names(client.get(f"{URL}?low_stock=false", headers=manager.headers)) == ["Plenty"]
    assert names(client.get(f"{URL}?low_stock=true&is_active=true", headers=manager.headers)) == ["Edge", "Few"]


def test_the_threshold_comes_from_config(client, app, manager, shelf, monkeypatch):
    monkeypatch.setitem(app.config, "LOW_STOCK_THRESHOLD", 3)
    assert names(client.get(f"{URL}?low_stock=true", headers=manager.headers)) == ["Few", "Gone"]


@pytest.mark.parametrize("stock_max, expected", [
    (0, ["Gone"]), (3, ["Few", "Gone"]), (4, ["Few", "Gone"]), (40, ["Plenty", "Edge", "Few", "Gone"])])
def test_stock_max(client, manager, shelf, stock_max, expected):
    assert names(client.get(f"{URL}?stock_max={stock_max}", headers=manager.headers)) == expected


def test_sort_by_stock_both_ways(client, manager, shelf):
    assert names(client.get(f"{URL}?sort=stock", headers=manager.headers)) == ["Gone", "Few", "Edge", "Plenty"]
    assert names(client.get(f"{URL}?sort=-stock", headers=manager.headers)) == ["Plenty", "Edge", "Few", "Gone"]


def test_sort_by_stock_breaks_ties_by_id(client, app, manager, category):
    first = make_product(app, category, name="First", stock=2)
    second = make_product(app, category, name="Second", stock=2)
    body = client.get(f"{URL}?sort=stock", headers=manager.headers).get_json()
    assert [p["id"] for p in body["products"]] == [first, second]
    body = client.get(f"{URL}?sort=-stock", headers=manager.headers).get_json()
    assert [p["id"] for p in body["products"]] == [second, first]


def test_stock_sort_pages_by_cursor(client, manager, shelf):
    first = client.get(f"{URL}?sort=-stock&per_page=3&after=", headers=manager.headers).get_json()
    assert [p["name"] for p in first["products"]] == ["Plenty", "Edge", "Few"]
    assert first["total"] == 4 and first["current_page"] is None and first["has_next"] is True
    rest = client.get(f"{URL}?sort=-stock&per_page=3&after={first['next_cursor']}", headers=manager.headers)
    assert names(rest) == ["Gone"]
    assert rest.get_json()["next_cursor"] is None and rest.get_json()["has_prev"] is True


def test_a_cursor_of_another_sort_is_a_400(client, manager, shelf):
    by_price = client.get(f"{URL}?sort=price&per_page=1&after=", headers=manager.headers).get_json()
    assert_error(client.get(f"{URL}?sort=stock&after={by_price['next_cursor']}", headers=manager.headers), 400, "after")
    assert_error(client.get(f"{URL}?sort=stock&after=garbage", headers=manager.headers), 400, "after")


def test_the_public_filters_still_work(client, app, manager):
    tools = make_category(app, name="Tools", slug="tools")
    toys = make_category(app, name="Toys", slug="toys")
    make_product(app, tools, name="Hammer", description="Steel head", is_active=False, price="12.00")
    make_product(app, tools, name="Saw", price="30.00", stock=0)
    make_product(app, toys, name="Kite", description="Flies with a steel line", price="15.00")
    headers = manager.headers
    assert names(client.get(f"{URL}?category_id={tools}", headers=headers)) == ["Saw", "Hammer"]
    assert names(client.get(f"{URL}?search_type=name&search_value=STEEL", headers=headers)) == ["Kite", "Hammer"]
    assert names(client.get(f"{URL}?search_type=sku&search_value=nope", headers=headers)) == []
    assert names(client.get(f"{URL}?min_price=13&max_price=20", headers=headers)) == ["Kite"]
    assert names(client.get(f"{URL}?in_stock=false", headers=headers)) == ["Saw"]
    assert names(client.get(f"{URL}?sort=name&category_id={tools}&is_active=false", headers=headers)) == ["Hammer"]
    assert names(client.get(f"{URL}?sort=-price&per_page=2&page=2", headers=headers)) == ["Hammer"]


def test_featured_filter(client, manager, shelf):
    assert names(client.get(f"{URL}?featured=true", headers=manager.headers)) == ["Plenty"]
    assert names(client.get(f"{URL}?featured=false", headers=manager.headers)) == ["Edge", "Few", "Gone"]


@pytest.mark.parametrize("query, field", [
    ("is_active=maybe", "is_active"), ("low_stock=lots", "low_stock"), ("stock_max=-1", "stock_max"),
    ("stock_max=abc", "stock_max"), ("stock_max=99999999999", "stock_max"), ("sort=stocks", "sort"),
    ("search_type=id&search_value=x", "search_value")])
def test_bad_parameters_are_a_400(client, manager, query, field):
    assert_error(client.get(f"{URL}?{query}", headers=manager.headers), 400, field)


def test_the_public_list_refuses_the_staff_sort(client, shelf):
    assert_error(client.get("/api/products?sort=stock"), 400, "sort")


@pytest.mark.parametrize("role, status", [("anonymous", 401), ("customer", 403), ("cashier", 403)])
def test_only_managers_and_admins(client, actors, shelf, role, status):
    actor = actors[role]
    body = assert_error(client.get(URL, headers=actor.headers if actor else {}), status)
    if actor:
        assert body["your_role"] == role


def test_answers_are_live_not_cached(client, app, manager, category):
    """The staff list never reads the catalog cache: a change the catalog version does not know of shows at once."""
    restore_versions(app)
    product = make_product(app, category, name="Live", stock=7)
    for _ in range(2):
        assert client.get("/api/products").get_json()["products"][0]["stock_quantity"] == 7
        assert client.get(URL, headers=manager.headers).get_json()["products"][0]["stock_quantity"] == 7
    with app.app_context(), db.engine.begin() as connection:  # behind the ORM: the version stays
        connection.execute(text("UPDATE products SET name = 'Behind' WHERE id = :id"), {"id": product})
    assert client.get("/api/products").get_json()["products"][0]["name"] == "Live"  # the cached answer
    response = client.get(URL, headers=manager.headers)
    assert response.get_json()["products"][0]["name"] == "Behind"
    assert "ETag" not in response.headers
