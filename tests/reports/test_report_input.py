"""Bad query arguments are a 400 in the API's envelope; only managers and admins may read reports."""
import pytest

SALES, TOP, LOW = "/api/reports/sales", "/api/reports/top-products", "/api/reports/low-stock"


@pytest.mark.parametrize("path, field", [
    (SALES + "?from=2025-02-30", "from"),
    (SALES + "?from=yesterday", "from"),
    (SALES + "?to=2025-03-01T10:00:00", "to"),
    (SALES + "?from=0001-01-01&to=0001-01-02", "from to"),
    (SALES + "?to=9999-12-31", "to"),
    (SALES + "?from=2025-03-02&to=2025-03-01", "from"),
    (SALES + "?from=2099-01-01", "from"),  # `to` defaults to today
    (SALES + "?from=2024-01-01&to=2025-01-01", "to"),  # 367 days
    (TOP + "?from=2025-03-02&to=2025-03-01", "from"),
    (TOP + "?limit=0", "limit"),
    (TOP + "?limit=101", "limit"),
    (TOP + "?limit=2.5", "limit"),
    (TOP + "?limit=99999999999999999999999", "limit"),
    (TOP + "?by=foo", "by"),
    (LOW + "?threshold=-1", "threshold"),
    (LOW + "?threshold=1000001", "threshold"),
    (LOW + "?threshold=few", "threshold"),
])
def test_bad_input_is_a_400(client, admin, path, field):
    response = client.get(path, headers=admin.headers)
    assert response.status_code == 400
    body = response.get_json()
    assert (body["error"], body["code"]) == ("Validation failed", "VALIDATION_FAILED")
    assert sorted(body["details"]) == field.split()


def test_a_leap_year_of_366_days_is_accepted(client, admin):
    response = client.get(SALES + "?from=2024-01-01&to=2024-12-31", headers=admin.headers)
    assert response.status_code == 200
    assert len(response.get_json()["days"]) == 366


@pytest.mark.parametrize("path", [SALES, TOP, LOW])
@pytest.mark.parametrize("role, status", [("anonymous", 401), ("customer", 403), ("cashier", 403),
                                          ("manager", 200), ("admin", 200)])
def test_roles(client, actors, path, role, status):
    actor = actors[role]
    response = client.get(path, headers=actor.headers if actor else {})
    assert response.status_code == status
    if status == 403:
        assert response.get_json()["your_role"] == role


@pytest.mark.parametrize("path", ["/api/reports/sales", "/api/reports/top-products", "/api/reports/low-stock"])
def test_documented_in_the_openapi_spec(client, path):
    operation = client.get("/api/openapi.json").get_json()["paths"][path]["get"]
    assert {"200", "400", "401", "403"} <= set(operation["responses"])
