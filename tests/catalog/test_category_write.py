"""Category create, subcategory, update, delete and reorder."""
import pytest

from app.extensions import db
from app.models import Category
from tests.catalog.conftest import CATEGORY_KEYS, assert_error
from tests.factories import make_category, make_product


def stored(app, category_id):
    with app.app_context():
        category = db.session.get(Category, category_id)
        if category is not None:
            db.session.expunge(category)
        return category


def headers_of(actors, role):
    return actors[role].headers if actors[role] else {}


# --- permissions -------------------------------------------------------------------------------------------------

ADMIN_ONLY = {"anonymous": 401, "customer": 403, "cashier": 403, "manager": 403}
MANAGER_UP = {"anonymous": 401, "customer": 403, "cashier": 403}


@pytest.mark.parametrize("role", list(ADMIN_ONLY))
def test_create_is_admin_only(client, actors, role):
    response = client.post("/api/categories", json={"name": "Toys"}, headers=headers_of(actors, role))
    assert response.status_code == ADMIN_ONLY[role]
    if response.status_code == 403:
        assert response.get_json()["error"] == "This action requires admin privileges"


@pytest.mark.parametrize("role", list(MANAGER_UP))
def test_subcategory_needs_a_manager(client, actors, category, role):
    response = client.post(f"/api/categories/{category}/subcategory", json={"name": "Phones"},
                           headers=headers_of(actors, role))
    assert response.status_code == MANAGER_UP[role]


@pytest.mark.parametrize("role", list(MANAGER_UP))
def test_update_needs_a_manager(client, actors, category, role):
    response = client.put(f"/api/categories/{category}", json={"name": "X"}, headers=headers_of(actors, role))
    assert response.status_code == MANAGER_UP[role]


@pytest.mark.parametrize("role", list(ADMIN_ONLY))
def test_delete_is_admin_only(client, app, actors, category, role):
    response = client.delete(f"/api/categories/{category}", headers=headers_of(actors, role))
    assert response.status_code == ADMIN_ONLY[role]
    assert stored(app, category) is not None


@pytest.mark.parametrize("role", list(ADMIN_ONLY))
def test_reorder_is_admin_only(client, actors, category, role):
    response = client.put("/api/categories/reorder", json={"updates": [{"id": category, "parent_id": None}]},
                          headers=headers_of(actors, role))
    assert response.status_code == ADMIN_ONLY[role]


# --- create --------------------------------------------------------------------------------------------------------

def test_admin_creates_a_root_category_with_the_spa_body(client, admin):
    response = client.post("/api/categories", headers=admin.headers,
                           json={"name": "Home & Garden", "description": None, "is_active": True, "parent_id": None})
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == {"message", "category"} and body["message"] == "Category created successfully"
    assert set(body["category"]) == CATEGORY_KEYS
    assert (body["category"]["slug"], body["category"]["parent_id"]) == ("home-garden", None)


def test_admin_may_create_under_a_parent_given_as_a_string(client, category, admin):
    response = client.post("/api/categories", json={"name": "Phones", "parent_id": str(category)},
                           headers=admin.headers)
    assert response.status_code == 201 and response.get_json()["category"]["parent_id"] == category


def test_duplicate_names_get_numbered_slugs(client, admin):
    slugs = [client.post("/api/categories", json={"name": "Men's Clothing"}, headers=admin.headers)
             .get_json()["category"]["slug"] for _ in range(3)]
    assert slugs == ["mens-clothing", "mens-clothing-2", "mens-clothing-3"]


def test_slug_and_ids_are_server_owned(client, admin):
    body = client.post("/api/categories", json={"name": "Toys", "slug": "custom", "id": 999, "position": 4},
                       headers=admin.headers).get_json()["category"]
    assert body["slug"] == "toys" and body["id"] != 999


@pytest.mark.parametrize("body, field", [
    ({}, "name"), ({"name": ""}, "name"), ({"name": "  "}, "name"), ({"name": None}, "name"),
    ({"name": "x" * 101}, "name"),
    ({"name": "Ok", "description": "d" * 5001}, "description"), ({"name": "Ok", "parent_id": "abc"}, "parent_id"),
    ({"name": "Ok", "parent_id": 1.5}, "parent_id"), ({"name": "Ok", "is_active": "sometimes"}, "is_active"),
    ({"name": "Ok", "parent_id": 999999}, "parent_id")])
def test_create_rejects_bad_bodies(client, app, admin, body, field):
    assert_error(client.post("/api/categories", json=body, headers=admin.headers), 400, field)
    with app.app_context():
        assert db.session.query(Category).count() == 0


def test_create_under_an_inactive_parent_is_refused(client, app, admin):
    inactive = make_category(app, is_active=False)
    response = client.post("/api/categories", json={"name": "X", "parent_id": inactive}, headers=admin.headers)
    body = assert_error(response, 400, "parent_id")
    assert body["error"] == "Parent category is not active"


