"""Cart lines by variant: the choice a product with options requires, one line per variant, the variant's stock and
price, the addressable variant routes, guest carts, the merge at login and /api/cart/validate."""
import pytest

from app.extensions import db
from app.models import Cart, CartItem, ProductVariant
from tests.factories import make_product, make_variant_product

COLOURS = [{"name": "size", "values": ["S", "M", "L"]}, {"name": "colour", "values": ["Red", "Blue"]}]


@pytest.fixture
def shirt(app):
    """A shirt by size: S (7 units, 19.00), M (2 units, 21.50), L (150 units, 23.00); returns (id, [S, M, L])."""
    return make_variant_product(app, name="Oxford Shirt", variants=[
        {"size": "S", "stock": 7, "price": "19.00", "sku": "OXF-S"},
        {"size": "M", "stock": 2, "price": "21.50", "sku": "OXF-M"},
        {"size": "L", "stock": 150, "price": "23.00", "sku": "OXF-L"}])


def add(client, headers, product_id, variant_id=None, quantity=1):
    body = {"product_id": product_id, "quantity": quantity}
    if variant_id is not None:
        body["variant_id"] = variant_id
    return client.post("/api/cart/items", json=body, headers=headers)


def lines(app, headers_owner):
    """{(product_id, variant_id): quantity} of a customer's cart (by customer id), straight from the database."""
    with app.app_context():
        rows = db.session.execute(db.select(CartItem.product_id, CartItem.variant_id, CartItem.quantity)
                                  .join(Cart).where(Cart.customer_id == headers_owner)).all()
        db.session.remove()
    return {(product_id, variant_id): quantity for product_id, variant_id, quantity in rows}


def set_variant(app, variant_id, **values):
    with app.app_context():
        db.session.execute(db.update(ProductVariant).where(ProductVariant.id == variant_id).values(**values))
        db.session.commit()
        db.session.remove()


def test_a_variant_line_names_its_variant_and_costs_its_price(app, client, customer):
    product_id, (_, blue_m) = make_variant_product(app, options=COLOURS, variants=[
        {"size": "M", "colour": "Red", "sku": "TEE-M-RED"},
        {"size": "M", "colour": "Blue", "sku": "TEE-M-BLUE", "price": "24.50"}], price="20.00")
    response = add(client, customer.headers, product_id, blue_m, 2)
    assert response.status_code == 200, response.get_json()
    [line] = response.get_json()["cart"]["items"]
    assert {key: line[key] for key in ("product_id", "variant_id", "variant_sku", "variant_options", "quantity",
                                       "unit_price", "total_price")} == {
        "product_id": product_id, "variant_id": blue_m, "variant_sku": "TEE-M-BLUE", "variant_options": "M / Blue",
        "quantity": 2, "unit_price": 24.5, "total_price": 49.0}
    assert "variants" not in line["product"]
    assert response.get_json()["cart"]["subtotal"] == 49.0


def test_a_plain_line_has_no_variant(app, client, customer):
    product_id = make_product(app, price="5.00", stock=3)
    [line] = add(client, customer.headers, product_id).get_json()["cart"]["items"]
    assert (line["variant_id"], line["variant_sku"], line["variant_options"]) == (None, None, None)


def test_a_product_with_options_requires_a_variant(app, client, customer, shirt):
    product_id, _ = shirt
    response = add(client, customer.headers, product_id)
    assert response.status_code == 400
    body = response.get_json()
    assert (body["code"], body["error"]) == ("VARIANT_REQUIRED", "Choose one of the product's variants")
    assert lines(app, customer.customer_id) == {}


@pytest.mark.parametrize("which", ["other product's", "plain product", "beyond MAX_ID", "far beyond"])
def test_a_variant_not_of_the_product_is_404(app, client, customer, shirt, which):
    product_id, (small, _, _) = shirt
    other_id, (other_variant, *_) = make_variant_product(app)
    plain_id = make_product(app, stock=5)
    target, variant_id = {"other product's": (product_id, other_variant), "plain product": (plain_id, small),
                          "beyond MAX_ID": (product_id, 2**31), "far beyond": (product_id, 2**63 - 1)}[which]
    response = add(client, customer.headers, target, variant_id)
    assert response.status_code == 404
    assert (response.get_json()["code"], response.get_json()["error"]) == ("VARIANT_NOT_FOUND", "Variant not found")
    assert lines(app, customer.customer_id) == {}


