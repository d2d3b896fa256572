"""The catalog response cache: hits are real, and no cached answer outlives a write that changes it."""
import itertools
import os
import socket
import uuid

import pytest

from app import create_app
from app.extensions import cache, db
from tests.factories import make_category, make_product, make_variant_product

LIST = "/api/products?per_page=100"


def stock_in_list(client, product_id):
    return {p["id"]: p["stock_quantity"] for p in client.get(LIST).get_json()["products"]}.get(product_id)


def stock_in_get(client, product_id):
    return client.get(f"/api/products/{product_id}").get_json()["stock_quantity"]


def category_names(client):
    return {c["name"] for c in client.get("/api/categories").get_json()["categories"]}


@pytest.fixture
def shop(app, catalog_version):
    category = make_category(app, name="Tools")
    return {"category": category, "product": make_product(app, category, name="Hammer", stock=10)}


def rendered(statements):
    """Whether the statements read whole product rows (a render, not a cache hit's stock check)."""
    return any("products.name" in statement for statement in statements)


def read_twice(client, path):
    first = client.get(path)
    assert first.status_code == 200 and client.get(path).get_data() == first.get_data()
    return first


@pytest.fixture
def warm(client):
    """warm(*paths): read each path twice, so later reads would be served from the cache."""
    def read(*paths):
        for path in paths:
            assert client.get(path).status_code == 200
            assert client.get(path).status_code == 200
    return read


@pytest.mark.parametrize("path", [LIST, "/api/products/{product}", "/api/categories", "/api/categories/{category}"])
def test_a_repeated_read_is_served_from_the_cache(client, shop, count_queries, path):
    path = path.format(**shop)
    first = client.get(path)
    with count_queries() as statements:
        again = client.get(path)
    assert again.get_data() == first.get_data()
    assert len(statements) == 1 and "data_versions" in statements[0]  # the versions and the stock it shows


def test_cache_off_reads_the_database_every_time(app, client, shop, count_queries):
    app.config["CATALOG_CACHE_ENABLED"] = False
    try:
        client.get(LIST)
        with count_queries() as statements:
            assert client.get(LIST).status_code == 200
        assert len(statements) >= 2
    finally:
        app.config["CATALOG_CACHE_ENABLED"] = True


def test_product_create_update_delete_are_seen(client, shop, manager, admin, warm):
    warm(LIST, f"/api/products/{shop['product']}")
    created = client.post("/api/products/add", headers=manager.headers, json={
        "name": "Saw", "price": 12.5, "sku": "SAW-1", "stock_quantity": 3, "category_id": shop["category"]})
    assert created.status_code == 201
    new_id = created.get_json()["id"]
    assert stock_in_list(client, new_id) == 3

    assert client.put(f"/api/products/{shop['product']}", headers=manager.headers,
                      json={"name": "Claw hammer", "stock_quantity": 7}).status_code == 200
    names = {p["name"] for p in client.get(LIST).get_json()["products"]}
    assert "Claw hammer" in names and "Hammer" not in names
    assert stock_in_get(client, shop["product"]) == 7

    assert client.delete(f"/api/products/{shop['product']}", headers=admin.headers).status_code == 200
    assert stock_in_list(client, shop["product"]) is None
    assert client.get(f"/api/products/{shop['product']}").status_code == 404


def test_category_writes_are_seen(client, shop, manager, admin, warm):
    category = shop["category"]
    warm("/api/categories", f"/api/categories/{category}")
    created = client.post("/api/categories", headers=admin.headers, json={"name": "Garden"})
    assert created.status_code == 201
    garden = created.get_json()["category"]["id"]
    assert "Garden" in category_names(client)

    sub = client.post(f"/api/categories/{category}/subcategory", headers=manager.headers, json={"name": "Drills"})
    assert sub.status_code == 201
    assert [c["name"] for c in client.get(f"/api/categories/{category}").get_json()["children"]] == ["Drills"]

    assert client.put(f"/api/categories/{category}", headers=manager.headers,
                      json={"name": "Hand tools"}).status_code == 200
    assert client.get(f"/api/categories/{category}").get_json()["name"] == "Hand tools"
    assert "Hand tools" in category_names(client)

    drills = sub.get_json()["category"]["id"]
    assert client.put("/api/categories/reorder", headers=admin.headers,
                      json={"updates": [{"id": drills, "parent_id": garden, "position": 1}]}).status_code == 200
    assert client.get(f"/api/categories/{category}").get_json()["children"] == []
    assert [c["id"] for c in client.get(f"/api/categories/{garden}").get_json()["children"]] == [drills]

    assert client.delete(f"/api/categories/{drills}", headers=admin.headers).status_code == 200
    assert "Drills" not in category_names(client)
    assert client.get(f"/api/categories/{drills}").status_code == 404


