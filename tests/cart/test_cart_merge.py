"""A guest cart merges into the customer's cart at login and registration, once, whatever the races."""
import hashlib

import pytest

from app.extensions import db
from app.models import Cart
from tests.concurrency import at_once
from tests.factories import make_discount, make_product, make_user
from tests.shapes import CUSTOMER_PROFILE_KEYS, USER_KEYS


def login(client, actor, headers=None):
    return client.post("/api/auth/login", json={"email_or_username": actor.email, "password": actor.password},
                       headers=headers or {})


@pytest.fixture
def make_code(app):
    """make_code(code) -> the id of an active 10% discount code."""
    return lambda code: make_discount(app, code=code)


@pytest.fixture
def attach(app):
    """attach(discount_id, customer_id=None, token=None): put a discount on a cart directly."""
    def put(discount_id, customer_id=None, token=None):
        owned = (Cart.customer_id == customer_id if customer_id else
                 Cart.guest_token_hash == hashlib.sha256(token.encode()).hexdigest())
        with app.app_context():
            db.session.execute(db.update(Cart).where(owned).values(discount_id=discount_id))
            db.session.commit()
            db.session.remove()
    return put


def cart_discount_id(app, customer_id):
    with app.app_context():
        value = db.session.scalar(db.select(Cart.discount_id).where(Cart.customer_id == customer_id))
        db.session.remove()
    return value


def test_login_merges_the_guest_cart_with_the_rules(app, client, customer, guest, add_to, set_product, cart_lines,
                                                    guest_lines):
    summed, scarce, plenty, withdrawn, new = (make_product(app, stock=10), make_product(app, stock=3),
                                              make_product(app, stock=500), make_product(app, stock=5),
                                              make_product(app, stock=8))
    for product_id, quantity in ((summed, 4), (scarce, 2), (plenty, 60)):
        add_to(customer.headers, product_id, quantity)
    cart = guest()
    for product_id, quantity in ((summed, 3), (scarce, 2), (plenty, 50), (withdrawn, 1), (new, 2)):
        add_to(cart.headers, product_id, quantity)
    set_product(withdrawn, is_active=False)

    response = login(client, customer, cart.headers)
    assert response.status_code == 200
    # summed; capped at the stock (3); capped at 100; the withdrawn product dropped; the guest's new line
    assert cart_lines(customer.customer_id) == {summed: 7, scarce: 3, plenty: 100, new: 2}
    assert guest_lines(cart.token) is None
    assert client.get("/api/cart", headers=cart.headers).get_json()["code"] == "CART_NOT_FOUND"


def test_the_login_answer_is_unchanged(client, customer, guest, product_id, add_to):
    plain = login(client, customer).get_json()
    cart = guest()
    add_to(cart.headers, product_id)
    merged = login(client, customer, cart.headers)
    body = merged.get_json()
    assert merged.status_code == 200 and set(body) == set(plain) == {"access_token", "refresh_token", "user"}
    assert set(body["user"]) == set(plain["user"]) and body["user"]["id"] == customer.id


def test_a_merge_never_lowers_an_account_line(app, client, customer, guest, add_to, set_product, cart_lines):
    product_id = make_product(app, stock=10)
    add_to(customer.headers, product_id, 6)
    cart = guest()
    add_to(cart.headers, product_id, 2)
    set_product(product_id, stock_quantity=4)  # the account's line already holds more than the stock
    login(client, customer, cart.headers)
    assert cart_lines(customer.customer_id) == {product_id: 6}


def test_a_repeat_merge_changes_nothing(client, customer, guest, product_id, add_to, cart_lines):
    cart = guest()
    add_to(cart.headers, product_id, 2)
    assert login(client, customer, cart.headers).status_code == 200
    assert login(client, customer, cart.headers).status_code == 200
    assert cart_lines(customer.customer_id) == {product_id: 2}


@pytest.mark.parametrize("token", ["A" * 43, "not a token", "", "x" * 5000])
def test_a_bad_or_unknown_token_never_fails_a_login(client, customer, token, cart_lines):
    response = login(client, customer, {"X-Cart-Token": token})
    assert response.status_code == 200 and set(response.get_json()) == {"access_token", "refresh_token", "user"}
    assert cart_lines(customer.customer_id) == {}


def test_a_failed_login_merges_nothing(client, customer, guest, product_id, add_to, guest_lines):
    cart = guest()
    add_to(cart.headers, product_id, 2)
    response = client.post("/api/auth/login", json={"email_or_username": customer.email, "password": "Wrong123!"},
                           headers=cart.headers)
    assert response.status_code == 401
    assert guest_lines(cart.token) == {product_id: 2}


@pytest.mark.parametrize("role", ["admin", "manager", "cashier"])
def test_staff_logins_ignore_the_cart_token(app, client, actors, role, guest, product_id, add_to, guest_lines):
    cart = guest()
    add_to(cart.headers, product_id, 2)
    assert login(client, actors[role], cart.headers).status_code == 200
    assert guest_lines(cart.token) == {product_id: 2}
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Cart.id))) == 1
        db.session.remove()


