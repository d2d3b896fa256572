"""Every list and write route runs a fixed number of SQL statements, the same for 1 row as for many.

The catalog response cache is switched off here so that the database path itself is counted. An authenticated
request's first statement is the token check (revoked? and the caller's account, in one statement).
"""
import pytest

from app.extensions import db
from tests.factories import ADDRESS, make_category, make_product, make_user


@pytest.fixture
def no_catalog_cache(app):
    app.config["CATALOG_CACHE_ENABLED"] = False
    yield
    app.config["CATALOG_CACHE_ENABLED"] = True


def statements_for(client, count_queries, path, headers=None):
    with count_queries() as statements:
        response = client.get(path, headers=headers)
    assert response.status_code == 200, response.get_json()
    return len(statements), response.get_json()


def one_and_many(client, count_queries, path, grow, key=None, headers=None):
    """(statements with the small data set, statements after grow()); checks the list really grew."""
    few, small = statements_for(client, count_queries, path, headers)
    grow()
    many, large = statements_for(client, count_queries, path, headers)
    if key is not None:
        assert len(large[key]) > len(small[key]) >= 1
    return few, many


EXPECTED_USER_LIST = {  # token check, the page (customers: their user joined), the total
    "/api/users?per_page=100": 3, "/api/users/customers?per_page=100": 3, "/api/users/employees?per_page=100": 3,
}

PRODUCT_QUERIES = [
    "/api/products?per_page=100",
    "/api/products?per_page=100&sort=price&in_stock=true&min_price=1&max_price=1000",
    "/api/products?per_page=100&search_type=name&search_value=widget",
    "/api/products?per_page=100&category_id={root}&include_subcategories=true",
    "/api/products?per_page=100&after=",
    "/api/products?per_page=100&sort=-price&after=",
]


@pytest.mark.parametrize("query", PRODUCT_QUERIES)
def test_product_list(app, client, count_queries, no_catalog_cache, query):
    root = make_category(app)
    children = [make_category(app, parent_id=root) for _ in range(3)]
    make_product(app, children[0], name="Widget 0", description="a widget")

    def grow():
        for n in range(40):
            make_product(app, children[n % 3], name=f"Widget {n + 1}", price=f"{n + 2}.00")

    few, many = one_and_many(client, count_queries, query.format(root=root), grow, "products")
    assert few == many == 2  # the total, the page


def test_product_keyset_page_deep_in_the_list(app, client, count_queries, no_catalog_cache):
    category = make_category(app)
    for n in range(30):
        make_product(app, category)
    cursor = client.get("/api/products?per_page=5&after=").get_json()["next_cursor"]
    few, _ = statements_for(client, count_queries, f"/api/products?per_page=5&after={cursor}")
    many, body = statements_for(client, count_queries, f"/api/products?per_page=20&after={cursor}")
    assert few == many == 2 and len(body["products"]) == 20


def test_category_list_and_reads(app, client, count_queries, no_catalog_cache):
    root = make_category(app, name="Root")
    make_product(app, make_category(app, parent_id=root))

    def grow():
        for _ in range(20):
            child = make_category(app, parent_id=root)
            make_product(app, child)
            make_category(app, parent_id=child)

    few, many = one_and_many(client, count_queries, "/api/categories", grow, "categories")
    assert few == many == 3  # categories, their children, product counts
    one, _ = statements_for(client, count_queries, f"/api/categories/{root}")
    assert one == 3


@pytest.mark.parametrize("path, role, key", [
    ("/api/users?per_page=100", "customer", "users"),
    ("/api/users/customers?per_page=100", "customer", "customers"),
    ("/api/users/employees?per_page=100", "cashier", "employees"),
])
def test_user_lists(app, client, admin, count_queries, path, role, key):
    make_user(app, role)

    def grow():
        for _ in range(15):
            make_user(app, role)
            make_user(app, "manager")

    few, many = one_and_many(client, count_queries, path, grow, key, admin.headers)
    assert few == many == EXPECTED_USER_LIST[path]


