"""POST /api/products/add, PUT and DELETE /api/products/<id>: roles, validation, uniqueness, slugs."""
from decimal import Decimal

import pytest
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Product
from tests.catalog.conftest import CATEGORY_KEYS, PRODUCT_KEYS, assert_error
from tests.factories import make_category, make_product
from tests.shapes import with_request_id


def spa_add_body(category, **overrides):
    """Exactly what the SPA's AddProduct sends (contract 5.3)."""
    body = {"name": "New Product", "sku": "sku-new-001", "description": None, "category_id": category,
            "price": 99.99, "stock_quantity": 100, "image_url": None}
    return {**body, **overrides}


def spa_edit_body(category_id, **overrides):
    """Exactly what the SPA's EditProduct sends (contract 5.3)."""
    body = {"name": "Premium Laptop", "description": "Fast", "price": 899.5, "compare_price": 999.99,
            "stock_quantity": 7, "category_id": category_id, "sku": "SKU-LAPTOP", "is_active": True,
            "is_featured": True, "image_url": "/static/uploads/products/abc.png"}
    return {**body, **overrides}


def stored(app, product_id):
    with app.app_context():
        product = db.session.get(Product, product_id)
        db.session.expunge(product)
        return product


# --- permissions -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("role, status", [
    ("anonymous", 401), ("customer", 403), ("cashier", 403), ("manager", 201), ("admin", 201)])
def test_who_may_add(client, actors, category, role, status):
    headers = actors[role].headers if actors[role] else {}
    response = client.post("/api/products/add", json=spa_add_body(category), headers=headers)
    assert response.status_code == status
    if status == 403:
        assert response.get_json() == with_request_id(response, {
            "error": "Manager access required", "code": "FORBIDDEN", "your_role": role,
            "required_roles": ["admin", "manager"]})


@pytest.mark.parametrize("role, status", [
    ("anonymous", 401), ("customer", 403), ("cashier", 403), ("manager", 200), ("admin", 200)])
def test_who_may_update(client, actors, category, product, role, status):
    headers = actors[role].headers if actors[role] else {}
    assert client.put(f"/api/products/{product}", json={"stock_quantity": 3}, headers=headers).status_code == status


@pytest.mark.parametrize("role, status", [
    ("anonymous", 401), ("customer", 403), ("cashier", 403), ("manager", 403), ("admin", 200)])
def test_who_may_delete(client, app, actors, product, role, status):
    headers = actors[role].headers if actors[role] else {}
    assert client.delete(f"/api/products/{product}", headers=headers).status_code == status
    assert stored(app, product).is_active is (status != 200)


# --- create --------------------------------------------------------------------------------------------------------

def test_add_with_the_spa_body(client, app, category, manager):
    response = client.post("/api/products/add", json=spa_add_body(category), headers=manager.headers)
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == PRODUCT_KEYS | {"category"}
    assert set(body["category"]) == CATEGORY_KEYS and body["category"]["id"] == category
    assert (body["name"], body["slug"], body["sku"]) == ("New Product", "new-product", "sku-new-001")
    assert body["price"] == 99.99
    assert body["description"] is None and body["is_active"] is True and body["is_featured"] is False
    assert stored(app, body["id"]).price == Decimal("99.99")


def test_add_with_every_optional_field(client, category, admin):
    response = client.post("/api/products/add", headers=admin.headers, json=spa_add_body(
        category, compare_price="129.99", barcode="1234567890", weight=1.5, dimensions="10x20x30 cm",
        image_url="https://cdn.example.com/a.png", images=["/static/uploads/products/a.png"], is_featured=True))
    body = response.get_json()
    assert response.status_code == 201, body
    assert (body["compare_price"], body["discount_percentage"], body["barcode"], body["weight"]) == (
        129.99, 23.08, "1234567890", 1.5)
    assert body["images"] == ["/static/uploads/products/a.png"] and body["is_featured"] is True


