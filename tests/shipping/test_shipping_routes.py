"""Shipping method administration: CRUD with exact values, ordering, 404s, audit entries and who may call."""
from decimal import Decimal

import pytest

from tests.factories import make_shipping_method
from tests.shipping.conftest import METHOD_KEYS, audit_entries, decimal_json, method_count, stored_methods


def test_create_answers_the_method_with_normalized_fields(client, app, admin, create):
    response = create(name="Express", code="Express-1", price="14.99", free_over=100,
                      countries=["usa", "Germany", "DE", "gb", "GBR"], is_active=False, sort_order=2)
    assert response.status_code == 201
    body = decimal_json(response)
    assert set(body) == {"message", "shipping_method"}
    assert body["message"] == "Shipping method created successfully"
    method = body["shipping_method"]
    assert set(method) == METHOD_KEYS
    assert {key: method[key] for key in METHOD_KEYS - {"id", "created_at", "updated_at"}} == {
        "name": "Express", "code": "express-1", "price": Decimal("14.99"), "free_over": Decimal("100.00"),
        "countries": ["DE", "GB", "US"], "is_active": False, "sort_order": 2}
    assert stored_methods(app) == [
        ("express-1", "Express", Decimal("14.99"), Decimal("100.00"), ["DE", "GB", "US"], False, 2)]

    one = client.get(f"/api/shipping-methods/{method['id']}", headers=admin.headers)
    assert one.status_code == 200 and decimal_json(one) == {"shipping_method": method}
    listed = client.get("/api/shipping-methods", headers=admin.headers)
    assert listed.status_code == 200 and decimal_json(listed) == {"shipping_methods": [method]}


def test_create_defaults_and_money_with_two_decimals(app, create):
    response = create(price=4.5)
    assert response.status_code == 201
    method = response.get_json()["shipping_method"]
    assert (method["free_over"], method["countries"], method["is_active"], method["sort_order"]) == (None, [], True, 0)
    assert '"price":4.50' in response.get_data(as_text=True)
    assert stored_methods(app) == [("standard", "Standard shipping", Decimal("4.50"), None, [], True, 0)]


def test_zero_prices_are_accepted(app, create):
    assert create(price="0", free_over="0.00").status_code == 201
    assert stored_methods(app) == [("standard", "Standard shipping", Decimal("0.00"), Decimal("0.00"), [], True, 0)]


def test_the_list_has_every_method_by_sort_order_then_id(client, app, admin):
    make_shipping_method(app, code="c", sort_order=2)
    make_shipping_method(app, code="a", sort_order=1, is_active=False)
    make_shipping_method(app, code="b", sort_order=1)
    make_shipping_method(app, code="d", sort_order=-5)
    response = client.get("/api/shipping-methods", headers=admin.headers)
    assert response.status_code == 200
    methods = response.get_json()["shipping_methods"]
    assert [(m["code"], m["is_active"]) for m in methods] == [("d", True), ("a", False), ("b", True), ("c", True)]


def test_update_changes_only_the_given_fields(client, app, admin):
    method_id = make_shipping_method(app, code="express", name="Express", price="14.99", free_over="80.00",
                                     countries=["US"], sort_order=2)
    response = client.put(f"/api/shipping-methods/{method_id}", headers=admin.headers,
                          json={"price": 12, "countries": ["Canada", "us"], "free_over": None})
    assert response.status_code == 200
    body = decimal_json(response)
    assert set(body) == {"message", "shipping_method"}
    assert body["message"] == "Shipping method updated successfully"
    method = body["shipping_method"]
    assert (method["id"], method["code"], method["name"], method["price"], method["free_over"], method["countries"],
            method["is_active"], method["sort_order"]) == (
        method_id, "express", "Express", Decimal("12.00"), None, ["CA", "US"], True, 2)
    assert stored_methods(app) == [("express", "Express", Decimal("12.00"), None, ["CA", "US"], True, 2)]