def test_registration_takes_the_guest_cart_along(app, client, guest, product_id, add_to, cart_lines, guest_lines):
    cart = guest()
    add_to(cart.headers, product_id, 3)
    response = client.post("/api/auth/register", headers=cart.headers, json={
        "email": "shopper@example.com", "username": "shopper", "password": "Secret123!",
        "first_name": "Sam", "last_name": "Shopper"})
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == {"message", "user", "profile"} and body["message"] == "User registered successfully"
    assert set(body["user"]) == USER_KEYS and set(body["profile"]) == CUSTOMER_PROFILE_KEYS
    assert cart_lines(body["profile"]["id"]) == {product_id: 3}
    assert guest_lines(cart.token) is None


def test_an_admin_creating_a_customer_leaves_the_guest_cart(client, admin, guest, product_id, add_to, cart_lines,
                                                           guest_lines):
    cart = guest()
    add_to(cart.headers, product_id, 1)
    response = client.post("/api/auth/register", headers={**admin.headers, **cart.headers}, json={
        "email": "made@example.com", "username": "made", "password": "Secret123!", "role": "customer",
        "first_name": "Made", "last_name": "User"})
    assert response.status_code == 201
    assert cart_lines(response.get_json()["profile"]["id"]) == {}
    assert guest_lines(cart.token) == {product_id: 1}


def test_an_empty_guest_cart_is_deleted_and_makes_no_account_cart(app, client, customer, guest, guest_lines):
    cart = guest()
    login(client, customer, cart.headers)
    assert guest_lines(cart.token) is None
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Cart.id))) == 0
        db.session.remove()


def test_the_guests_discount_is_kept_when_the_account_has_none(app, client, customer, guest, product_id, add_to,
                                                               make_code, attach):
    code = make_code("GUEST10")
    cart = guest()
    add_to(cart.headers, product_id, 1)
    attach(code, token=cart.token)
    login(client, customer, cart.headers)
    assert cart_discount_id(app, customer.customer_id) == code
    assert client.get("/api/cart", headers=customer.headers).get_json()["discount_code"] == "GUEST10"


def test_the_accounts_own_discount_stays(app, client, customer, guest, product_id, add_to, make_code, attach,
                                         cart_lines):
    own, theirs = make_code("OWN10"), make_code("GUEST10")
    add_to(customer.headers, product_id, 1)
    attach(own, customer_id=customer.customer_id)
    cart = guest()
    add_to(cart.headers, product_id, 1)
    attach(theirs, token=cart.token)
    login(client, customer, cart.headers)
    assert cart_discount_id(app, customer.customer_id) == own
    assert cart_lines(customer.customer_id) == {product_id: 2}


def test_two_logins_with_one_token_merge_it_once(app, customer, guest, add_to, cart_lines, guest_lines):
    for _ in range(3):
        products = [make_product(app, stock=50) for _ in range(3)]
        cart = guest()
        for product_id in products:
            add_to(cart.headers, product_id, 2)
        statuses = at_once(app, *[lambda c: login(c, customer, cart.headers).status_code] * 2)
        assert statuses == [200, 200]
        lines = cart_lines(customer.customer_id)
        assert {p: lines[p] for p in products} == dict.fromkeys(products, 2)
        assert guest_lines(cart.token) is None


def test_one_token_at_two_accounts_goes_to_exactly_one(app, guest, product_id, add_to, cart_lines):
    first, second = make_user(app, "customer"), make_user(app, "customer")
    cart = guest()
    add_to(cart.headers, product_id, 2)
    statuses = at_once(app, lambda c: login(c, first, cart.headers).status_code,
                       lambda c: login(c, second, cart.headers).status_code)
    assert statuses == [200, 200]
    assert sorted([cart_lines(first.customer_id), cart_lines(second.customer_id)], key=len) == [{}, {product_id: 2}]


@pytest.mark.parametrize("lines", [1, 6])
def test_a_merge_takes_the_same_statements_whatever_the_guest_cart_holds(app, client, customer, guest, add_to,
                                                                          cart_lines, count_queries, lines):
    cart = guest()
    products = [make_product(app, stock=10) for _ in range(lines)]
    for product_id in products:
        add_to(cart.headers, product_id, 2)
    with count_queries() as statements:
        assert login(client, customer, cart.headers).status_code == 200
    assert cart_lines(customer.customer_id) == {product_id: 2 for product_id in products}
    # The login (user, profile, token bookkeeping), the guest row locked, the account cart made, one INSERT of
    # every new line, the guest cart deleted: 13 statements for 1 line or 6.
    assert len(statements) == 13
    assert sum(1 for s in statements if s.lstrip().upper().startswith("INSERT INTO CART_ITEMS")) == 1