def test_server_owned_fields_are_never_loaded(client, app, category, manager):
    response = client.post("/api/products/add", headers=manager.headers, json=spa_add_body(
        category, id=4242, slug="hacked", created_at="2000-01-01T00:00:00", updated_at="2000-01-01T00:00:00"))
    body = response.get_json()
    assert response.status_code == 201
    assert body["id"] != 4242 and body["slug"] == "new-product" and not body["created_at"].startswith("2000")


@pytest.mark.parametrize("overrides, field", [
    ({"price": 0}, "price"), ({"price": -1}, "price"), ({"price": "abc"}, "price"), ({"price": 10.001}, "price"),
    ({"price": 100000000}, "price"), ({"price": None}, "price"), ({"price": True}, "price"),
    ({"compare_price": 50}, "compare_price"), ({"compare_price": 99.99}, "compare_price"),
    ({"stock_quantity": -1}, "stock_quantity"), ({"stock_quantity": 1.5}, "stock_quantity"),
    ({"stock_quantity": 2**31}, "stock_quantity"), ({"name": ""}, "name"), ({"name": "   "}, "name"),
    ({"name": "x" * 201}, "name"), ({"sku": "x" * 101}, "sku"), ({"sku": ""}, "sku"),
    ({"barcode": "9" * 101}, "barcode"),
    ({"dimensions": "d" * 101}, "dimensions"), ({"image_url": "javascript:alert(1)"}, "image_url"),
    ({"image_url": "/static/../config.py"}, "image_url"), ({"image_url": "x" * 501}, "image_url"),
    ({"images": ["ftp://x"]}, "images"), ({"category_id": "abc"}, "category_id"), ({"weight": -1}, "weight"),
    ({"is_featured": "maybe"}, "is_featured"), ({"description": "d" * 10_001}, "description"),
])
def test_add_rejects_bad_values(client, app, category, manager, overrides, field):
    assert_error(client.post("/api/products/add", json=spa_add_body(category, **overrides), headers=manager.headers),
                 400, field)
    with app.app_context():
        assert db.session.query(Product).count() == 0


@pytest.mark.parametrize("missing", ["name", "price", "sku", "stock_quantity", "category_id"])
def test_add_requires_the_core_fields(client, category, manager, missing):
    body = spa_add_body(category)
    del body[missing]
    assert_error(client.post("/api/products/add", json=body, headers=manager.headers), 400, missing)


def test_add_refuses_unknown_and_inactive_categories(client, app, manager):
    body = assert_error(client.post("/api/products/add", json=spa_add_body(999999), headers=manager.headers),
                        400, "category_id")
    assert body["error"] == "Category not found"
    inactive = make_category(app, is_active=False)
    body = assert_error(client.post("/api/products/add", json=spa_add_body(inactive), headers=manager.headers),
                        400, "category_id")
    assert body["error"] == "Category is not active"


@pytest.mark.parametrize("payload, status", [
    ("not json", 415), ("{broken", 400), ("null", 400), ("[1, 2]", 400)])
def test_add_rejects_malformed_bodies(client, category, manager, payload, status):
    content_type = "text/plain" if status == 415 else "application/json"
    response = client.post("/api/products/add", data=payload, content_type=content_type, headers=manager.headers)
    assert_error(response, status)


def test_duplicate_sku_and_barcode_are_409(client, app, category, manager):
    make_product(app, category, sku="SKU-TAKEN", barcode="555")
    response = client.post("/api/products/add", json=spa_add_body(category, sku="SKU-TAKEN"), headers=manager.headers)
    assert assert_error(response, 409)["error"] == "SKU already exists"
    response = client.post("/api/products/add", json=spa_add_body(category, barcode="555"), headers=manager.headers)
    assert assert_error(response, 409)["error"] == "Barcode already exists"


