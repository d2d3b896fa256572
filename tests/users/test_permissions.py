"""Who may call each user route: the seed README's matrix, table-driven over every role."""
import pytest
from tests.shapes import with_request_id

ROLES = ["anonymous", "customer", "cashier", "manager", "admin"]
EVERYONE = {"customer", "cashier", "manager", "admin"}
MANAGEMENT = {"manager", "admin"}
ADMIN = {"admin"}

# (method, path, body, roles allowed, success status); {target} is another customer's user id.
ROUTES = [
    ("get", "/api/users/profile", None, EVERYONE, 200),
    ("put", "/api/users/profile", {"phone": "555-1234"}, EVERYONE, 200),
    ("get", "/api/users/customers", None, MANAGEMENT, 200),
    ("get", "/api/users/employees", None, MANAGEMENT, 200),
    ("get", "/api/users", None, ADMIN, 200),
    ("post", "/api/users", {"email": "n@x.com", "username": "newer", "password": "Welcome123!"}, ADMIN, 201),
    ("get", "/api/users/statistics", None, ADMIN, 200),
    ("get", "/api/users/{target}", None, ADMIN, 200),
    ("put", "/api/users/{target}", {"username": "renamed"}, ADMIN, 200),
    ("delete", "/api/users/{target}", None, ADMIN, 200),
    ("post", "/api/users/{target}/ban", None, ADMIN, 200),
    ("post", "/api/users/{target}/unban", None, ADMIN, 200),
    ("put", "/api/users/{target}/role", {"role": "cashier"}, ADMIN, 200),
    ("post", "/api/users/{target}/password-reset", {"new_password": "Whatever123!"}, ADMIN, 200),
    ("get", "/api/auth/me", None, EVERYONE, 200),
    ("post", "/api/auth/logout", None, EVERYONE, 200),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method, path, body, allowed, success", ROUTES, ids=lambda v: v if isinstance(v, str) else None)
def test_permission_matrix(client, actors, other_customer, role, method, path, body, allowed, success):
    actor = actors[role]
    headers = actor.headers if actor else {}
    response = getattr(client, method)(path.format(target=other_customer.id), json=body, headers=headers)
    if actor is None:
        expected = 401
    elif role in allowed:
        expected = success
    else:
        expected = 403
    assert response.status_code == expected, response.get_json()
    assert response.is_json
    if expected == 403:
        body = response.get_json()
        assert body["your_role"] == role
        if allowed == ADMIN:
            assert body["error"] == "This action requires admin privileges"
            assert body["message"] == "Only the system administrator can perform this action"
        else:
            assert body == with_request_id(response, {"error": "Manager access required", "code": "FORBIDDEN",
                                                      "your_role": role, "required_roles": ["admin", "manager"]})