@pytest.mark.parametrize("payload, content_type, status", [
    ("name=x", "application/x-www-form-urlencoded", 415), ("{oops", "application/json", 400),
    ("null", "application/json", 400)])
def test_create_rejects_malformed_bodies(client, admin, payload, content_type, status):
    assert_error(client.post("/api/categories", data=payload, content_type=content_type, headers=admin.headers), status)


# --- subcategory ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["manager", "admin"])
def test_subcategory_parent_comes_from_the_url(client, app, actors, category, role):
    other = make_category(app)
    response = client.post(f"/api/categories/{category}/subcategory", headers=actors[role].headers,
                           json={"name": "Phones", "description": None, "is_active": True, "parent_id": str(other)})
    assert response.status_code == 201
    body = response.get_json()
    assert body["message"] == "Subcategory created successfully"
    assert set(body["category"]) == CATEGORY_KEYS and body["category"]["parent_id"] == category


def test_subcategory_of_a_missing_or_inactive_parent(client, app, manager):
    assert assert_error(client.post("/api/categories/999999/subcategory", json={"name": "X"}, headers=manager.headers),
                        404)["error"] == "Parent category not found"
    inactive = make_category(app, is_active=False)
    assert_error(client.post(f"/api/categories/{inactive}/subcategory", json={"name": "X"}, headers=manager.headers),
                 400)


def test_subcategory_validates_its_body(client, category, manager):
    assert_error(client.post(f"/api/categories/{category}/subcategory", json={"name": ""}, headers=manager.headers),
                 400, "name")


# --- update --------------------------------------------------------------------------------------------------------

def test_admin_updates_every_editable_field_and_renaming_regenerates_the_slug(client, app, category, admin):
    parent = make_category(app, name="Parent")
    make_category(app, name="Taken", slug="gadgets")
    response = client.put(f"/api/categories/{category}", headers=admin.headers, json={
        "name": "Gadgets", "description": "All of them", "is_active": False, "parent_id": str(parent)})
    body = response.get_json()
    assert response.status_code == 200 and body["message"] == "Category updated successfully"
    assert set(body["category"]) == CATEGORY_KEYS
    category_body = body["category"]
    assert (category_body["name"], category_body["slug"], category_body["description"]) == (
        "Gadgets", "gadgets-2", "All of them")
    assert (category_body["is_active"], category_body["parent_id"]) == (False, parent)
    body = client.put(f"/api/categories/{category}", json={"parent_id": None}, headers=admin.headers).get_json()
    assert body["category"]["parent_id"] is None


def test_manager_edits_name_and_description_with_the_spa_body(client, app, category, manager):
    response = client.put(f"/api/categories/{category}", headers=manager.headers, json={
        "name": "Electronics & More", "description": None, "is_active": True, "parent_id": None})
    assert response.status_code == 200
    body = response.get_json()["category"]
    assert (body["name"], body["slug"], body["description"]) == ("Electronics & More", "electronics-more", None)


def test_manager_sending_current_parent_as_a_string_is_fine(client, app, category, manager):
    child = make_category(app, name="Child", parent_id=category)
    response = client.put(f"/api/categories/{child}", headers=manager.headers,
                          json={"name": "Renamed", "is_active": True, "parent_id": str(category)})
    assert response.status_code == 200 and response.get_json()["category"]["name"] == "Renamed"


@pytest.mark.parametrize("change", [{"is_active": False}, {"parent_id": "PARENT"}])
def test_manager_changing_status_or_parent_is_403(client, app, category, manager, change):
    parent = make_category(app)
    change = {key: (parent if value == "PARENT" else value) for key, value in change.items()}
    response = client.put(f"/api/categories/{category}", json={"name": "New name", **change}, headers=manager.headers)
    assert assert_error(response, 403)["your_role"] == "manager"
    after = stored(app, category)
    assert (after.name, after.is_active, after.parent_id) == ("Electronics", True, None)


def test_update_self_parent_cycle_missing_and_inactive_parents(client, app, category, admin):
    child = make_category(app, parent_id=category)
    grandchild = make_category(app, parent_id=child)
    inactive = make_category(app, is_active=False)
    assert assert_error(client.put(f"/api/categories/{category}", json={"parent_id": str(category)},
                                   headers=admin.headers), 400)["error"] == "Category cannot be its own parent"
    assert_error(client.put(f"/api/categories/{category}", json={"parent_id": grandchild}, headers=admin.headers), 409)
    assert_error(client.put(f"/api/categories/{category}", json={"parent_id": 999999}, headers=admin.headers),
                 400, "parent_id")
    assert_error(client.put(f"/api/categories/{category}", json={"parent_id": inactive}, headers=admin.headers),
                 400, "parent_id")
    assert stored(app, category).parent_id is None


