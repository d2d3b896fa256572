"""GET /api/reports/low-stock: active products at or below the threshold, lowest stock first, then by id."""
import pytest

from tests.factories import make_category, make_product

KEYS = {"id", "name", "sku", "stock_quantity", "category_id"}


@pytest.fixture
def stock(app):
    category = make_category(app)
    ids = {name: make_product(app, category, name=name, sku=f"SKU-{name}", stock=quantity, is_active=active)
           for name, quantity, active in (("five", 5, True), ("zero", 0, True), ("three", 3, True),
                                          ("six", 6, True), ("gone", 0, False), ("three-b", 3, True))}
    return category, ids


def _names(body):
    return [(p["name"], p["stock_quantity"]) for p in body["products"]]


def test_default_threshold_is_the_configured_one(stock, admin, report):
    body = report(admin, "/api/reports/low-stock")
    assert body["threshold"] == 5
    assert _names(body) == [("zero", 0), ("three", 3), ("three-b", 3), ("five", 5)]


def test_rows_carry_the_product_fields(stock, admin, report):
    category, ids = stock
    first = report(admin, "/api/reports/low-stock?threshold=0")["products"]
    assert first == [{"id": ids["zero"], "name": "zero", "sku": "SKU-zero", "stock_quantity": 0,
                      "category_id": category}]
    assert set(first[0]) == KEYS


@pytest.mark.parametrize("threshold, expected", [
    (3, [("zero", 0), ("three", 3), ("three-b", 3)]),
    (6, [("zero", 0), ("three", 3), ("three-b", 3), ("five", 5), ("six", 6)]),
    (1_000_000, [("zero", 0), ("three", 3), ("three-b", 3), ("five", 5), ("six", 6)]),
])
def test_threshold_is_inclusive_and_inactive_products_never_show(stock, admin, report, threshold, expected):
    body = report(admin, f"/api/reports/low-stock?threshold={threshold}")
    assert (body["threshold"], _names(body)) == (threshold, expected)


def test_a_manager_gets_the_same_list(stock, admin, manager, report):
    assert report(manager, "/api/reports/low-stock") == report(admin, "/api/reports/low-stock")
