"""Variants in answers: the public sees active variants of active products, staff every one; statement counts."""
import pytest

from tests.factories import make_category, make_product, make_variant_product

TWO_SIZES = [{"size": "S", "stock": 2, "price": "11.00"}, {"size": "M", "stock": 3, "price": "12.00"},
             {"size": "L", "stock": 9, "price": "5.00", "is_active": False}]


@pytest.fixture
def no_catalog_cache(app):
    app.config["CATALOG_CACHE_ENABLED"] = False
    yield
    app.config["CATALOG_CACHE_ENABLED"] = True


@pytest.fixture
def shirt(app):
    """(product id, [S, M, L (inactive)] variant ids): 5 units at 11.00."""
    return make_variant_product(app, variants=TWO_SIZES, price="11.00", name="Shirt", slug="shirt", sku="SHIRT")


def skus(variants):
    return [variant["sku"] for variant in variants]


def test_the_public_list_of_variants_shows_active_ones(app, client, customer, shirt):
    product_id, [small, medium, _] = shirt
    for headers in ({}, customer.headers, {"Authorization": "Bearer stale"}):
        response = client.get(f"/api/products/{product_id}/variants", headers=headers)
        assert response.status_code == 200
        body = response.get_json()
        assert body["options"] == [{"name": "size", "values": ["S", "M", "L"]}]
        assert [(v["id"], v["sku"], v["price"], v["stock_quantity"], v["option_text"]) for v in body["variants"]] == [
            (small, f"V{product_id}-1", 11.0, 2, "S"), (medium, f"V{product_id}-2", 12.0, 3, "M")]


@pytest.mark.parametrize("role", ["manager", "admin"])
def test_staff_see_every_variant_of_any_product(app, client, actors, role):
    product_id, ids = make_variant_product(app, variants=TWO_SIZES, is_active=False)
    body = client.get(f"/api/products/{product_id}/variants", headers=actors[role].headers).get_json()
    assert [v["id"] for v in body["variants"]] == ids
    assert [v["is_active"] for v in body["variants"]] == [True, True, False]
    assert client.get(f"/api/products/{product_id}/variants").status_code == 404
    assert client.get(f"/api/products/{product_id}/variants", headers=actors["cashier"].headers).status_code == 404


def test_variants_of_unknown_or_plain_products(app, client, manager):
    plain = make_product(app)
    assert client.get(f"/api/products/{plain}/variants").get_json() == {"options": [], "variants": []}
    for product_id in (999999, 2**31, 10**20):
        response = client.get(f"/api/products/{product_id}/variants", headers=manager.headers)
        assert response.status_code == 404 and response.get_json()["error"] == "Product not found"


def test_public_product_answers_show_active_variants_only(app, client, customer, shirt):
    product_id, _ = shirt
    for headers in ({}, customer.headers):
        product = client.get(f"/api/products/{product_id}", headers=headers).get_json()
        assert skus(product["variants"]) == [f"V{product_id}-1", f"V{product_id}-2"]
        assert (product["price"], product["stock_quantity"], product["is_in_stock"]) == (11.0, 5, True)
        listed = client.get("/api/products", headers=headers).get_json()["products"]
        assert [skus(p["variants"]) for p in listed] == [[f"V{product_id}-1", f"V{product_id}-2"]]
        found = client.get("/api/products?q=shirt", headers=headers).get_json()["products"]
        assert [len(p["variants"]) for p in found] == [2]


def test_staff_answers_show_every_variant(app, client, manager, admin, shirt):
    product_id, _ = shirt
    every = [f"V{product_id}-1", f"V{product_id}-2", f"V{product_id}-3"]
    assert skus(client.get(f"/api/products/{product_id}", headers=manager.headers).get_json()["variants"]) == every
    listed = client.get("/api/products/admin", headers=admin.headers).get_json()["products"]
    assert [skus(p["variants"]) for p in listed] == [every]
    updated = client.put(f"/api/products/{product_id}", json={"description": "Soft"}, headers=manager.headers)
    assert skus(updated.get_json()["variants"]) == every
    # The public list a manager reads is still the public list.
    listed = client.get("/api/products", headers=manager.headers).get_json()["products"]
    assert [len(p["variants"]) for p in listed] == [2]


