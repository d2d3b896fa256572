"""Discount administration: create, list, read, update, delete with exact values, audited, admin only."""
from decimal import Decimal

import pytest

from app.extensions import db
from app.models import Order
from app.models.base import MAX_ID
from tests.audit.conftest import entries
from tests.discounts.conftest import decimal_json
from tests.factories import make_discount, make_order

BODY = {"code": "save10", "kind": "percent", "value": "10", "min_subtotal": 25, "starts_at": "2026-06-01T14:00:00+02:00",
        "ends_at": "2026-07-01T00:00:00Z", "usage_limit": 100, "per_customer_limit": 1}
KEYS = {"id", "code", "kind", "value", "min_subtotal", "starts_at", "ends_at", "usage_limit", "per_customer_limit",
        "is_active", "times_used", "created_at", "updated_at"}


def create(client, admin, **body):
    return client.post("/api/discounts", json={"code": "SUMMER", "kind": "fixed", "value": "5.00", **body},
                       headers=admin.headers)


def test_create_answers_the_discount_with_exact_values(client, admin):
    response = client.post("/api/discounts", json=BODY, headers=admin.headers)
    assert response.status_code == 201, response.get_json()
    body = decimal_json(response)
    assert set(body) == {"message", "discount"} and body["message"] == "Discount created successfully"
    discount = body["discount"]
    assert set(discount) == KEYS
    assert {key: discount[key] for key in KEYS - {"id", "created_at", "updated_at"}} == {
        "code": "SAVE10", "kind": "percent", "value": Decimal("10.00"), "min_subtotal": Decimal("25.00"),
        "starts_at": "2026-06-01T12:00:00+00:00", "ends_at": "2026-07-01T00:00:00+00:00", "usage_limit": 100,
        "per_customer_limit": 1, "is_active": True, "times_used": 0}
    assert str(discount["value"]) == "10.00" and str(discount["min_subtotal"]) == "25.00"

    read = client.get(f"/api/discounts/{discount['id']}", headers=admin.headers)
    assert read.status_code == 200 and decimal_json(read) == {"discount": discount}


def test_create_with_only_the_required_fields(client, admin):
    response = client.post("/api/discounts", json={"code": "Flat-5_off", "kind": "fixed", "value": 5},
                           headers=admin.headers)
    assert response.status_code == 201
    discount = decimal_json(response)["discount"]
    assert {key: discount[key] for key in KEYS - {"id", "created_at", "updated_at"}} == {
        "code": "FLAT-5_OFF", "kind": "fixed", "value": Decimal("5.00"), "min_subtotal": None, "starts_at": None,
        "ends_at": None, "usage_limit": None, "per_customer_limit": None, "is_active": True, "times_used": 0}


def test_create_accepts_the_edges(client, admin):
    for body in ({"code": "ABC", "kind": "percent", "value": "100"},
                 {"code": "X" * 50, "kind": "fixed", "value": "99999999.99", "min_subtotal": "0",
                  "usage_limit": MAX_ID, "per_customer_limit": MAX_ID},
                 {"code": "CENT", "kind": "fixed", "value": "0.01", "is_active": False}):
        response = client.post("/api/discounts", json=body, headers=admin.headers)
        assert response.status_code == 201, (body, response.get_json())


def test_the_list_pages_and_filters(client, admin):
    ids = [create(client, admin, code=code, is_active=active).get_json()["discount"]["id"]
           for code, active in (("SPRING5", True), ("SPRING10", False), ("SUMMER", True), ("SP_X", True))]
    listed = client.get("/api/discounts", headers=admin.headers).get_json()
    assert [d["id"] for d in listed["discounts"]] == ids
    assert {key: listed[key] for key in ("total", "pages", "current_page", "per_page", "has_next", "has_prev")} == {
        "total": 4, "pages": 1, "current_page": 1, "per_page": 20, "has_next": False, "has_prev": False}

    def codes(query):
        response = client.get(f"/api/discounts?{query}", headers=admin.headers)
        assert response.status_code == 200, response.get_json()
        return [d["code"] for d in response.get_json()["discounts"]]

    assert codes("code=spr") == ["SPRING5", "SPRING10"]
    assert codes("code=SPRING1") == ["SPRING10"]
    assert codes("code=sp_") == ["SP_X"]  # "_" is a letter of the code, not a wildcard
    assert codes("code=%25") == []
    assert codes("code=pring") == []  # a prefix, not a substring
    assert codes("is_active=false") == ["SPRING10"]
    assert codes("is_active=true&code=s") == ["SPRING5", "SUMMER", "SP_X"]
    page = client.get("/api/discounts?per_page=3&page=2", headers=admin.headers).get_json()
    assert ([d["code"] for d in page["discounts"]], page["total"], page["pages"], page["has_prev"]) == (
        ["SP_X"], 4, 2, True)


@pytest.mark.parametrize("query", ["is_active=maybe", "code=" + "A" * 51, "page=x", "per_page=y"])
def test_bad_list_filters_are_400(client, admin, query):
    response = client.get(f"/api/discounts?{query}", headers=admin.headers)
    assert response.status_code == 400 and response.get_json()["code"] == "VALIDATION_FAILED"


