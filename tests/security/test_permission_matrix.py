"""Every cell of the permission table (route x role), called with a valid token of that role."""
import io
import itertools
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from PIL import Image

from tests.factories import ORDER_BODY, bearer, make_category, make_product, make_user
from tests.permissions import PERMISSIONS, ROLES, markdown_matrix, route_key

README = Path(__file__).resolve().parents[2] / "README.md"
_unique = itertools.count(1)


def _png():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    buffer.seek(0)
    return buffer


@pytest.fixture
def world(app, client, customer):
    """Ids that make every route reach its handler: a category tree, a product and an order of `customer`."""
    category = make_category(app)
    product = make_product(app, category, stock=50)
    assert client.post("/api/cart/items", json={"product_id": product, "quantity": 1},
                       headers=customer.headers).status_code == 200
    order = client.post("/api/orders", json=ORDER_BODY, headers=customer.headers).get_json()["order"]
    return SimpleNamespace(category=category, empty_category=make_category(app), product=product,
                           order=order["id"], order_number=order["order_number"], victim=make_user(app, "customer"))


def _request(permission, world, actor):
    """(path, keyword arguments of client.open) for one cell: a body and ids that pass validation."""
    n = next(_unique)
    ids = {"user_id": world.victim.id, "product_id": world.product, "category_id": world.empty_category,
           "parent_id": world.category, "order_id": world.order, "slug": "no-such-slug",
           "name": "no-such-image.png", "path:filename": "swagger-ui/swagger-ui.css", "webhook_id": 999999,
           "delivery_id": 999999, "address_id": 999999, "method_id": 999999,
           "discount_id": 999999, "variant_id": 999999}
    path = re.sub(r"<(?:int:)?([^<>]+)>", lambda m: str(ids[m.group(1)]), permission.rule)
    bodies = {
        ("POST", "/api/auth/register"): {"email": f"new{n}@example.com", "username": f"new_user{n}",
                                         "password": "Secret123!", "role": "customer", "first_name": "New",
                                         "last_name": "User"},
        ("POST", "/api/auth/login"): {"email_or_username": world.victim.email, "password": world.victim.password},
        ("POST", "/api/auth/change-password"): {"old_password": actor.password if actor else "Whatever123!",
                                                "new_password": "BrandNew123!"},
        ("POST", "/api/auth/logout"): {},
        ("PUT", "/api/users/profile"): {"phone": "555-0100"},
        ("POST", "/api/users"): {"email": f"made{n}@example.com", "username": f"made{n}", "password": "Secret123!",
                                 "role": "customer", "first_name": "Made", "last_name": "User"},
        ("PUT", "/api/users/<int:user_id>"): {"username": f"renamed{n}"},
        ("PUT", "/api/users/<int:user_id>/role"): {"role": "cashier", "first_name": "Cash", "last_name": "Ier"},
        ("POST", "/api/users/<int:user_id>/password-reset"): {"new_password": "ResetPass1!"},
        ("POST", "/api/products/add"): {"name": f"Matrix product {n}", "price": "9.99", "sku": f"MTX-{n}",
                                        "stock_quantity": 3, "category_id": world.category},
        ("PUT", "/api/products/<int:product_id>"): {"description": "Updated"},
        ("POST", "/api/products/<int:product_id>/variants"): {"sku": f"MATRIX-V{n}", "options": {}},
        ("PUT", "/api/products/<int:product_id>/variants/<int:variant_id>"): {"price": "5.00"},
        ("POST", "/api/categories"): {"name": f"Matrix category {n}"},
        ("POST", "/api/categories/<int:parent_id>/subcategory"): {"name": f"Matrix sub {n}"},
        ("PUT", "/api/categories/<int:category_id>"): {"description": "Updated"},
        ("PUT", "/api/categories/reorder"): {"updates": [{"id": world.empty_category, "parent_id": None,
                                                          "position": 0}]},
        ("POST", "/api/cart/items"): {"product_id": world.product, "quantity": 1},
        ("PUT", "/api/cart/items/<int:product_id>"): {"quantity": 2},
        ("PUT", "/api/cart/items/<int:product_id>/variants/<int:variant_id>"): {"quantity": 2},
        ("POST", "/api/orders"): ORDER_BODY,
        ("POST", "/api/users/addresses"): {"first_name": "Ada", "last_name": "Lovelace", "line1": "1 Main St",
                                           "city": "London", "state": "LDN", "postal_code": "N1", "country": "GB"},
        ("PUT", "/api/users/addresses/<int:address_id>"): {"city": "Leeds"},
        ("PUT", "/api/orders/<int:order_id>/status"): {"status": "confirmed"},
        ("POST", "/api/orders/<int:order_id>/status"): {"status": "confirmed"},
        ("PUT", "/api/orders/<int:order_id>/payment-status"): {"payment_status": "paid"},
        ("POST", "/api/orders/<int:order_id>/payment-status"): {"payment_status": "paid"},
        ("POST", "/api/orders/<int:order_id>/ship"): {"tracking_number": "TRK-1"},
        ("POST", "/api/orders/<int:order_id>/notes"): {"notes": "Called the customer"},
        ("POST", "/api/orders/<int:order_id>/refund"): {"reason": "Damaged in transit"},
        ("POST", "/api/discounts"): {"code": f"MTX{n}", "kind": "fixed", "value": "1.00"},
        ("PUT", "/api/discounts/<int:discount_id>"): {"value": "2.00"},
    }
    token = None if actor is None else actor.refresh_token if permission.token == "refresh" else actor.access_token
    kwargs = {"method": permission.method, "headers": bearer(token) if token else {}}
    if route_key(permission) in bodies:
        kwargs["json"] = bodies[route_key(permission)]
    if permission.rule == "/api/products/upload-image":
        kwargs["data"] = {"file": (_png(), "photo.png")}
        kwargs["content_type"] = "multipart/form-data"
    if permission.rule == "/api/orders/search":
        path += f"?number={world.order_number}"
    return path, kwargs


