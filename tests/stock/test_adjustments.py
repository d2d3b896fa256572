"""POST /api/products/<id>/stock-adjustments and GET /api/products/<id>/stock-movements."""
import pytest

from tests.factories import make_product
from tests.stock.conftest import MOVEMENT_KEYS, event_types, movements, stock_of


def adjust(client, actor, product_id, delta, reason="Stock count"):
    return client.post(f"/api/products/{product_id}/stock-adjustments", json={"delta": delta, "reason": reason},
                       headers=actor.headers)


def test_an_adjustment_moves_the_stock_and_answers_the_movement(app, client, manager):
    product_id = make_product(app, stock=10)
    response = adjust(client, manager, product_id, -4, "  Damaged in storage  ")
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == {"message", "movement", "product_id", "stock_quantity"}
    assert (body["message"], body["product_id"], body["stock_quantity"]) == ("Stock adjusted", product_id, 6)
    movement = body["movement"]
    assert set(movement) == MOVEMENT_KEYS
    assert {key: movement[key] for key in MOVEMENT_KEYS - {"id", "created_at"}} == {
        "product_id": product_id, "kind": "adjustment", "delta": -4, "quantity_after": 6,
        "reason": "Damaged in storage", "order_id": None, "actor_id": manager.id, "variant_id": None}
    assert movement["created_at"].endswith("+00:00")
    assert stock_of(app, product_id) == 6
    assert movements(app, product_id) == [("adjustment", -4, 6, "Damaged in storage", None, manager.id)]


def test_an_admin_may_add_stock(app, client, admin):
    product_id = make_product(app, stock=0)
    assert adjust(client, admin, product_id, 1_000_000).get_json()["stock_quantity"] == 1_000_000


def test_down_to_zero_is_allowed_below_is_409_and_writes_nothing(app, client, manager):
    product_id = make_product(app, stock=3)
    response = adjust(client, manager, product_id, -4)
    assert response.status_code == 409
    body = response.get_json()
    assert (body["code"], body["product_id"], body["stock_quantity"]) == ("INSUFFICIENT_STOCK", product_id, 3)
    assert stock_of(app, product_id) == 3 and movements(app) == []
    assert adjust(client, manager, product_id, -3).status_code == 201
    assert stock_of(app, product_id) == 0


def test_above_the_largest_storable_stock_is_409(app, client, manager):
    product_id = make_product(app, stock=2**31 - 1 - 5)
    response = adjust(client, manager, product_id, 6)
    assert (response.status_code, response.get_json()["code"]) == (409, "STOCK_LIMIT")
    assert adjust(client, manager, product_id, 5).get_json()["stock_quantity"] == 2**31 - 1


@pytest.mark.parametrize("product_id", [999, 2**31, 10**30])
def test_an_unknown_product_is_404(app, client, manager, product_id):
    response = adjust(client, manager, product_id, 1)
    assert (response.status_code, response.get_json()["code"]) == (404, "NOT_FOUND")
    response = client.get(f"/api/products/{product_id}/stock-movements", headers=manager.headers)
    assert response.status_code == 404


@pytest.mark.parametrize("body, field", [
    ({"reason": "Recount"}, "delta"),
    ({"delta": 0, "reason": "Recount"}, "delta"),
    ({"delta": 1_000_001, "reason": "Recount"}, "delta"),
    ({"delta": -1_000_001, "reason": "Recount"}, "delta"),
    ({"delta": 1.5, "reason": "Recount"}, "delta"),
    ({"delta": "5", "reason": "Recount"}, "delta"),
    ({"delta": True, "reason": "Recount"}, "delta"),
    ({"delta": None, "reason": "Recount"}, "delta"),
    ({"delta": 1}, "reason"),
    ({"delta": 1, "reason": None}, "reason"),
    ({"delta": 1, "reason": "ab"}, "reason"),
    ({"delta": 1, "reason": "   ab   "}, "reason"),
    ({"delta": 1, "reason": "     "}, "reason"),
    ({"delta": 1, "reason": "x" * 501}, "reason"),
    ({"delta": 1, "reason": 12345}, "reason"),
    ({"delta": 1, "reason": "Recount", "kind": "sale"}, "kind"),
])
def test_bad_bodies_are_400_and_write_nothing(app, client, manager, body, field):
    product_id = make_product(app, stock=10)
    response = client.post(f"/api/products/{product_id}/stock-adjustments", json=body, headers=manager.headers)
    assert response.status_code == 400
    answer = response.get_json()
    assert answer["code"] == "VALIDATION_FAILED" and set(answer["details"]) == {field}
    assert stock_of(app, product_id) == 10 and movements(app) == []