def test_empty_barcodes_become_null_and_never_collide(client, category, manager):
    for sku in ("A-1", "A-2"):
        response = client.post("/api/products/add", json=spa_add_body(category, sku=sku, barcode=""),
                               headers=manager.headers)
        assert response.status_code == 201 and response.get_json()["barcode"] is None


def test_a_uniqueness_race_lost_at_flush_is_409(client, category, manager, monkeypatch):
    from app.repositories import product_repository

    def lose_the_race(product):
        raise IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed: products.sku"))

    monkeypatch.setattr(product_repository, "add", lose_the_race)
    response = client.post("/api/products/add", json=spa_add_body(category), headers=manager.headers)
    body = assert_error(response, 409)
    assert "UNIQUE" not in response.get_data(as_text=True) and body["code"] == "CONFLICT"


def test_duplicate_names_get_numbered_slugs(client, category, manager):
    slugs = [client.post("/api/products/add", json=spa_add_body(category, sku=f"S-{n}", name="Home & Garden Set"),
                         headers=manager.headers).get_json()["slug"] for n in range(3)]
    assert slugs == ["home-garden-set", "home-garden-set-2", "home-garden-set-3"]


def test_a_name_without_slug_characters_still_gets_a_slug(client, category, manager):
    response = client.post("/api/products/add", json=spa_add_body(category, name="!!!"), headers=manager.headers)
    assert response.status_code == 201 and response.get_json()["slug"] == "item"


def test_a_manager_cannot_create_an_inactive_product(client, category, manager, admin):
    assert_error(client.post("/api/products/add", json=spa_add_body(category, is_active=False),
                             headers=manager.headers), 403)
    response = client.post("/api/products/add", json=spa_add_body(category, is_active=False), headers=admin.headers)
    assert response.status_code == 201 and response.get_json()["is_active"] is False


# --- update --------------------------------------------------------------------------------------------------------

def test_update_with_the_spa_body(client, app, category, product, manager):
    response = client.put(f"/api/products/{product}", json=spa_edit_body(category), headers=manager.headers)
    body = response.get_json()
    assert response.status_code == 200, body
    assert set(body) == PRODUCT_KEYS | {"category"}
    changed = (body["price"], body["compare_price"], body["stock_quantity"], body["is_featured"])
    assert changed == (899.5, 999.99, 7, True)
    assert body["slug"] == "premium-laptop"  # same name, same slug
    assert body["image_url"] == "/static/uploads/products/abc.png"


def test_update_ignores_server_owned_fields(client, app, product, admin):
    response = client.put(f"/api/products/{product}", headers=admin.headers,
                          json={"id": 777, "slug": "hacked", "created_at": "2000-01-01T00:00:00", "stock_quantity": 1})
    body = response.get_json()
    assert (body["id"], body["slug"], body["stock_quantity"]) == (product, "premium-laptop", 1)


def test_renaming_regenerates_a_unique_slug(client, app, category, product, manager):
    make_product(app, category, name="Taken", slug="gaming-laptop")
    body = client.put(f"/api/products/{product}", json={"name": "Gaming Laptop"}, headers=manager.headers).get_json()
    assert body["slug"] == "gaming-laptop-2"
    body = client.put(f"/api/products/{product}", json={"name": "Gaming  Laptop"}, headers=manager.headers).get_json()
    assert body["slug"] == "gaming-laptop-2"  # its own slug stays free for it


def test_update_works_on_inactive_products(client, app, category, admin):
    hidden = make_product(app, category, is_active=False)
    response = client.put(f"/api/products/{hidden}", json={"price": "12.30"}, headers=admin.headers)
    assert response.status_code == 200 and response.get_json()["price"] == 12.3