def test_checkout_and_customer_cancel_change_the_stock_shown(client, shop, customer, warm, buy):
    product = shop["product"]
    warm(LIST, f"/api/products/{product}")
    order_id = buy(customer, product, 3)
    assert stock_in_list(client, product) == 7 and stock_in_get(client, product) == 7
    assert client.post(f"/api/orders/{order_id}/cancel", headers=customer.headers).status_code == 200
    assert stock_in_list(client, product) == 10 and stock_in_get(client, product) == 10


def test_staff_cancel_refund_and_order_delete_change_the_stock_shown(client, shop, customer, manager, admin, warm,
                                                                     buy):
    product = shop["product"]
    first, second, third = (buy(customer, product, 1) for _ in range(3))
    warm(LIST, f"/api/products/{product}")
    assert stock_in_list(client, product) == 7

    assert client.put(f"/api/orders/{first}/status", headers=manager.headers,
                      json={"status": "cancelled"}).status_code == 200
    assert stock_in_list(client, product) == 8 and stock_in_get(client, product) == 8

    assert client.post(f"/api/orders/{second}/refund", headers=admin.headers, json={}).status_code == 200
    assert stock_in_list(client, product) == 9 and stock_in_get(client, product) == 9

    assert client.delete(f"/api/orders/{third}", headers=admin.headers).status_code == 200
    assert stock_in_list(client, product) == 10 and stock_in_get(client, product) == 10


def test_a_sale_changes_the_stock_version_not_the_catalog_version(client, shop, customer, catalog_version,
                                                                  stock_version, buy):
    catalog_before, stock_before = catalog_version(), stock_version()
    buy(customer, shop["product"])
    assert catalog_version() == catalog_before and stock_version() == stock_before + 1


def test_a_product_edit_changes_the_catalog_version_only(client, shop, manager, catalog_version, stock_version):
    catalog_before, stock_before = catalog_version(), stock_version()
    assert client.put(f"/api/products/{shop['product']}", headers=manager.headers,
                      json={"stock_quantity": 4}).status_code == 200
    assert catalog_version() == catalog_before + 1 and stock_version() == stock_before


def test_reads_and_other_writes_leave_the_version(client, shop, customer, catalog_version):
    before = catalog_version()
    client.get(LIST)
    client.get("/api/auth/me", headers=customer.headers)
    assert client.post("/api/cart/items", headers=customer.headers,
                       json={"product_id": shop["product"], "quantity": 1}).status_code == 200
    assert catalog_version() == before


