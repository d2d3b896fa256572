"""GET /api/products and GET /api/products/<id>: envelope, filters, search, sort, bad parameters, query budget."""
from decimal import Decimal

import pytest

from tests.catalog.conftest import PAGE_KEYS, PRODUCT_KEYS, assert_error
from tests.factories import bearer, make_category, make_product


def names(response):
    assert response.status_code == 200, response.get_json()
    return [p["name"] for p in response.get_json()["products"]]


def test_list_has_the_compat_envelope_and_product_shape(client, product):
    response = client.get("/api/products")
    body = response.get_json()
    assert set(body) == PAGE_KEYS
    assert body["total"] == 1 and body["pages"] == 1 and body["current_page"] == 1 and body["per_page"] == 20
    assert body["has_next"] is False and body["has_prev"] is False
    item = body["products"][0]
    assert set(item) == PRODUCT_KEYS
    assert item["price"] == 999.99 and isinstance(item["price"], float)
    assert item["image_url"] == "/static/images/product-placeholder.png"
    assert item["images"] == [] and item["is_in_stock"] is True


def test_empty_catalog_has_zero_pages(client):
    body = client.get("/api/products").get_json()
    assert body["products"] == [] and body["total"] == 0 and body["pages"] == 0


@pytest.mark.parametrize("query, page, per_page", [
    ("page=0&per_page=0", 1, 20), ("page=-3&per_page=-1", 1, 20), ("per_page=500", 1, 100), ("page=2&per_page=2", 2, 2),
])
def test_page_and_per_page_are_clamped(client, app, category, query, page, per_page):
    for n in range(3):
        make_product(app, category)
    body = client.get(f"/api/products?{query}").get_json()
    assert (body["current_page"], body["per_page"]) == (page, per_page)


def test_pages_and_links(client, app, category):
    for n in range(5):
        make_product(app, category)
    body = client.get("/api/products?page=2&per_page=2").get_json()
    links = (len(body["products"]), body["total"], body["pages"], body["has_next"], body["has_prev"])
    assert links == (2, 5, 3, True, True)
    assert client.get("/api/products?page=9&per_page=2").get_json()["products"] == []


def test_only_active_products_are_listed(client, app, category):
    make_product(app, category, name="Visible")
    make_product(app, category, name="Gone", is_active=False)
    assert names(client.get("/api/products")) == ["Visible"]


def test_category_filter_and_subtree(client, app):
    root = make_category(app, name="Root")
    child = make_category(app, name="Child", parent_id=root)
    grandchild = make_category(app, name="Grandchild", parent_id=child)
    other = make_category(app, name="Other")
    placed = (("in root", root), ("in child", child), ("in grandchild", grandchild), ("elsewhere", other))
    for name, category_id in placed:
        make_product(app, category_id, name=name)
    assert names(client.get(f"/api/products?category_id={root}")) == ["in root"]
    subtree = names(client.get(f"/api/products?category_id={root}&include_subcategories=true&sort=name"))
    assert subtree == ["in child", "in grandchild", "in root"]
    assert names(client.get(f"/api/products?category_id={child}&include_subcategories=1&sort=name")) == [
        "in child", "in grandchild"]


@pytest.mark.parametrize("value, expected", [
    ("true", ["Star"]), ("1", ["Star"]), ("false", ["Plain"]), ("0", ["Plain"])])
def test_featured_means_what_it_says(client, app, category, value, expected):
    make_product(app, category, name="Star", is_featured=True)
    make_product(app, category, name="Plain")
    assert names(client.get(f"/api/products?featured={value}")) == expected


def test_in_stock_and_price_range(client, app, category):
    make_product(app, category, name="Cheap", price="5.00", stock=0)
    make_product(app, category, name="Mid", price="50.00", stock=3)
    make_product(app, category, name="Dear", price="500.00", stock=1)
    assert names(client.get("/api/products?in_stock=true&sort=price")) == ["Mid", "Dear"]
    assert names(client.get("/api/products?in_stock=false")) == ["Cheap"]
    assert names(client.get("/api/products?min_price=5&max_price=50&sort=price")) == ["Cheap", "Mid"]
    assert names(client.get("/api/products?min_price=50.01")) == ["Dear"]


def test_sorting_with_ties_broken_by_id(client, app, category):
    first = make_product(app, category, name="B", price="20.00")
    second = make_product(app, category, name="A", price="20.00")
    make_product(app, category, name="C", price="10.00")
    assert names(client.get("/api/products?sort=name")) == ["A", "B", "C"]
    assert names(client.get("/api/products?sort=-name")) == ["C", "B", "A"]
    assert names(client.get("/api/products?sort=price")) == ["C", "B", "A"]
    assert names(client.get("/api/products?sort=-price")) == ["A", "B", "C"]
    assert names(client.get("/api/products?sort=created_at")) == ["B", "A", "C"]
    assert names(client.get("/api/products")) == ["C", "A", "B"]  # default -created_at
    assert first < second