def test_admin_reactivates_but_a_manager_may_not_toggle_is_active(client, app, category, manager, admin):
    hidden = make_product(app, category, is_active=False)
    assert_error(client.put(f"/api/products/{hidden}", json={"is_active": True}, headers=manager.headers), 403)
    # the SPA always sends is_active: the current value is accepted from a manager
    assert client.put(f"/api/products/{hidden}", json={"is_active": False, "stock_quantity": 2},
                      headers=manager.headers).status_code == 200
    assert client.put(f"/api/products/{hidden}", json={"is_active": True}, headers=admin.headers).status_code == 200
    assert stored(app, hidden).is_active is True


def test_update_missing_product_is_404(client, manager):
    assert assert_error(client.put("/api/products/999999", json={"stock_quantity": 1}, headers=manager.headers),
                        404)["error"] == "Product not found"


def test_update_checks_uniqueness_against_other_products_only(client, app, category, product, manager):
    make_product(app, category, sku="OTHER", barcode="777")
    same_sku = client.put(f"/api/products/{product}", json={"sku": "SKU-LAPTOP"}, headers=manager.headers)
    assert same_sku.status_code == 200
    assert_error(client.put(f"/api/products/{product}", json={"sku": "OTHER"}, headers=manager.headers), 409)
    assert_error(client.put(f"/api/products/{product}", json={"barcode": "777"}, headers=manager.headers), 409)


def test_update_compare_price_against_the_effective_price(client, product, manager):
    assert_error(client.put(f"/api/products/{product}", json={"compare_price": 500}, headers=manager.headers),
                 400, "compare_price")
    response = client.put(f"/api/products/{product}", json={"compare_price": 1500}, headers=manager.headers)
    assert response.status_code == 200
    response = client.put(f"/api/products/{product}", json={"price": 1600}, headers=manager.headers)
    assert_error(response, 400, "compare_price")
    body = client.put(f"/api/products/{product}", json={"compare_price": None}, headers=manager.headers).get_json()
    assert body["compare_price"] is None
    body = client.put(f"/api/products/{product}", json={"compare_price": 0}, headers=manager.headers).get_json()
    assert body["compare_price"] is None


def test_update_category_must_be_active_only_when_it_changes(client, app, manager):
    inactive = make_category(app, is_active=False)
    product = make_product(app, inactive)
    assert client.put(f"/api/products/{product}", json={"category_id": inactive, "stock_quantity": 4},
                      headers=manager.headers).status_code == 200
    other_inactive = make_category(app, is_active=False)
    assert_error(client.put(f"/api/products/{product}", json={"category_id": other_inactive}, headers=manager.headers),
                 400, "category_id")


@pytest.mark.parametrize("body, field", [
    ({"price": "free"}, "price"), ({"stock_quantity": -5}, "stock_quantity"), ({"name": None}, "name"),
    ({"sku": None}, "sku"), ({"category_id": None}, "category_id"), ({"is_active": "yes please"}, "is_active")])
def test_update_rejects_bad_values_and_changes_nothing(client, app, product, manager, body, field):
    assert_error(client.put(f"/api/products/{product}", json=body, headers=manager.headers), 400, field)
    assert stored(app, product).stock_quantity == 5


# --- delete --------------------------------------------------------------------------------------------------------

def test_delete_is_a_soft_delete_and_idempotent(client, app, product, admin):
    for _ in range(2):
        response = client.delete(f"/api/products/{product}", headers=admin.headers)
        assert response.status_code == 200
        assert response.get_json() == {"message": "Product deleted successfully"}
    assert stored(app, product).is_active is False
    assert client.get("/api/products").get_json()["total"] == 0


def test_delete_missing_product_is_404(client, admin):
    response = client.delete("/api/products/999999", headers=admin.headers)
    assert assert_error(response, 404)["error"] == "Product not found"


def test_names_with_surrounding_spaces_are_not_blank(client, category, manager):
    response = client.post("/api/products/add", json=spa_add_body(category, name="  Desk Lamp"),
                           headers=manager.headers)
    assert response.status_code == 201 and response.get_json()["slug"] == "desk-lamp"