def test_a_write_through_one_worker_reaches_another(app, client, shop, manager, warm):
    """Two app instances on one database stand for two gunicorn workers, each with its own memory cache."""
    other = create_app("testing", {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    other_client = other.test_client()
    try:
        assert other_client.get(LIST).status_code == 200
        assert other_client.get(LIST).status_code == 200
        assert client.put(f"/api/products/{shop['product']}", headers=manager.headers,
                          json={"stock_quantity": 1}).status_code == 200
        stock = {p["id"]: p["stock_quantity"] for p in other_client.get(LIST).get_json()["products"]}
        assert stock[shop["product"]] == 1
    finally:
        with other.app_context():
            db.engine.dispose()


def test_missing_version_row_means_no_caching(app, client, shop, count_queries):
    with app.app_context():
        db.session.execute(db.text("DELETE FROM data_versions"))
        db.session.commit()
        db.session.remove()
    client.get(LIST)
    with count_queries() as statements:
        assert client.get(LIST).status_code == 200
    assert len(statements) > 1  # read from the database, not the cache


def test_a_write_recreates_a_deleted_version_row(app, client, shop, manager, catalog_version):
    with app.app_context():
        db.session.execute(db.text("DELETE FROM data_versions"))
        db.session.commit()
        db.session.remove()
    assert client.put(f"/api/products/{shop['product']}", headers=manager.headers,
                      json={"stock_quantity": 2}).status_code == 200
    assert catalog_version() is not None


def test_errors_are_not_cached(client, shop, admin):
    missing = shop["product"] + 1000
    assert client.get(f"/api/products/{missing}").status_code == 404
    assert client.get("/api/products?per_page=abc").status_code == 400
    make_product_response = client.get(f"/api/products/{missing}")
    assert make_product_response.status_code == 404


def test_an_inactive_product_is_shown_to_managers_never_from_the_public_cache(app, client, shop, manager):
    hidden = make_product(app, shop["category"], is_active=False)
    assert client.get(f"/api/products/{hidden}").status_code == 404
    as_manager = client.get(f"/api/products/{hidden}", headers=manager.headers)
    assert as_manager.status_code == 200
    assert as_manager.headers["Cache-Control"] == "private, no-cache"
    assert "Authorization" in as_manager.headers["Vary"]
    assert client.get(f"/api/products/{hidden}").status_code == 404  # the manager's answer was not shared
    public = client.get(f"/api/products/{shop['product']}")
    assert public.headers["Cache-Control"] == "public, no-cache" and "Authorization" in public.headers["Vary"]


@pytest.mark.parametrize("path", [LIST, "/api/products/{product}", "/api/categories", "/api/categories/{category}"])
def test_etag_and_304(client, shop, manager, path):
    path = path.format(**shop)
    first = client.get(path)
    etag = first.headers["ETag"]
    assert first.status_code == 200 and etag.startswith('"') and first.headers["Cache-Control"] == "public, no-cache"

    not_modified = client.get(path, headers={"If-None-Match": etag})
    assert not_modified.status_code == 304 and not_modified.get_data() == b""
    assert not_modified.headers["ETag"] == etag
    assert client.get(path, headers={"If-None-Match": f'"other", W/{etag}'}).status_code == 304
    assert client.get(path, headers={"If-None-Match": "*"}).status_code == 304
    assert client.get(path, headers={"If-None-Match": '"stale"'}).status_code == 200

    assert client.put(f"/api/products/{shop['product']}", headers=manager.headers, json={"name": "Mallet"}) \
        .status_code == 200
    assert client.put(f"/api/categories/{shop['category']}", headers=manager.headers, json={"name": "Mallets"}) \
        .status_code == 200
    changed = client.get(path, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert "Mallet" in changed.get_data(as_text=True)


def test_etag_without_the_cache(app, client, shop):
    app.config["CATALOG_CACHE_ENABLED"] = False
    try:
        etag = client.get(LIST).headers["ETag"]
        assert client.get(LIST, headers={"If-None-Match": etag}).status_code == 304
    finally:
        app.config["CATALOG_CACHE_ENABLED"] = True


def test_list_totals_are_kept_per_version_and_follow_every_write(client, shop, customer, manager, admin, buy,
                                                                 count_queries):
    """Every page of one filter shares its total (a new URL misses the answer cache, not the total): it must follow
    every write too."""
    pages = itertools.count(1)

    def total(query=""):
        return client.get(f"/api/products?per_page=1&page={next(pages)}{query}").get_json()["total"]

    assert total() == 1 and total("&in_stock=true") == 1
    with count_queries() as statements:
        assert total() == 1
    assert len(statements) == 2  # the version and the page: the total was kept
    created = client.post("/api/products/add", headers=manager.headers, json={
        "name": "Saw", "price": 5, "sku": "SAW-2", "stock_quantity": 1, "category_id": shop["category"]})
    assert created.status_code == 201 and total() == 2 and total("&in_stock=true") == 2
    buy(customer, created.get_json()["id"])  # its last unit: out of stock
    assert total("&in_stock=true") == 1 and total("&in_stock=false") == 1
    assert client.delete(f"/api/products/{shop['product']}", headers=admin.headers).status_code == 200
    assert total() == 1 and total("&in_stock=true") == 0


def test_cache_off_counts_every_time(app, client, shop, count_queries):
    app.config["CATALOG_CACHE_ENABLED"] = False
    try:
        client.get("/api/products?per_page=1")
        with count_queries() as statements:
            assert client.get("/api/products?per_page=1&page=2").get_json()["total"] == 1
        assert len(statements) == 2 and "count(" in statements[0].lower()  # count and page, no version
    finally:
        app.config["CATALOG_CACHE_ENABLED"] = True


def test_a_customer_with_a_token_is_served_the_public_answer_which_is_never_stored_for_them(client, shop, customer,
                                                                                      count_queries):
    path = f"/api/products/{shop['product']}"
    as_customer = client.get(path, headers=customer.headers)
    assert as_customer.status_code == 200 and as_customer.headers["Cache-Control"] == "private, no-cache"
    with count_queries() as statements:
        public = client.get(path)
    assert rendered(statements)  # the customer's answer was not stored: the public one is read and stored now
    assert public.get_data() == as_customer.get_data()
    with count_queries() as statements:
        again = client.get(path, headers=customer.headers)
    assert again.get_data() == as_customer.get_data()
    assert len(statements) == 2 and not rendered(statements)  # the token check; the versions and the stock shown


@pytest.mark.parametrize("role", ["manager", "admin"])
def test_managers_and_admins_are_never_served_the_public_answer(app, client, shop, actors, count_queries, role):
    shirt, (small, medium) = make_variant_product(app, shop["category"], name="Shirt", variants=[
        {"size": "S"}, {"size": "M", "is_active": False}])
    path = f"/api/products/{shirt}"
    public = read_twice(client, path)
    assert [v["id"] for v in public.get_json()["variants"]] == [small]
    with count_queries() as statements:
        staff = client.get(path, headers=actors[role].headers)
    assert [v["id"] for v in staff.get_json()["variants"]] == [small, medium] and rendered(statements)
    assert [v["id"] for v in client.get(f"{path}/variants", headers=actors[role].headers).get_json()["variants"]] \
        == [small, medium]
    assert client.get(path).get_data() == public.get_data()  # and the staff answer was not stored


@pytest.fixture
def redis_url():
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        pytest.fail("TEST_REDIS_URL is not set: scripts/test.sh starts Redis and sets it")
    return url


def test_workers_sharing_redis_share_answers_and_a_write_retires_them(app, shop, manager, redis_url,
                                                                    count_queries):
    """Two app instances stand for two workers (or hosts) whose cache is one Redis database."""
    prefix = f"test-{uuid.uuid4().hex}/"
    settings = {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "CACHE_TYPE": "RedisCache",
                "CACHE_REDIS_URL": redis_url, "CACHE_KEY_PREFIX": prefix}
    one, two = create_app("testing", settings), create_app("testing", settings)
    try:
        assert one.test_client().get(LIST).status_code == 200
        with count_queries() as statements:
            assert two.test_client().get(LIST).status_code == 200
        assert len(statements) == 1  # stored by the other worker: only the versions and the stock shown are read
        assert one.test_client().put(f"/api/products/{shop['product']}", headers=manager.headers,
                                     json={"stock_quantity": 4}).status_code == 200
        assert stock_in_list(two.test_client(), shop["product"]) == 4
    finally:
        for instance in (one, two):
            with instance.app_context():
                cache.clear()
                db.engine.dispose()


def test_an_unreachable_redis_means_uncached_answers_not_errors(app, shop, manager, count_queries):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    broken = create_app("testing", {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                                    "CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": f"redis://127.0.0.1:{port}/0"})
    client = broken.test_client()
    try:
        for _ in range(2):
            with count_queries() as statements:
                response = client.get(LIST)
            assert response.status_code == 200 and len(statements) == 3  # version, total and page each time
        assert client.put(f"/api/products/{shop['product']}", headers=manager.headers,
                          json={"stock_quantity": 3}).status_code == 200
        assert stock_in_list(client, shop["product"]) == 3
    finally:
        with broken.app_context():
            db.engine.dispose()