def test_update_may_keep_or_recase_its_own_code(client, app, admin):
    method_id = make_shipping_method(app, code="express")
    response = client.put(f"/api/shipping-methods/{method_id}", headers=admin.headers,
                          json={"code": "EXPRESS", "is_active": False, "sort_order": 2**31 - 1})
    assert response.status_code == 200
    ((code, *_, is_active, sort_order),) = stored_methods(app)
    assert (code, is_active, sort_order) == ("express", False, 2**31 - 1)


def test_an_empty_update_changes_nothing_and_records_nothing(client, app, admin):
    method_id = make_shipping_method(app, code="express", price="3.00")
    before = stored_methods(app)
    response = client.put(f"/api/shipping-methods/{method_id}", headers=admin.headers, json={})
    assert response.status_code == 200
    assert stored_methods(app) == before
    assert audit_entries(app) == []


def test_delete_removes_the_method(client, app, admin):
    keep = make_shipping_method(app, code="keep")
    method_id = make_shipping_method(app, code="gone")
    response = client.delete(f"/api/shipping-methods/{method_id}", headers=admin.headers)
    assert response.status_code == 200
    assert response.get_json() == {"message": "Shipping method deleted successfully"}
    assert client.get(f"/api/shipping-methods/{method_id}", headers=admin.headers).status_code == 404
    assert [m["id"] for m in client.get("/api/shipping-methods", headers=admin.headers).get_json()[
        "shipping_methods"]] == [keep]


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
@pytest.mark.parametrize("method_id", ["999999", "0", str(2**31), str(10**30)])
def test_a_missing_or_out_of_range_id_is_404(client, app, admin, method, method_id):
    make_shipping_method(app)
    response = client.open(f"/api/shipping-methods/{method_id}", method=method, headers=admin.headers,
                           json={"price": "1.00"} if method == "PUT" else None)
    assert response.status_code == 404
    assert response.get_json()["error"] == "Shipping method not found"
    assert method_count(app) == 1


def test_every_write_is_audited_with_what_changed(client, app, admin, create):
    method_id = create(price="5.99", free_over="50", countries=["US"]).get_json()["shipping_method"]["id"]
    assert client.put(f"/api/shipping-methods/{method_id}", headers=admin.headers,
                      json={"price": "6.49", "countries": ["US", "CA"], "name": "Standard shipping"}).status_code == 200
    assert client.delete(f"/api/shipping-methods/{method_id}", headers=admin.headers).status_code == 200
    everything = {"name": "Standard shipping", "code": "standard", "price": "6.49", "free_over": "50.00",
                  "countries": ["CA", "US"], "is_active": True, "sort_order": 0}
    assert audit_entries(app) == [
        (admin.id, "shipping_method.create", "shipping_method", method_id, {
            "name": [None, "Standard shipping"], "code": [None, "standard"], "price": [None, "5.99"],
            "free_over": [None, "50.00"], "countries": [None, ["US"]], "is_active": [None, True],
            "sort_order": [None, 0]}),
        (admin.id, "shipping_method.update", "shipping_method", method_id, {
            "price": ["5.99", "6.49"], "countries": [["US"], ["CA", "US"]]}),
        (admin.id, "shipping_method.delete", "shipping_method", method_id,
         {field: [value, None] for field, value in everything.items()}),
    ]


ROUTES = [("POST", "/api/shipping-methods"), ("GET", "/api/shipping-methods"),
          ("GET", "/api/shipping-methods/{id}"), ("PUT", "/api/shipping-methods/{id}"),
          ("DELETE", "/api/shipping-methods/{id}")]


@pytest.mark.parametrize("method, path", ROUTES)
@pytest.mark.parametrize("role", ["anonymous", "customer", "cashier", "manager"])
def test_only_an_admin_may_manage_shipping_methods(client, app, actors, method, path, role):
    method_id = make_shipping_method(app, code="standard", price="5.99")
    before = stored_methods(app)
    actor = actors[role]
    response = client.open(path.format(id=method_id), method=method, headers=actor.headers if actor else {},
                           json={"name": "Hijacked", "code": "mine", "price": "0.00"} if method in ("POST", "PUT")
                           else None)
    assert response.status_code == (401 if actor is None else 403)
    assert stored_methods(app) == before
    assert audit_entries(app) == []