@pytest.mark.parametrize("data, content_type, status", [
    ('{"delta": 1' + "0" * 40 + ', "reason": "Recount"}', "application/json", 400),
    ("not json", "application/json", 400), ("null", "application/json", 400), ("[1]", "application/json", 400),
    ("delta=1", "text/plain", 415)])
def test_bodies_that_are_not_an_object_are_4xx_json(app, client, manager, data, content_type, status):
    product_id = make_product(app, stock=10)
    response = client.post(f"/api/products/{product_id}/stock-adjustments", data=data, content_type=content_type,
                           headers=manager.headers)
    assert response.status_code == status and "error" in response.get_json()
    assert movements(app) == []


def test_500_and_max_reason_lengths_are_accepted(app, client, manager):
    product_id = make_product(app, stock=10)
    assert adjust(client, manager, product_id, 1, "x" * 500).status_code == 201
    assert adjust(client, manager, product_id, 1, "abc").status_code == 201


def test_an_adjustment_crossing_the_low_stock_threshold_emits_stock_low_once(app, client, manager):
    product_id = make_product(app, stock=8)
    adjust(client, manager, product_id, -2)  # 6: above the threshold (5)
    assert "stock.low" not in event_types(app)
    adjust(client, manager, product_id, -1)  # 5: at the threshold
    adjust(client, manager, product_id, -1)  # 4: already below
    assert event_types(app).count("stock.low") == 1


def test_movements_are_listed_newest_first_and_paginated(app, client, manager, admin):
    product_id, other = make_product(app, stock=0), make_product(app, stock=0)
    for delta in (5, 2, -3):
        adjust(client, manager, product_id, delta, f"Count {delta}")
    adjust(client, admin, other, 9)
    response = client.get(f"/api/products/{product_id}/stock-movements?per_page=2", headers=admin.headers)
    assert response.status_code == 200
    body = response.get_json()
    assert {key: body[key] for key in ("total", "pages", "current_page", "per_page", "has_next", "has_prev")} == {
        "total": 3, "pages": 2, "current_page": 1, "per_page": 2, "has_next": True, "has_prev": False}
    assert [(m["delta"], m["quantity_after"], m["reason"]) for m in body["movements"]] == [
        (-3, 4, "Count -3"), (2, 7, "Count 2")]
    second = client.get(f"/api/products/{product_id}/stock-movements?per_page=2&page=2",
                        headers=manager.headers).get_json()
    assert [(m["delta"], m["quantity_after"]) for m in second["movements"]] == [(5, 5)]
    assert (second["has_next"], second["has_prev"]) == (False, True)


def test_a_product_without_movements_has_an_empty_list(app, client, manager):
    product_id = make_product(app, stock=4)  # built directly, not through the API: no initial row
    body = client.get(f"/api/products/{product_id}/stock-movements", headers=manager.headers).get_json()
    assert (body["movements"], body["total"], body["pages"]) == ([], 0, 0)


@pytest.mark.parametrize("query", ["page=abc", "per_page=x", "page=99999999999"])
def test_bad_paging_is_400(app, client, manager, query):
    product_id = make_product(app)
    response = client.get(f"/api/products/{product_id}/stock-movements?{query}", headers=manager.headers)
    assert response.status_code == 400 and response.get_json()["code"] == "VALIDATION_FAILED"


@pytest.mark.parametrize("role, status", [("anonymous", 401), ("customer", 403), ("cashier", 403),
                                          ("manager", 201), ("admin", 201)])
def test_who_may_adjust(app, client, actors, role, status):
    product_id = make_product(app, stock=5)
    headers = actors[role].headers if actors[role] else {}
    response = client.post(f"/api/products/{product_id}/stock-adjustments", json={"delta": 1, "reason": "Recount"},
                           headers=headers)
    assert response.status_code == status
    assert stock_of(app, product_id) == (6 if status == 201 else 5)
    listing = client.get(f"/api/products/{product_id}/stock-movements", headers=headers)
    assert listing.status_code == (200 if status == 201 else status)