def test_update_missing_category_is_404(client, admin):
    assert assert_error(client.put("/api/categories/999999", json={"name": "X"}, headers=admin.headers),
                        404)["error"] == "Category not found"


def test_update_validates_its_body(client, category, admin):
    response = client.put(f"/api/categories/{category}", json={"name": "x" * 101}, headers=admin.headers)
    assert_error(response, 400, "name")


def test_empty_update_changes_nothing(client, category, admin):
    response = client.put(f"/api/categories/{category}", json={}, headers=admin.headers)
    assert response.status_code == 200 and response.get_json()["category"]["name"] == "Electronics"


# --- delete --------------------------------------------------------------------------------------------------------

def test_delete_an_empty_category(client, app, category, admin):
    response = client.delete(f"/api/categories/{category}", headers=admin.headers)
    assert response.status_code == 200
    assert response.get_json() == {"message": "Category deleted successfully",
                                   "warning": "This action cannot be undone"}
    assert stored(app, category) is None


def test_delete_is_refused_while_products_remain_even_inactive(client, app, category, admin):
    make_product(app, category, is_active=False)
    body = assert_error(client.delete(f"/api/categories/{category}", headers=admin.headers), 409)
    assert body["error"] == "Cannot delete category with 1 products. Please move or delete them first."
    assert stored(app, category) is not None


def test_delete_is_refused_while_subcategories_remain(client, app, category, admin):
    make_category(app, parent_id=category, is_active=False)
    body = assert_error(client.delete(f"/api/categories/{category}", headers=admin.headers), 409)
    assert body["error"] == "Cannot delete category with 1 subcategories. Please delete them first."


def test_delete_missing_category_is_404(client, admin):
    assert_error(client.delete("/api/categories/999999", headers=admin.headers), 404)


# --- reorder -------------------------------------------------------------------------------------------------------

def test_reorder_moves_and_positions(client, app, admin):
    a, b, c = (make_category(app, name=name) for name in "ABC")
    response = client.put("/api/categories/reorder", headers=admin.headers, json={"updates": [
        {"id": b, "parent_id": a, "position": 2}, {"id": c, "parent_id": b},
        {"id": a, "parent_id": None, "position": 1}]})
    assert response.status_code == 200
    assert response.get_json() == {"message": "Categories reordered successfully"}
    assert (stored(app, b).parent_id, stored(app, b).position) == (a, 2)
    assert (stored(app, c).parent_id, stored(app, a).parent_id, stored(app, a).position) == (b, None, 1)


def test_reorder_may_swap_parent_and_child_in_one_call(client, app, admin):
    parent = make_category(app)
    child = make_category(app, parent_id=parent)
    response = client.put("/api/categories/reorder", headers=admin.headers, json={"updates": [
        {"id": parent, "parent_id": child}, {"id": child, "parent_id": None}]})
    assert response.status_code == 200
    assert (stored(app, parent).parent_id, stored(app, child).parent_id) == (child, None)


@pytest.mark.parametrize("bad, status", [
    ({"parent_id": None}, 400),                # missing id
    ({"id": 999999, "parent_id": None}, 404),  # unknown category
    ({"id": "SELF", "parent_id": "SELF"}, 400),
    ({"id": "A", "parent_id": "C"}, 409),     # cycle A -> C -> B -> A after every update
    ({"id": "B", "parent_id": 999999}, 400),  # unknown parent
    ({"id": "B", "parent_id": "INACTIVE"}, 400),
    ({"id": "B", "position": -1}, 400),
    ({"id": "B", "position": "first"}, 400),
])
def test_reorder_is_all_or_nothing(client, app, admin, bad, status):
    a = make_category(app)
    b = make_category(app, parent_id=a)
    c = make_category(app)
    inactive = make_category(app, is_active=False)
    names = {"A": a, "B": b, "C": c, "SELF": b, "INACTIVE": inactive}
    bad = {key: names.get(value, value) if isinstance(value, str) else value for key, value in bad.items()}
    good = {"id": c, "parent_id": b, "position": 5}
    response = client.put("/api/categories/reorder", json={"updates": [good, bad]}, headers=admin.headers)
    body = assert_error(response, status)
    if "id" in bad and bad["id"] == bad.get("parent_id"):
        assert body["error"] == "Category cannot be its own parent"
    assert (stored(app, c).parent_id, stored(app, c).position, stored(app, a).parent_id) == (None, 0, None)


@pytest.mark.parametrize("body", [{}, {"updates": []}, {"updates": "all"}, {"updates": [1]}])
def test_reorder_needs_a_list_of_updates(client, admin, body):
    assert_error(client.put("/api/categories/reorder", json=body, headers=admin.headers), 400, "updates")


def test_reorder_refuses_the_same_category_twice(client, category, admin):
    body = {"updates": [{"id": category, "parent_id": None}, {"id": category, "position": 2}]}
    assert_error(client.put("/api/categories/reorder", json=body, headers=admin.headers), 400, "updates")