def test_cart(app, client, customer, count_queries):
    category = make_category(app)
    products = [make_product(app, category) for _ in range(12)]
    client.post("/api/cart/items", json={"product_id": products[0]}, headers=customer.headers)

    def grow():
        for product_id in products[1:]:
            assert client.post("/api/cart/items", json={"product_id": product_id, "quantity": 2},
                               headers=customer.headers).status_code == 200

    few, many = one_and_many(client, count_queries, "/api/cart", grow, headers=customer.headers)
    assert few == many == 2  # token check, the cart with its lines and products


@pytest.fixture
def orders(app, buy, customer):
    """grow(n): n more orders of 1-3 lines, from the customer and from n new customers."""
    category = make_category(app)
    products = [make_product(app, category, stock=1000) for _ in range(3)]
    buy(customer, products[0])

    def grow(n=12):
        for k in range(n):
            for buyer in (customer, make_user(app, "customer")):
                for product_id in products[:k % 3 + 1]:
                    assert client_post_cart(app, buyer, product_id)
                buy_cart(app, buyer)
    return grow


def client_post_cart(app, actor, product_id):
    return app.test_client().post("/api/cart/items", json={"product_id": product_id},
                                  headers=actor.headers).status_code == 200


def buy_cart(app, actor):
    response = app.test_client().post("/api/orders", json={"shipping_address": ADDRESS}, headers=actor.headers)
    assert response.status_code == 201, response.get_json()


@pytest.mark.parametrize("path, who, expected", [
    ("/api/orders?per_page=100", "customer", 2), ("/api/orders/admin?per_page=100", "admin", 3),
    ("/api/orders/admin?per_page=100", "manager", 3), ("/api/orders/admin?per_page=100&status=pending", "admin", 3),
    ("/api/orders/admin?per_page=100&after=", "admin", 4), ("/api/orders/today", "cashier", 4),
])
def test_order_lists(client, actors, orders, count_queries, path, who, expected):
    """Token check, the orders (with their buyer joined), their items (a customer's own list: their unit counts,
    computed with the orders); the total when the page cannot tell it."""
    headers = actors[who].headers
    few, many = one_and_many(client, count_queries, path, orders, "orders", headers)
    assert few == many == expected


def test_a_full_page_counts_the_total(client, admin, orders, count_queries):
    orders(3)
    few, body = statements_for(client, count_queries, "/api/orders/admin?per_page=2", admin.headers)
    assert few == 4 and body["total"] > 2


def test_the_cart_read_finds_its_lines_by_index(app, client, customer, count_queries):
    """One statement with plain outer joins: SQLite materializes a nested "LEFT JOIN (lines JOIN products)" by
    scanning every cart's lines (10x slower at a few thousand carts). Three joins: the lines, their products and
    the cart's discount code (read with the cart so that the count of statements stays)."""
    with count_queries() as statements:
        assert client.get("/api/cart", headers=customer.headers).status_code == 200
    cart_read = statements[-1]
    assert "JOIN (" not in cart_read and cart_read.count("LEFT OUTER JOIN") == 3
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            plan = " ".join(str(row[-1]) for row in db.session.connection().exec_driver_sql(
                "EXPLAIN QUERY PLAN " + cart_read, (customer.customer_id,)))
            assert "ix_cart_items_cart_id" in plan and "SCAN" not in plan, plan


@pytest.mark.parametrize("path", ["/api/auth/me", "/api/users/profile"])
@pytest.mark.parametrize("role", ["customer", "manager", "admin"])
def test_own_profile(app, client, count_queries, path, role):
    actor = make_user(app, role)
    count, body = statements_for(client, count_queries, path, actor.headers)
    assert count == 2 and body["user"]["id"] == actor.id  # token check, the account with its profiles