def test_search_by_each_exact_type(client, app, category):
    other = make_category(app, name="Other")
    target = make_product(app, category, name="Target", sku="sku-lower", slug="target-slug", barcode="111")
    make_product(app, other, name="Decoy", barcode="222")
    for search_type, value in (("id", target), ("sku", "sku-lower"), ("slug", "target-slug"), ("barcode", "111"),
                               ("category_id", category)):
        assert names(client.get(f"/api/products?search_type={search_type}&search_value={value}")) == ["Target"]
    assert names(client.get("/api/products?search_type=sku&search_value=SKU-LOWER")) == []


def test_name_search_is_case_insensitive_on_name_or_description_and_escapes_wildcards(client, app, category):
    make_product(app, category, name="Gaming Mouse")
    make_product(app, category, name="Keyboard", description="Pairs with any MOUSE")
    make_product(app, category, name="100% Cotton")
    make_product(app, category, name="1000 Cotton")
    make_product(app, category, name="snake_case")
    make_product(app, category, name="snakeXcase")
    found = names(client.get("/api/products?search_type=name&search_value=mouse"))
    assert sorted(found) == ["Gaming Mouse", "Keyboard"]
    assert names(client.get("/api/products?search_type=name&search_value=100%25")) == ["100% Cotton"]
    assert names(client.get("/api/products?search_type=name&search_value=snake_")) == ["snake_case"]


def test_search_needs_both_type_and_value(client, app, category):
    make_product(app, category, name="One")
    make_product(app, category, name="Two")
    assert len(names(client.get("/api/products?search_type=name&search_value="))) == 2
    assert len(names(client.get("/api/products?search_type=&search_value=One"))) == 2


def test_the_spa_loads_one_product_through_the_search(client, product):
    body = client.get(f"/api/products?page=1&per_page=1&search_type=id&search_value={product}").get_json()
    assert [p["id"] for p in body["products"]] == [product]
    assert body["total"] == 1


@pytest.mark.parametrize("query, field", [
    ("page=abc", "page"), ("per_page=x", "per_page"), ("category_id=x", "category_id"),
    ("search_type=id&search_value=abc", "search_value"), ("search_type=category_id&search_value=-1", "search_value"),
    ("search_type=color&search_value=red", "search_type"), ("sort=bogus", "sort"), ("min_price=-1", "min_price"),
    ("max_price=abc", "max_price"), ("min_price=10&max_price=5", "min_price"), ("featured=maybe", "featured"),
    ("in_stock=perhaps", "in_stock"), ("min_price=NaN", "min_price"), ("max_price=1e400", "max_price"),
    ("page=99999999999999999999999", "page"), ("search_type=id&search_value=99999999999999999999", "search_value"),
    ("search_type=name&search_value=" + "x" * 201, "search_value"),
])
def test_bad_parameters_are_400_naming_the_parameter(client, query, field):
    assert_error(client.get(f"/api/products?{query}"), 400, field)


def test_list_runs_a_fixed_number_of_queries(client, app, category, count_queries):
    for n in range(30):
        make_product(app, category)
    counts = []
    for per_page in (1, 100):
        with count_queries() as statements:
            body = client.get(f"/api/products?per_page={per_page}&category_id={category}&include_subcategories=true")
        assert body.status_code == 200
        counts.append(len(statements))
    # page, count, and the catalog version (response cache, count memo); the second read reuses the count
    assert counts[1] <= counts[0] <= 4


def test_get_by_id_returns_an_active_product(client, product):
    response = client.get(f"/api/products/{product}")
    assert response.status_code == 200
    assert set(response.get_json()) == PRODUCT_KEYS
    assert response.get_json()["price"] == 999.99


def test_get_by_id_missing_or_inactive_is_404_for_the_public(client, app, category, customer):
    hidden = make_product(app, category, is_active=False)
    assert_error(client.get("/api/products/999999"), 404)
    assert_error(client.get(f"/api/products/{hidden}"), 404)
    assert_error(client.get(f"/api/products/{hidden}", headers=customer.headers), 404)


@pytest.mark.parametrize("role", ["manager", "admin"])
def test_management_sees_inactive_products_by_id(client, app, category, actors, role):
    hidden = make_product(app, category, is_active=False)
    response = client.get(f"/api/products/{hidden}", headers=actors[role].headers)
    assert response.status_code == 200 and response.get_json()["is_active"] is False


@pytest.mark.parametrize("header", ["Bearer junk", "Bearer", "Basic abc", "Bearer a.b.c"])
def test_public_reads_ignore_stale_or_broken_tokens(client, product, header):
    assert client.get(f"/api/products/{product}", headers={"Authorization": header}).status_code == 200
    assert client.get("/api/products", headers={"Authorization": header}).status_code == 200


def test_public_reads_ignore_a_token_of_a_banned_user(client, app, product, manager):
    from app.extensions import db
    from app.models import User
    with app.app_context():
        db.session.get(User, manager.id).is_active = False
        db.session.commit()
    assert client.get(f"/api/products/{product}", headers=bearer(manager.access_token)).status_code == 200


def test_money_fields_are_json_numbers(client, app, category):
    make_product(app, category, price="10.50", compare_price=Decimal("15.00"), weight=Decimal("1.25"))
    item = client.get("/api/products").get_json()["products"][0]
    money = (item["price"], item["compare_price"], item["weight"], item["discount_percentage"])
    assert money == (10.5, 15.0, 1.25, 30.0)