def test_the_cached_public_answer_follows_a_variant_write(app, client, manager, shirt):
    product_id, [small, *_] = shirt
    assert len(client.get(f"/api/products/{product_id}").get_json()["variants"]) == 2
    assert len(client.get(f"/api/products/{product_id}/variants").get_json()["variants"]) == 2
    assert client.delete(f"/api/products/{product_id}/variants/{small}", headers=manager.headers).status_code == 200
    product = client.get(f"/api/products/{product_id}").get_json()
    assert skus(product["variants"]) == [f"V{product_id}-2"] and product["stock_quantity"] == 3
    assert product["price"] == 12.0
    assert len(client.get(f"/api/products/{product_id}/variants").get_json()["variants"]) == 1


def test_plain_products_answer_no_variants(app, client):
    product_id = make_product(app)
    product = client.get(f"/api/products/{product_id}").get_json()
    assert (product["options"], product["variants"]) == ([], [])


def count(client, count_queries, method, path, headers=None, json=None):
    with count_queries() as statements:
        response = getattr(client, method)(path, headers=headers, json=json)
    assert response.status_code in (200, 201), response.get_json()
    return len(statements)


def test_a_page_with_variant_products_costs_one_statement_more(app, client, admin, count_queries, no_catalog_cache):
    category = make_category(app)
    for _ in range(3):
        make_product(app, category)
    plain_page = count(client, count_queries, "get", "/api/products?per_page=100")
    plain_staff = count(client, count_queries, "get", "/api/products/admin?per_page=100", admin.headers)
    for _ in range(4):
        make_variant_product(app, category, variants=TWO_SIZES)
    assert count(client, count_queries, "get", "/api/products?per_page=100") == plain_page + 1
    assert count(client, count_queries, "get", "/api/products/admin?per_page=100", admin.headers) == plain_staff + 1
    assert count(client, count_queries, "get", "/api/products?per_page=100&after=") == plain_page + 1
    assert (plain_page, plain_staff) == (2, 3)  # the count and the page (staff: the token check first)


def test_one_product_with_variants_costs_one_statement_more(app, client, count_queries, no_catalog_cache, shirt):
    plain = make_product(app)
    product_id, _ = shirt
    assert count(client, count_queries, "get", f"/api/products/{plain}") == 1  # the product
    assert count(client, count_queries, "get", f"/api/products/{product_id}") == 2  # and its variants
    assert count(client, count_queries, "get", f"/api/products/{product_id}/variants") == 2


def test_variant_writes_run_a_fixed_number_of_statements(app, client, manager, count_queries):
    sizes = [{"name": "size", "values": ["S", "M", "L", "XL"]}]
    product_id, [small, medium] = make_variant_product(app, options=sizes, variants=[{"size": "S"}, {"size": "M"}])
    path = f"/api/products/{product_id}/variants"
    created = count(client, count_queries, "post", path, manager.headers,
                    {"sku": "NEW-L", "options": {"size": "L"}, "stock_quantity": 4})
    stock_edit = count(client, count_queries, "put", f"{path}/{small}", manager.headers, {"stock_quantity": 9})
    price_edit = count(client, count_queries, "put", f"{path}/{small}", manager.headers, {"price": "7.00"})
    deleted = count(client, count_queries, "delete", f"{path}/{medium}", manager.headers)
    # token check, hold the product, the product, the variant count, the combination, the SKU among products and
    # among variants, the INSERT, the ledger row, the audit entry, the rollup, the product read back, its variants
    # (for the event), the event, the catalog version
    assert created == 15
    # token check, hold, the product, the variant, its UPDATE, the ledger row, the audit entry, the rollup, the
    # product read back, its variants, the event, the catalog version (a price edit: no ledger row)
    assert (stock_edit, price_edit) == (12, 11)
    assert deleted == 11  # as a price edit