def test_update_changes_only_the_given_fields(client, admin):
    discount = create(client, admin, min_subtotal="20.00", usage_limit=10).get_json()["discount"]
    response = client.put(f"/api/discounts/{discount['id']}", headers=admin.headers, json={
        "code": "autumn", "kind": "percent", "value": "12.5", "min_subtotal": None,
        "ends_at": "2027-01-01T00:00:00-05:00", "is_active": False})
    assert response.status_code == 200, response.get_json()
    body = decimal_json(response)
    assert body["message"] == "Discount updated successfully"
    updated = body["discount"]
    assert {key: updated[key] for key in KEYS - {"id", "created_at", "updated_at"}} == {
        "code": "AUTUMN", "kind": "percent", "value": Decimal("12.50"), "min_subtotal": None, "starts_at": None,
        "ends_at": "2027-01-01T05:00:00+00:00", "usage_limit": 10, "per_customer_limit": None, "is_active": False,
        "times_used": 0}
    assert updated["id"] == discount["id"] and updated["created_at"] == discount["created_at"]
    assert decimal_json(client.get(f"/api/discounts/{discount['id']}", headers=admin.headers)) == {
        "discount": updated}


def test_a_code_may_keep_its_own_code_in_another_case(client, admin):
    discount_id = create(client, admin, code="KEEP").get_json()["discount"]["id"]
    response = client.put(f"/api/discounts/{discount_id}", json={"code": "keep"}, headers=admin.headers)
    assert response.status_code == 200 and response.get_json()["discount"]["code"] == "KEEP"


def test_delete_removes_the_code_and_orders_keep_their_copy(app, client, admin, customer, discount_row, in_app):
    discount_id = create(client, admin, code="GONE").get_json()["discount"]["id"]
    order_id = make_order(app, customer.customer_id, discount_id=discount_id, discount_code="GONE",
                          discount_amount=Decimal("5.00"))
    response = client.delete(f"/api/discounts/{discount_id}", headers=admin.headers)
    assert response.status_code == 200 and response.get_json() == {"message": "Discount deleted successfully"}
    assert discount_row(discount_id) is None
    assert client.get(f"/api/discounts/{discount_id}", headers=admin.headers).status_code == 404
    order = client.get(f"/api/orders/{order_id}", headers=admin.headers)
    assert order.status_code == 200, order.get_json()
    order = decimal_json(order)
    assert (order["discount_code"], str(order["discount_amount"])) == ("GONE", "5.00")
    assert in_app(lambda: db.session.get(Order, order_id).discount_id) is None
    assert create(client, admin, code="gone").status_code == 201  # the code is free again


def test_a_usage_limit_below_the_uses_is_409(app, client, admin, discount_row):
    discount_id = make_discount(app, usage_limit=10, times_used=4)
    response = client.put(f"/api/discounts/{discount_id}", json={"usage_limit": 3}, headers=admin.headers)
    assert response.status_code == 409 and response.get_json()["code"] == "DISCOUNT_LIMIT_BELOW_USES"
    assert discount_row(discount_id)["usage_limit"] == 10
    for limit, expected in ((4, 4), (None, None)):
        response = client.put(f"/api/discounts/{discount_id}", json={"usage_limit": limit}, headers=admin.headers)
        assert response.status_code == 200 and response.get_json()["discount"]["usage_limit"] == expected
    assert discount_row(discount_id)["times_used"] == 4


@pytest.mark.parametrize("method", ["get", "put", "delete"])
@pytest.mark.parametrize("discount_id", [999, MAX_ID, MAX_ID + 1, 10**20])
def test_a_missing_or_out_of_range_id_is_404(client, admin, method, discount_id):
    response = getattr(client, method)(f"/api/discounts/{discount_id}", json={"is_active": False},
                                       headers=admin.headers)
    assert response.status_code == 404 and response.get_json()["code"] == "NOT_FOUND"


def test_every_write_is_audited(app, client, admin):
    discount = client.post("/api/discounts", json=BODY, headers=admin.headers).get_json()["discount"]
    path = f"/api/discounts/{discount['id']}"
    assert client.put(path, json={"value": "15", "usage_limit": 100}, headers=admin.headers).status_code == 200
    assert client.put(path, json={"value": "15.00"}, headers=admin.headers).status_code == 200  # no change: no entry
    assert client.delete(path, headers=admin.headers).status_code == 200
    target = (admin.id, "admin")
    assert entries(app) == [
        (*target, "discount.create", "discount", discount["id"], {
            "code": [None, "SAVE10"], "kind": [None, "percent"], "value": [None, "10.00"],
            "min_subtotal": [None, "25.00"], "starts_at": [None, "2026-06-01T12:00:00+00:00"],
            "ends_at": [None, "2026-07-01T00:00:00+00:00"], "usage_limit": [None, 100],
            "per_customer_limit": [None, 1], "is_active": [None, True]}),
        (*target, "discount.update", "discount", discount["id"], {"value": ["10.00", "15.00"]}),
        (*target, "discount.delete", "discount", discount["id"], {
            "code": ["SAVE10", None], "kind": ["percent", None], "value": ["15.00", None],
            "min_subtotal": ["25.00", None], "starts_at": ["2026-06-01T12:00:00+00:00", None],
            "ends_at": ["2026-07-01T00:00:00+00:00", None], "usage_limit": [100, None],
            "per_customer_limit": [1, None], "is_active": [True, None]}),
    ]


@pytest.mark.parametrize("role", ["anonymous", "customer", "cashier", "manager"])
def test_only_an_admin_may_call_the_routes(app, client, actors, role, discounts_stored):
    discount_id = make_discount(app, code="MINE")
    headers = actors[role].headers if actors[role] else {}
    calls = [("post", "/api/discounts", {"code": "THEIRS", "kind": "fixed", "value": 1}),
             ("get", "/api/discounts", None), ("get", f"/api/discounts/{discount_id}", None),
             ("put", f"/api/discounts/{discount_id}", {"value": 50}), ("delete", f"/api/discounts/{discount_id}", None)]
    for method, path, body in calls:
        response = getattr(client, method)(path, json=body, headers=headers)
        assert response.status_code == (401 if role == "anonymous" else 403), (method, path)
    assert discounts_stored() == 1
    assert entries(app) == []