CELLS = [pytest.param(p, role, id=f"{p.method} {p.rule} as {role}") for p in PERMISSIONS for role in ROLES]


@pytest.mark.parametrize("permission, role", CELLS)
def test_every_cell_of_the_table(client, actors, world, permission, role):
    actor = actors[role]
    path, kwargs = _request(permission, world, actor)
    response = client.open(path, **kwargs)
    response.close()  # a streamed answer (the CSV export) ends its request context now, not when collected
    if role in permission.roles:
        assert response.status_code not in (401, 403), response.get_data(as_text=True)[:300]
        assert response.status_code < 500
    else:
        assert response.status_code == (401 if actor is None else 403), response.get_data(as_text=True)[:300]
        body = response.get_json()
        assert isinstance(body["error"], str) and body["code"]
        if actor is not None:
            assert body["your_role"] == role


def test_the_table_lists_exactly_the_routes_of_the_app(app):
    served = {(method, rule.rule) for rule in app.url_map.iter_rules()
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    tabled = [route_key(p) for p in PERMISSIONS]
    assert len(tabled) == len(set(tabled)), "a route is listed twice"
    assert set(tabled) == served


def test_the_openapi_security_matches_the_table(client):
    """Routes closed to anonymous callers declare the bearer scheme; open ones do not demand it."""
    paths = client.get("/api/openapi.json").get_json()["paths"]
    checked = 0
    for p in PERMISSIONS:
        operation = paths.get(re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", p.rule), {}).get(p.method.lower())
        if operation is None:
            continue  # framework routes (static files, docs) are no API operations
        security = operation.get("security", [])
        demands_token = bool(security) and {} not in security
        assert demands_token == ("anonymous" not in p.roles), f"{p.method} {p.rule}"
        checked += 1
    assert checked >= len(PERMISSIONS) - 3


def test_another_customers_order_is_a_404_like_a_missing_one(client, customer, other_customer, world):
    headers = {**other_customer.headers, "X-Request-ID": "same-id"}  # the bodies may then be equal to the byte
    missing = client.get("/api/orders/999999", headers=headers)
    for method, path in (("GET", f"/api/orders/{world.order}"), ("POST", f"/api/orders/{world.order}/cancel"),
                         ("POST", "/api/orders/999999/cancel")):
        response = client.open(path, method=method, headers=headers)
        assert response.status_code == 404
        assert response.get_json() == missing.get_json()
    mine = client.get("/api/orders", headers=other_customer.headers).get_json()
    assert mine["orders"] == []
    assert client.get(f"/api/orders/{world.order}", headers=customer.headers).status_code == 200


def test_another_customers_cart_line_is_a_404(client, customer, other_customer, world):
    """The cart routes only ever reach the caller's own cart: the customer's line is invisible to another."""
    for method, kwargs in (("PUT", {"json": {"quantity": 3}}), ("DELETE", {})):
        response = client.open(f"/api/cart/items/{world.product}", method=method, headers=other_customer.headers,
                               **kwargs)
        assert response.status_code == 404
    assert client.get("/api/cart", headers=customer.headers).status_code == 200


def test_staff_see_any_order_but_may_not_cancel_it_as_their_own(client, actors, world):
    for role in ("cashier", "manager", "admin"):
        assert client.get(f"/api/orders/{world.order}", headers=actors[role].headers).status_code == 200
        assert client.post(f"/api/orders/{world.order}/cancel", headers=actors[role].headers).status_code == 403


def test_the_readme_matrix_is_generated_from_the_table():
    text = README.read_text(encoding="utf-8")
    start, end = "<!-- permission-matrix:start -->", "<!-- permission-matrix:end -->"
    assert text.count(start) == 1 and text.count(end) == 1, "README.md lacks the permission matrix markers"
    block = text.split(start, 1)[1].split(end, 1)[0]
    assert block.strip() == markdown_matrix().strip(), "regenerate it: python scripts/permission_matrix.py"


def test_the_script_prints_the_matrix():
    import subprocess
    import sys
    script = Path(__file__).resolve().parents[2] / "scripts" / "permission_matrix.py"
    output = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True).stdout
    assert output == markdown_matrix()
    assert output.count("\n") == len(PERMISSIONS) + 2