@pytest.mark.parametrize("variant_id", ["1", True, 0, -3, 1.5])
def test_a_malformed_variant_id_is_400(app, client, customer, shirt, variant_id):
    response = client.post("/api/cart/items", json={"product_id": shirt[0], "variant_id": variant_id},
                           headers=customer.headers)
    assert response.status_code == 400
    assert set(response.get_json()["details"]) == {"variant_id"}


def test_an_inactive_variant_is_409(app, client, customer, shirt):
    product_id, (small, _, _) = shirt
    set_variant(app, small, is_active=False)
    response = add(client, customer.headers, product_id, small)
    assert response.status_code == 409 and response.get_json()["code"] == "VARIANT_UNAVAILABLE"


def test_an_inactive_product_stays_409_product_unavailable(app, client, customer):
    product_id, (small, *_) = make_variant_product(app, is_active=False)
    response = add(client, customer.headers, product_id, small)
    assert response.status_code == 409 and response.get_json()["code"] == "PRODUCT_UNAVAILABLE"


def test_stock_is_checked_against_the_variant(app, client, customer, shirt):
    product_id, (_, medium, _) = shirt  # the product has 159 units, M has 2
    response = add(client, customer.headers, product_id, medium, 3)
    assert response.status_code == 409
    assert response.get_json()["error"] == "Only 2 item(s) available in stock"
    assert add(client, customer.headers, product_id, medium, 2).status_code == 200
    response = add(client, customer.headers, product_id, medium, 1)
    assert response.status_code == 409
    assert response.get_json()["error"] == "Cannot add 1. Cart already has 2. Only 2 available in stock."
    assert lines(app, customer.customer_id) == {(product_id, medium): 2}


def test_one_line_per_variant_and_the_cap_per_line(app, client, customer, shirt):
    product_id, (small, medium, large) = shirt
    for variant_id, quantity in ((small, 3), (medium, 1), (small, 2), (large, 100)):
        assert add(client, customer.headers, product_id, variant_id, quantity).status_code == 200
    response = add(client, customer.headers, product_id, large, 1)
    assert response.status_code == 409 and response.get_json()["error"] == "Maximum 100 items per product"
    assert lines(app, customer.customer_id) == {(product_id, small): 5, (product_id, medium): 1,
                                                (product_id, large): 100}
    body = client.get("/api/cart", headers=customer.headers).get_json()
    assert body["total_items"] == 106 and body["subtotal"] == 2416.5  # 5 x 19.00 + 21.50 + 100 x 23.00


def test_variant_lines_are_addressable(app, client, customer, shirt):
    product_id, (small, medium, _) = shirt
    add(client, customer.headers, product_id, small, 1)
    add(client, customer.headers, product_id, medium, 1)
    response = client.put(f"/api/cart/items/{product_id}/variants/{small}", json={"quantity": 7},
                          headers=customer.headers)
    assert response.status_code == 200 and response.get_json()["message"] == "Cart item updated"
    response = client.put(f"/api/cart/items/{product_id}/variants/{small}", json={"quantity": 8},
                          headers=customer.headers)
    assert response.status_code == 409 and response.get_json()["error"] == "Only 7 item(s) available in stock"
    assert lines(app, customer.customer_id) == {(product_id, small): 7, (product_id, medium): 1}
    response = client.delete(f"/api/cart/items/{product_id}/variants/{medium}", headers=customer.headers)
    assert response.status_code == 200 and response.get_json()["message"] == "Item removed from cart"
    assert [line["variant_id"] for line in response.get_json()["cart"]["items"]] == [small]
    assert lines(app, customer.customer_id) == {(product_id, small): 7}


def test_a_variant_line_with_an_inactive_variant_cannot_be_raised(app, client, customer, shirt):
    product_id, (small, _, _) = shirt
    add(client, customer.headers, product_id, small, 1)
    set_variant(app, small, is_active=False)
    response = client.put(f"/api/cart/items/{product_id}/variants/{small}", json={"quantity": 2},
                          headers=customer.headers)
    assert response.status_code == 409 and response.get_json()["code"] == "VARIANT_UNAVAILABLE"
    assert client.delete(f"/api/cart/items/{product_id}/variants/{small}", headers=customer.headers).status_code == 200


