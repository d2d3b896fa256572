"""Facets per option value: how many matching products have an ACTIVE variant with each value, written out."""
import pytest

from app.extensions import db

from tests.factories import make_variant_product
from tests.search.conftest import FACETS, search

SIZE_COLOUR = [{"name": "size", "values": ["S", "M", "L"]}, {"name": "colour", "values": ["Red", "Blue"]}]


@pytest.fixture
def clothes(app, shop):
    """Beside the search fixture's plain products: three shirts with variants (one inactive) and a sold-out hoodie."""
    clothing = shop["Accessories"]
    make_variant_product(app, clothing, options=SIZE_COLOUR, name="Linen Shirt", sku="SH-1", variants=[
        {"size": "S", "colour": "Red"}, {"size": "M", "colour": "Red"},
        {"size": "M", "colour": "Blue", "is_active": False}, {"size": "L", "colour": "Blue", "stock": 0}])
    make_variant_product(app, clothing, options=SIZE_COLOUR, name="Oxford Shirt", sku="SH-2", price="40.00",
                         variants=[{"size": "M", "colour": "Blue"}, {"size": "L", "colour": "Blue"}])
    make_variant_product(app, clothing, options=SIZE_COLOUR, name="Retired Shirt", sku="SH-3", is_active=False,
                         variants=[{"size": "S", "colour": "Red"}])
    make_variant_product(app, shop["Audio Gear"], name="Band Hoodie", sku="HD-1", stock=0)  # sizes S, M, L
    return shop


def options(client, query=""):
    response = client.get(f"{FACETS}?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["options"]


def test_counts_per_option_value_of_the_whole_catalog(client, clothes):
    assert options(client) == {"size": {"S": 2, "M": 3, "L": 3}, "colour": {"Red": 1, "Blue": 2}}


@pytest.mark.parametrize("query, expected", [
    ("q=shirt", {"size": {"S": 1, "M": 2, "L": 2}, "colour": {"Red": 1, "Blue": 2}}),
    ("q=linen", {"size": {"S": 1, "M": 1, "L": 1}, "colour": {"Red": 1, "Blue": 1}}),
    ("q=shirt&min_price=30", {"size": {"M": 1, "L": 1}, "colour": {"Blue": 1}}),
    ("q=shirt&in_stock=true", {"size": {"S": 1, "M": 2, "L": 2}, "colour": {"Red": 1, "Blue": 2}}),
    ("in_stock=false", {"size": {"S": 1, "M": 1, "L": 1}}),
    ("category_id={Audio Gear}", {"size": {"S": 1, "M": 1, "L": 1}}),
    ("q=laptop", {}),
    ("q=zebra", {}),
])
def test_counts_follow_the_list_filters(client, clothes, query, expected):
    assert options(client, query.format(**clothes)) == expected


def test_each_count_is_the_number_of_listed_products_with_the_value(client, clothes):
    # Written out from the fixture: the shirts and the hoodie the public list shows, per active variant value.
    assert search(client, "q=shirt") == ["Oxford Shirt", "Linen Shirt"]
    with_m = {"Linen Shirt", "Oxford Shirt"}  # Linen's M/Blue is inactive, its M/Red active
    with_s = {"Linen Shirt"}  # Retired Shirt is inactive: not listed, not counted
    counted = options(client, "q=shirt")
    assert counted["size"]["M"] == len(with_m) == 2
    assert counted["size"]["S"] == len(with_s) == 1
    assert counted["colour"] == {"Red": 1, "Blue": 2}


def test_plain_products_have_no_option_counts(client, shop):
    assert options(client) == {}


def test_facets_take_one_statement(app, client, clothes, count_queries):
    client.get(f"{FACETS}?q=zebra")  # warms the app's version reads
    with count_queries() as statements:
        assert options(client, "q=linen") != {}
    with count_queries() as plain:
        assert options(client, "q=carry") == {}
    # The catalog version, the typo check of "linen" (PostgreSQL: its words table, then a product holding it), then
    # the matches found once for the summary, the categories and the option counts: with variants or none, the same.
    with app.app_context():
        expected = 4 if db.engine.dialect.name == "postgresql" else 3
    assert len(statements) == len(plain) == expected
    assert sum("product_option_values" in statement for statement in statements) == 1
    assert not any("json_each" in statement for statement in statements)


def test_counts_follow_every_variant_write(client, manager, clothes):
    oxford = client.get("/api/products?q=oxford").get_json()["products"][0]["id"]
    variants = f"/api/products/{oxford}/variants"
    blue_m, blue_l = [variant["id"] for variant in client.get(variants).get_json()["variants"]]
    created = client.post(variants, json={"sku": "SH-2-S-RED", "options": {"size": "S", "colour": "Red"},
                                          "stock_quantity": 1}, headers=manager.headers)
    assert created.status_code == 201, created.get_data(as_text=True)
    assert options(client, "q=oxford") == {"size": {"S": 1, "M": 1, "L": 1}, "colour": {"Red": 1, "Blue": 1}}
    assert client.put(f"{variants}/{blue_m}", json={"options": {"size": "S", "colour": "Blue"}},
                      headers=manager.headers).status_code == 200
    assert options(client, "q=oxford") == {"size": {"S": 1, "L": 1}, "colour": {"Red": 1, "Blue": 1}}
    assert client.put(f"{variants}/{blue_l}", json={"is_active": False}, headers=manager.headers).status_code == 200
    assert options(client, "q=oxford") == {"size": {"S": 1}, "colour": {"Red": 1, "Blue": 1}}
    assert client.delete(f"{variants}/{created.get_json()['id']}",
                         headers=manager.headers).status_code == 200
    assert options(client, "q=oxford") == {"size": {"S": 1}, "colour": {"Blue": 1}}
    assert client.put(f"{variants}/{blue_l}", json={"is_active": True}, headers=manager.headers).status_code == 200
    assert options(client, "q=oxford") == {"size": {"S": 1, "L": 1}, "colour": {"Blue": 1}}
    # Stock and price changes leave the pairs alone; the other shirts' counts never moved.
    assert client.put(f"{variants}/{blue_l}", json={"stock_quantity": 0, "price": "45.00"},
                      headers=manager.headers).status_code == 200
    assert options(client, "q=shirt") == {"size": {"S": 2, "M": 1, "L": 2}, "colour": {"Red": 1, "Blue": 2}}
