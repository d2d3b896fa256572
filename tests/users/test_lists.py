"""GET /api/users, /customers, /employees and /statistics: envelopes, filters, fixed query counts."""
import pytest

from tests.factories import make_user
from tests.shapes import CUSTOMER_PROFILE_KEYS, USER_KEYS
from tests.users.conftest import PAGE_KEYS


def test_users_lists_everyone_including_banned(client, app, actors):
    banned = make_user(app, "customer", is_active=False)
    response = client.get("/api/users", headers=actors["admin"].headers)
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"users"} | PAGE_KEYS
    assert body["total"] == 5 and body["per_page"] == 25 and body["current_page"] == 1 and body["pages"] == 1
    assert all(set(user) == USER_KEYS for user in body["users"])
    assert banned.id in {user["id"] for user in body["users"]}
    assert [u["id"] for u in body["users"]] == sorted((u["id"] for u in body["users"]), reverse=True)  # newest first


@pytest.mark.parametrize("role, expected", [("", 4), ("admin", 1), ("customer", 1), ("manager", 1), ("cashier", 1)])
def test_users_role_filter(client, actors, role, expected):
    body = client.get(f"/api/users?role={role}", headers=actors["admin"].headers).get_json()
    assert body["total"] == expected
    assert all(user["role"] == role for user in body["users"]) or role == ""


def test_users_invalid_role_filter(client, admin):
    response = client.get("/api/users?role=owner", headers=admin.headers)
    assert response.status_code == 400
    assert "role" in response.get_json()["details"]


@pytest.mark.parametrize("query, page, per_page", [
    ("page=2&per_page=2", 2, 2), ("per_page=1000", 1, 100), ("per_page=0", 1, 20), ("page=0", 1, 25),
    ("page=-3&per_page=-1", 1, 20),
])
def test_users_pagination_is_clamped(client, actors, query, page, per_page):
    body = client.get(f"/api/users?{query}", headers=actors["admin"].headers).get_json()
    assert body["current_page"] == page and body["per_page"] == per_page


def test_users_pagination_links(client, actors):
    body = client.get("/api/users?page=2&per_page=3", headers=actors["admin"].headers).get_json()
    assert len(body["users"]) == 1 and body["pages"] == 2 and body["has_prev"] and not body["has_next"]
    past_end = client.get("/api/users?page=9", headers=actors["admin"].headers).get_json()
    assert past_end["users"] == [] and past_end["total"] == 4


@pytest.mark.parametrize("query", ["page=abc", "per_page=x"])
def test_bad_page_params_are_400(client, admin, query):
    assert client.get(f"/api/users?{query}", headers=admin.headers).status_code == 400


def test_customers_lists_profiles_of_customer_users_with_user(client, app, actors, admin):
    banned = make_user(app, "customer", is_active=False)
    promoted = make_user(app, "customer")
    client.put(f"/api/users/{promoted.id}/role", json={"role": "manager"}, headers=admin.headers)
    response = client.get("/api/users/customers", headers=actors["manager"].headers)
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"customers"} | PAGE_KEYS and body["per_page"] == 25
    ids = {entry["user_id"] for entry in body["customers"]}
    assert ids == {actors["customer"].id, banned.id}  # the promoted user keeps a profile but is not listed
    for entry in body["customers"]:
        assert set(entry) == CUSTOMER_PROFILE_KEYS | {"user"}
        assert set(entry["user"]) == USER_KEYS and entry["user"]["id"] == entry["user_id"]


def test_employees_lists_managers_and_cashiers_as_users(client, app, actors):
    make_user(app, "cashier", is_active=False)
    body = client.get("/api/users/employees", headers=actors["manager"].headers).get_json()
    assert set(body) == {"employees"} | PAGE_KEYS and body["per_page"] == 25
    assert body["total"] == 3
    assert {user["role"] for user in body["employees"]} == {"manager", "cashier"}
    assert all(set(user) == USER_KEYS for user in body["employees"])


@pytest.mark.parametrize("role, expected", [("", 2), ("manager", 1), ("cashier", 1)])
def test_employees_role_filter(client, actors, role, expected):
    body = client.get(f"/api/users/employees?role={role}", headers=actors["admin"].headers).get_json()
    assert body["total"] == expected


@pytest.mark.parametrize("role", ["admin", "customer", "boss"])
def test_employees_invalid_role_filter(client, admin, role):
    response = client.get(f"/api/users/employees?role={role}", headers=admin.headers)
    assert response.status_code == 400
    assert response.get_json()["details"]["role"] == ["Invalid role filter for employees. Must be one of: manager, cashier"]


def test_statistics_counted_in_sql(client, app, actors):
    make_user(app, "customer", is_active=False)
    make_user(app, "cashier", is_active=False)
    response = client.get("/api/users/statistics", headers=actors["admin"].headers)
    assert response.status_code == 200
    assert response.get_json() == {
        "total_users": 6, "active_users": 4, "inactive_users": 2,
        "by_role": {"customers": 2, "managers": 1, "cashiers": 2, "admins": 1},
    }


def test_statistics_statement_count_is_fixed(client, app, admin, count_queries):
    with count_queries() as few:
        client.get("/api/users/statistics", headers=admin.headers)
    for role in ("customer", "manager", "cashier"):
        make_user(app, role)
    with count_queries() as many:
        client.get("/api/users/statistics", headers=admin.headers)
    assert len(few) == len(many)


@pytest.mark.parametrize("path, role, key", [
    ("/api/users", "customer", "users"), ("/api/users/customers", "customer", "customers"),
    ("/api/users/employees", "cashier", "employees"),
])
def test_list_query_count_does_not_grow_with_rows(client, app, admin, count_queries, path, role, key):
    make_user(app, role)
    with count_queries() as one:
        first = client.get(f"{path}?per_page=100", headers=admin.headers).get_json()
    for _ in range(29):
        make_user(app, role)
    with count_queries() as thirty:
        second = client.get(f"{path}?per_page=100", headers=admin.headers).get_json()
    assert len(second[key]) >= 30 > len(first[key])
    assert len(one) == len(thirty)