@pytest.mark.parametrize("method", ["put", "delete"])
def test_the_product_id_form_of_a_product_with_options_is_400(app, client, customer, shirt, method):
    product_id, (small, _, _) = shirt
    add(client, customer.headers, product_id, small, 1)
    response = getattr(client, method)(f"/api/cart/items/{product_id}", json={"quantity": 2},
                                       headers=customer.headers)
    assert response.status_code == 400 and response.get_json()["code"] == "VARIANT_REQUIRED"
    assert lines(app, customer.customer_id) == {(product_id, small): 1}


@pytest.mark.parametrize("method", ["put", "delete"])
@pytest.mark.parametrize("path", ["{product}/variants/{other}", "{product}/variants/2147483648",
                                  "{plain}/variants/{small}", "99999999999/variants/1"])
def test_an_absent_variant_line_is_404(app, client, customer, shirt, method, path):
    product_id, (small, medium, _) = shirt
    plain_id = make_product(app, stock=5)
    add(client, customer.headers, product_id, small, 1)
    add(client, customer.headers, plain_id)
    url = "/api/cart/items/" + path.format(product=product_id, other=medium, plain=plain_id, small=small)
    response = getattr(client, method)(url, json={"quantity": 1}, headers=customer.headers)
    assert response.status_code == 404 and response.get_json()["error"] == "Item not in cart"


def test_the_product_id_form_still_works_for_plain_products(app, client, customer):
    product_id = make_product(app, stock=5)
    add(client, customer.headers, product_id)
    assert client.put(f"/api/cart/items/{product_id}", json={"quantity": 4},
                      headers=customer.headers).status_code == 200
    assert lines(app, customer.customer_id) == {(product_id, None): 4}
    assert client.delete(f"/api/cart/items/{product_id}", headers=customer.headers).status_code == 200


def test_a_guest_cart_takes_variants_the_same_way(app, client, shirt):
    product_id, (small, medium, _) = shirt
    token = client.post("/api/cart/guest").get_json()["cart_token"]
    headers = {"X-Cart-Token": token}
    assert add(client, headers, product_id).get_json()["code"] == "VARIANT_REQUIRED"
    assert add(client, headers, product_id, small, 2).status_code == 200
    assert add(client, headers, product_id, medium, 1).status_code == 200
    assert client.put(f"/api/cart/items/{product_id}/variants/{small}", json={"quantity": 5},
                      headers=headers).status_code == 200
    response = client.delete(f"/api/cart/items/{product_id}/variants/{medium}", headers=headers)
    assert response.status_code == 200
    [line] = response.get_json()["cart"]["items"]
    assert (line["variant_id"], line["variant_options"], line["quantity"], line["total_price"]) == (
        small, "S", 5, 95.0)


def test_the_merge_at_login_keys_lines_by_variant(app, client, customer, shirt):
    product_id, (small, medium, large) = shirt
    plain_id = make_product(app, stock=4)
    add(client, customer.headers, product_id, small, 3)
    add(client, customer.headers, plain_id, quantity=1)
    token = client.post("/api/cart/guest").get_json()["cart_token"]
    guest = {"X-Cart-Token": token}
    for variant_id, quantity in ((small, 6), (medium, 2), (large, 5)):
        assert add(client, guest, product_id, variant_id, quantity).status_code == 200
    assert add(client, guest, plain_id, quantity=2).status_code == 200
    set_variant(app, large, is_active=False)
    response = client.post("/api/auth/login", json={"email_or_username": customer.email,
                                                    "password": customer.password}, headers=guest)
    assert response.status_code == 200
    # S: 3 + 6 capped at its 7 units; M: new; L: dropped (inactive); the plain product summed
    assert lines(app, customer.customer_id) == {(product_id, small): 7, (product_id, medium): 2,
                                                (plain_id, None): 3}


