"""GET /api/products/facets: counts of the active products matching the list's filters, written out."""
import json
from decimal import Decimal

import pytest

from tests.search.conftest import FACETS


def facets(client, query=""):
    response = client.get(f"{FACETS}?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return json.loads(response.get_data(as_text=True), parse_float=Decimal)


def categories(shop, *pairs):
    return [{"id": shop[name], "name": name, "count": count} for name, count in pairs]


def test_the_whole_catalog(client, shop):
    assert facets(client) == {
        "categories": categories(shop, ("Accessories", 4), ("Computers", 2), ("Audio Gear", 1)),
        "in_stock": 4, "price": {"min": Decimal("12.50"), "max": Decimal("1500.00")}, "total": 7, "options": {}}


@pytest.mark.parametrize("query, expected_categories, in_stock, low, high, total", [
    ("q=laptop", [("Accessories", 2), ("Computers", 2)], 3, "30.00", "1500.00", 4),
    ("q=lapotp", [("Accessories", 2), ("Computers", 2)], 3, "30.00", "1500.00", 4),
    ("q=laptop&in_stock=true", [("Accessories", 2), ("Computers", 1)], 3, "30.00", "1500.00", 3),
    ("q=laptop&in_stock=false", [("Computers", 1)], 0, "1200.00", "1200.00", 1),
    ("q=laptop&category_id={Computers}", [("Computers", 2)], 1, "1200.00", "1500.00", 2),
    ("q=laptop&max_price=100", [("Accessories", 2)], 2, "30.00", "45.00", 2),
    ("q=accessories", [("Accessories", 4), ("Audio Gear", 1)], 3, "12.50", "99.00", 5),
    ("q=mouse", [("Accessories", 2)], 0, "12.50", "25.00", 2),
    ("category_id={Accessories}&min_price=20", [("Accessories", 3)], 2, "25.00", "45.00", 3),
    ("featured=true", [], 0, None, None, 0),
    ("q=zebra", [], 0, None, None, 0),
])
def test_facets_of_a_filter(client, shop, query, expected_categories, in_stock, low, high, total):
    assert facets(client, query.format(**shop)) == {
        "categories": categories(shop, *expected_categories), "in_stock": in_stock,
        "price": {"min": low and Decimal(low), "max": high and Decimal(high)}, "total": total, "options": {}}


def test_facets_total_is_the_list_total(client, shop):
    for query in ("q=laptop", "q=accessories&in_stock=true", "q=lap&max_price=1300", ""):
        listed = client.get(f"/api/products?{query}").get_json()["total"]
        assert facets(client, query)["total"] == listed


def test_facets_are_a_cached_catalog_read(client, shop, manager):
    first = client.get(f"{FACETS}?q=laptop")
    assert first.headers["ETag"] and "no-cache" in first.headers["Cache-Control"]
    again = client.get(f"{FACETS}?q=laptop", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    client.put(f"/api/products/{shop['Carry Bag']}", headers=manager.headers, json={"stock_quantity": 0})
    changed = client.get(f"{FACETS}?q=laptop", headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200
    assert changed.get_json()["in_stock"] == 2


@pytest.mark.parametrize("query", ["min_price=5&max_price=1", "category_id=-1", "in_stock=maybe", "q=" + "x" * 201,
                                   "category_id=99999999999", "min_price=abc"])
def test_bad_filters_are_a_400(client, shop, query):
    response = client.get(f"{FACETS}?{query}")
    assert response.status_code == 400
    assert response.get_json()["code"] == "VALIDATION_FAILED"


def test_paging_and_sort_are_ignored(client, shop):
    assert facets(client, "q=laptop&page=3&per_page=1&sort=price")["total"] == 4