def test_validate_checks_the_variants(app, client, customer, shirt):
    product_id, (small, medium, _) = shirt
    add(client, customer.headers, product_id, small, 1)
    add(client, customer.headers, product_id, medium, 2)
    assert client.get("/api/cart/validate", headers=customer.headers).status_code == 200
    set_variant(app, medium, stock_quantity=1)
    response = client.get("/api/cart/validate", headers=customer.headers)
    assert response.status_code == 400 and response.get_json() == {
        "valid": False, "message": "Insufficient stock for 'Oxford Shirt (M)'. Only 1 available, but cart has 2"}
    set_variant(app, small, is_active=False)
    assert client.get("/api/cart/validate", headers=customer.headers).get_json()["message"] == \
        "Product 'Oxford Shirt (S)' is no longer available"


def test_validate_refuses_a_line_without_variant_of_a_product_that_now_has_options(app, client, customer):
    product_id = make_product(app, stock=5, name="Plain Tee")
    add(client, customer.headers, product_id)
    with app.app_context():
        from app.models import Product
        db.session.get(Product, product_id).options = [{"name": "size", "values": ["S"]}]
        db.session.commit()
        db.session.remove()
    response = client.get("/api/cart/validate", headers=customer.headers)
    assert response.get_json()["message"] == "Choose one of the variants of 'Plain Tee'"
    response = client.put(f"/api/cart/items/{product_id}", json={"quantity": 2}, headers=customer.headers)
    assert response.status_code == 400 and response.get_json()["code"] == "VARIANT_REQUIRED"
    assert client.delete(f"/api/cart/items/{product_id}", headers=customer.headers).status_code == 200  # removable


def test_statement_counts_of_variant_cart_writes_and_reads(app, client, customer, shirt, count_queries):
    product_id, (small, medium, large) = shirt
    add(client, customer.headers, product_id, small, 1)  # the cart exists, with a variant line

    def statements(method, path, json=None):
        with count_queries() as executed:
            response = getattr(client, method)(path, json=json, headers=customer.headers)
        assert response.status_code == 200, response.get_json()
        return len(executed)

    # token check, lock the cart, the cart with its lines and products, its lines' variants (one statement), the
    # variant (its product came with the cart), the write
    assert statements("post", "/api/cart/items", {"product_id": product_id, "variant_id": medium}) == 6
    # the variant's line is in the cart: no read of it
    assert statements("post", "/api/cart/items", {"product_id": product_id, "variant_id": medium}) == 5
    assert statements("put", f"/api/cart/items/{product_id}/variants/{small}", {"quantity": 3}) == 5
    assert statements("delete", f"/api/cart/items/{product_id}/variants/{small}") == 5
    add(client, customer.headers, product_id, large, 1)
    # token check, the cart with its lines and products, their variants (one statement whatever their number)
    assert statements("get", "/api/cart") == 3


@pytest.mark.parametrize("sizes", [1, 3])
def test_a_merge_of_variant_lines_takes_one_statement_more_whatever_their_number(app, client, customer, shirt,
                                                                                 count_queries, sizes):
    product_id, variant_ids = shirt
    guest = {"X-Cart-Token": client.post("/api/cart/guest").get_json()["cart_token"]}
    for variant_id in variant_ids[:sizes]:
        assert add(client, guest, product_id, variant_id, 1).status_code == 200
    with count_queries() as executed:
        assert client.post("/api/auth/login", json={"email_or_username": customer.email,
                                                    "password": customer.password}, headers=guest).status_code == 200
    assert lines(app, customer.customer_id) == {(product_id, variant_id): 1 for variant_id in variant_ids[:sizes]}
    # a plain merge's 13 (tests/cart/test_cart_merge.py) + the guest lines' variants, read in one statement
    assert len(executed) == 14


def test_statement_count_of_a_first_variant_line(app, client, customer, shirt, count_queries):
    product_id, (small, _, _) = shirt
    add(client, customer.headers, make_product(app, stock=5))  # the cart exists, with a plain line
    with count_queries() as executed:
        assert add(client, customer.headers, product_id, small, 1).status_code == 200
    # a plain product's first line (tests/perf/test_write_counts.py: 5) + the variant; a cart without variant
    # lines reads no variants
    assert len(executed) == 6
