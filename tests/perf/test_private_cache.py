"""The private (per audience) response cache of the order lists: hits are real, audiences never mix, and no cached
answer outlives a write that changes it (app/utils/http_cache.py private_read, ORDERS data version)."""
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import text

from app.extensions import db
from app.models.base import utcnow
from tests.factories import make_product, make_user

MINE = "/api/orders?per_page=100"
ALL = "/api/orders/admin?per_page=100"
# A cached read runs the token check (revocation + live caller, one statement) and the orders version read.
# The token check's own cache is off here so that it always runs (tests/perf/test_caller_cache.py covers both).
CACHED_READ_STATEMENTS = 2


@pytest.fixture(autouse=True)
def live_token_check(app):
    app.config["CALLER_CACHE_ENABLED"] = False
    yield
    app.config["CALLER_CACHE_ENABLED"] = True


@pytest.fixture
def product(app, orders_version):
    return make_product(app, name="Hammer", stock=100)


@pytest.fixture
def shop(product, customer, admin, manager, buy):
    """One order of the customer, with the people who read and change it."""
    return SimpleNamespace(product=product, order=buy(customer, product), customer=customer, admin=admin,
                           manager=manager)


def own_orders(client, actor, path=MINE):
    response = client.get(path, headers=actor.headers)
    assert response.status_code == 200, response.get_json()
    return {order["id"]: order for order in response.get_json()["orders"]}


def all_orders(client, actor, path=ALL):
    response = client.get(path, headers=actor.headers)
    assert response.status_code == 200, response.get_json()
    return {order["id"]: order for order in response.get_json()["orders"]}


def warm_both(client, shop):
    """Read each list twice: later reads would be answered by the cache if nothing changed."""
    for _ in range(2):
        own_orders(client, shop.customer)
        all_orders(client, shop.admin)


def statements_of(count_queries, client, path, actor, **headers):
    with count_queries() as statements:
        response = client.get(path, headers={**actor.headers, **headers})
    return response, list(statements)


def reads_orders(statements):
    return any("FROM orders" in statement for statement in statements)


def delete_versions(app):
    with app.app_context():
        db.session.execute(text("DELETE FROM data_versions"))
        db.session.commit()
        db.session.remove()


# --- hits ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path, who", [(MINE, "customer"), ("/api/orders", "customer"), (ALL, "admin"),
                                       ("/api/orders/admin", "admin"), ("/api/orders/admin?status=pending", "admin")])
def test_a_repeated_order_list_is_served_from_the_cache(client, shop, count_queries, path, who):
    actor = getattr(shop, who)
    first, first_statements = statements_of(count_queries, client, path, actor)
    again, again_statements = statements_of(count_queries, client, path, actor)
    assert first.status_code == again.status_code == 200
    assert len(first.get_json()["orders"]) == 1
    assert reads_orders(first_statements)
    assert len(again_statements) < len(first_statements)
    assert len(again_statements) == CACHED_READ_STATEMENTS, again_statements
    assert not reads_orders(again_statements)
    assert "revoked_tokens" in again_statements[0] and "data_versions" in again_statements[1]
    assert again.get_data() == first.get_data()
    assert again.headers["ETag"] == first.headers["ETag"]


def test_cache_off_reads_the_database_every_time(app, client, shop, count_queries):
    app.config["PRIVATE_CACHE_ENABLED"] = False
    try:
        for path, actor in ((MINE, shop.customer), (ALL, shop.admin)):
            client.get(path, headers=actor.headers)
            response, statements = statements_of(count_queries, client, path, actor)
            assert response.status_code == 200 and len(response.get_json()["orders"]) == 1
            assert reads_orders(statements), path  # the list itself, every time
            assert not any("data_versions" in statement for statement in statements)  # no version: no cache
            etag = response.headers["ETag"]
            assert client.get(path, headers={**actor.headers, "If-None-Match": etag}).status_code == 304
    finally:
        app.config["PRIVATE_CACHE_ENABLED"] = True


def test_missing_version_row_means_no_caching(app, client, shop, count_queries, orders_version):
    delete_versions(app)
    assert orders_version() is None
    for path, actor in ((MINE, shop.customer), (ALL, shop.admin)):
        client.get(path, headers=actor.headers)
        response, statements = statements_of(count_queries, client, path, actor)
        assert response.status_code == 200 and len(response.get_json()["orders"]) == 1
        assert len(statements) > CACHED_READ_STATEMENTS and reads_orders(statements), path


def test_a_write_recreates_the_version_row_and_caching_resumes(app, client, shop, count_queries, orders_version,
                                                                buy):
    delete_versions(app)
    second = buy(shop.customer, shop.product)
    assert orders_version() is not None
    for path, actor in ((MINE, shop.customer), (ALL, shop.admin)):
        assert set(own_orders(client, actor, path) if actor is shop.customer
                   else all_orders(client, actor, path)) == {shop.order, second}
        _, statements = statements_of(count_queries, client, path, actor)
        assert len(statements) == CACHED_READ_STATEMENTS, path


def test_every_order_write_changes_the_version_and_reads_leave_it(client, shop, orders_version):
    before = orders_version()
    warm_both(client, shop)
    client.get(f"/api/orders/{shop.order}", headers=shop.admin.headers)
    assert orders_version() == before
    assert client.post(f"/api/orders/{shop.order}/notes", headers=shop.admin.headers,
                       json={"notes": "call first"}).status_code == 200
    assert orders_version() != before


# --- no cached answer outlives a write ---------------------------------------------------------------------------


def test_a_new_checkout_appears_in_both_lists(client, shop, buy):
    warm_both(client, shop)
    second = buy(shop.customer, shop.product, 2)
    assert set(own_orders(client, shop.customer)) == {shop.order, second}
    assert set(all_orders(client, shop.admin)) == {shop.order, second}
    assert own_orders(client, shop.customer)[second]["total_items"] == 2


def _status(value):
    return lambda mine, staff: (mine or {}).get("status") == value and (staff or {}).get("status") == value


def _payment(value):
    return lambda mine, staff: (mine or {}).get("payment_status") == value and \
        (staff or {}).get("payment_status") == value


CHANGES = {
    "customer cancel": (
        lambda client, s: client.post(f"/api/orders/{s.order}/cancel", headers=s.customer.headers),
        _status("cancelled")),
    "staff status update": (
        lambda client, s: client.put(f"/api/orders/{s.order}/status", headers=s.manager.headers,
                                     json={"status": "confirmed"}),
        _status("confirmed")),
    "status update by POST": (
        lambda client, s: client.post(f"/api/orders/{s.order}/status", headers=s.admin.headers,
                                      json={"status": "processing"}),
        _status("processing")),
    "payment status update": (
        lambda client, s: client.put(f"/api/orders/{s.order}/payment-status", headers=s.manager.headers,
                                     json={"payment_status": "paid"}),
        _payment("paid")),
    "ship": (
        lambda client, s: client.post(f"/api/orders/{s.order}/ship", headers=s.manager.headers,
                                      json={"tracking_number": "TRACK-42"}),
        lambda mine, staff: _status("shipped")(mine, staff)
        and mine["tracking_number"] == staff["tracking_number"] == "TRACK-42"),
    "notes": (
        lambda client, s: client.post(f"/api/orders/{s.order}/notes", headers=s.manager.headers,
                                      json={"notes": "Fragile: pack twice"}),
        lambda mine, staff: "Fragile: pack twice" in ((staff or {}).get("admin_notes") or "")),
    "refund": (
        lambda client, s: client.post(f"/api/orders/{s.order}/refund", headers=s.admin.headers,
                                      json={"reason": "Damaged"}),
        lambda mine, staff: _status("refunded")(mine, staff) and "Damaged" in (staff["admin_notes"] or "")),
    "status refunded": (
        lambda client, s: client.put(f"/api/orders/{s.order}/status", headers=s.admin.headers,
                                     json={"status": "refunded"}),
        _status("refunded")),
    "order delete": (
        lambda client, s: client.delete(f"/api/orders/{s.order}", headers=s.admin.headers),
        lambda mine, staff: mine is None and staff is None),
    "buyer profile update": (
        lambda client, s: client.put("/api/users/profile", headers=s.customer.headers,
                                     json={"first_name": "Zebedee"}),
        lambda mine, staff: staff is not None and staff["customer"]["first_name"] == "Zebedee"
        and staff["customer"]["full_name"].startswith("Zebedee")),
    "buyer email changed by an admin": (
        lambda client, s: client.put(f"/api/users/{s.customer.id}", headers=s.admin.headers,
                                     json={"email": "renamed@example.com"}),
        lambda mine, staff: staff is not None and staff["customer"]["email"] == "renamed@example.com"),
}


@pytest.mark.parametrize("change", CHANGES)
def test_no_cached_list_outlives_a_write(client, shop, change, count_queries):
    write, changed = CHANGES[change]
    warm_both(client, shop)
    _, statements = statements_of(count_queries, client, ALL, shop.admin)
    assert len(statements) == CACHED_READ_STATEMENTS  # really warm
    before = own_orders(client, shop.customer).get(shop.order), all_orders(client, shop.admin).get(shop.order)
    assert not changed(*before)

    response = write(client, shop)
    assert response.status_code == 200, response.get_json()

    mine = own_orders(client, shop.customer).get(shop.order)
    staff = all_orders(client, shop.admin).get(shop.order)
    assert changed(mine, staff), (mine, staff)
    if staff is not None:  # the customer's summary and the staff row agree on what both show
        assert {k: staff[k] for k in mine} == {k: mine[k] for k in mine}


# --- audiences ----------------------------------------------------------------------------------------------------


def test_a_customers_cached_list_is_never_served_to_another_customer(client, shop, other_customer, buy,
                                                                      count_queries):
    for _ in range(2):
        assert set(own_orders(client, shop.customer)) == {shop.order}
    _, statements = statements_of(count_queries, client, MINE, shop.customer)
    assert len(statements) == CACHED_READ_STATEMENTS  # the first customer's list is cached under MINE

    assert own_orders(client, other_customer) == {}  # same path, another audience
    assert own_orders(client, other_customer) == {}
    theirs = buy(other_customer, shop.product)
    for _ in range(2):
        assert set(own_orders(client, other_customer)) == {theirs}
        assert set(own_orders(client, shop.customer)) == {shop.order}
    assert set(all_orders(client, shop.admin)) == {shop.order, theirs}
    assert set(own_orders(client, shop.customer, "/api/orders")) == {shop.order}
    assert set(own_orders(client, other_customer, "/api/orders")) == {theirs}


def test_two_admins_share_the_admin_list(app, client, shop, count_queries):
    second_admin = make_user(app, "admin", email="admin2@ecommerce.com", username="admin2")
    first = client.get(ALL, headers=shop.admin.headers)
    response, statements = statements_of(count_queries, client, ALL, second_admin)
    assert response.get_data() == first.get_data()
    assert len(statements) == CACHED_READ_STATEMENTS


def test_a_managers_admin_list_is_not_cached(client, shop, count_queries):
    client.get(ALL, headers=shop.admin.headers)
    _, admin_statements = statements_of(count_queries, client, ALL, shop.admin)
    client.get(ALL, headers=shop.manager.headers)
    response, manager_statements = statements_of(count_queries, client, ALL, shop.manager)
    assert response.status_code == 200 and set(o["id"] for o in response.get_json()["orders"]) == {shop.order}
    assert len(admin_statements) == CACHED_READ_STATEMENTS
    assert len(manager_statements) > len(admin_statements) and reads_orders(manager_statements)
    assert response.headers["Cache-Control"] == "private, no-cache" and "Authorization" in response.headers["Vary"]


def _age(app, order_id, days):
    """Move an order's creation time into the past, straight in the database (no version bump on purpose)."""
    with app.app_context():
        db.session.execute(text("UPDATE orders SET created_at = :at WHERE id = :id"),
                           {"at": utcnow() - timedelta(days=days), "id": order_id})
        db.session.commit()
        db.session.remove()


def test_a_manager_never_receives_the_admins_cached_list(app, client, shop, buy, orders_version):
    old = buy(shop.customer, shop.product)
    _age(app, old, 40)
    for _ in range(2):
        assert set(all_orders(client, shop.admin)) == {shop.order, old}
    for path in (ALL, "/api/orders/admin", "/api/orders/admin?status=pending"):
        for _ in range(2):
            client.get(path, headers=shop.admin.headers)  # the admin's answer of this very path is cached
            assert set(all_orders(client, shop.manager, path)) == {shop.order}, path
    assert set(all_orders(client, shop.admin)) == {shop.order, old}


def test_an_admin_demoted_to_manager_loses_the_old_orders_at_once(app, client, shop, buy):
    second_admin = make_user(app, "admin", email="admin2@ecommerce.com", username="admin2")
    old = buy(shop.customer, shop.product)
    _age(app, old, 40)
    for _ in range(2):
        assert set(all_orders(client, second_admin)) == {shop.order, old}
    response = client.put(f"/api/users/{second_admin.id}/role", headers=shop.admin.headers,
                          json={"role": "manager", "employee_id": "EMP-DEMOTE", "first_name": "Ex",
                                "last_name": "Admin"})
    assert response.status_code == 200, response.get_json()
    assert set(all_orders(client, second_admin)) == {shop.order}


@pytest.mark.parametrize("how", ["demoted to customer", "banned"])
def test_a_demoted_or_banned_admin_is_refused_although_the_list_was_cached(app, client, shop, how, count_queries):
    second_admin = make_user(app, "admin", email="admin2@ecommerce.com", username="admin2")
    for _ in range(2):
        assert set(all_orders(client, second_admin)) == {shop.order}
    _, statements = statements_of(count_queries, client, ALL, second_admin)
    assert len(statements) == CACHED_READ_STATEMENTS
    if how == "banned":
        assert client.post(f"/api/users/{second_admin.id}/ban", headers=shop.admin.headers).status_code == 200
        expected = 401
    else:
        assert client.put(f"/api/users/{second_admin.id}/role", headers=shop.admin.headers,
                          json={"role": "customer"}).status_code == 200
        expected = 403
    for headers in ({}, {"If-None-Match": "*"}):
        refused = client.get(ALL, headers={**second_admin.headers, **headers})
        assert refused.status_code == expected, refused.get_json()
        assert "orders" not in refused.get_json()
    assert set(all_orders(client, shop.admin)) == {shop.order}  # the other admin is unaffected


def test_roles_that_may_not_read_a_list_are_refused_even_when_it_is_cached(client, shop, cashier):
    for _ in range(2):
        own_orders(client, shop.customer)
        all_orders(client, shop.admin)
    assert client.get(ALL, headers=cashier.headers).status_code == 403
    assert client.get(ALL, headers=shop.customer.headers).status_code == 403
    assert client.get(MINE, headers=shop.admin.headers).status_code == 403
    assert client.get(MINE).status_code == 401
    assert client.get(ALL).status_code == 401


# --- HTTP caching headers, errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path, who", [(MINE, "customer"), (ALL, "admin"), (ALL, "manager")])
def test_etag_and_304(client, shop, path, who):
    actor = getattr(shop, who)
    first = client.get(path, headers=actor.headers)
    etag = first.headers["ETag"]
    assert first.status_code == 200 and etag.startswith('"') and etag.endswith('"')
    assert first.headers["Cache-Control"] == "private, no-cache"
    assert "Authorization" in first.headers["Vary"]

    not_modified = client.get(path, headers={**actor.headers, "If-None-Match": etag})
    assert not_modified.status_code == 304 and not_modified.get_data() == b""
    assert not_modified.headers["ETag"] == etag
    assert not_modified.headers["Cache-Control"] == "private, no-cache"
    assert "Authorization" in not_modified.headers["Vary"]
    assert client.get(path, headers={**actor.headers, "If-None-Match": f'"other", W/{etag}'}).status_code == 304
    assert client.get(path, headers={**actor.headers, "If-None-Match": '"stale"'}).status_code == 200

    assert client.post(f"/api/orders/{shop.order}/notes", headers=shop.admin.headers,
                       json={"notes": "changed"}).status_code == 200
    assert client.put(f"/api/orders/{shop.order}/status", headers=shop.admin.headers,
                      json={"status": "confirmed"}).status_code == 200
    changed = client.get(path, headers={**actor.headers, "If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert '"confirmed"' in changed.get_data(as_text=True)


def test_a_cached_304_needs_no_list_statement(client, shop, count_queries):
    etag = client.get(MINE, headers=shop.customer.headers).headers["ETag"]
    response, statements = statements_of(count_queries, client, MINE, shop.customer, **{"If-None-Match": etag})
    assert response.status_code == 304 and len(statements) == CACHED_READ_STATEMENTS


def test_the_same_path_of_two_customers_has_two_etags(client, shop, other_customer, buy):
    buy(other_customer, shop.product)
    mine = client.get(MINE, headers=shop.customer.headers).headers["ETag"]
    theirs = client.get(MINE, headers=other_customer.headers)
    assert theirs.headers["ETag"] != mine
    assert client.get(MINE, headers={**other_customer.headers, "If-None-Match": mine}).status_code == 200


@pytest.mark.parametrize("path, who", [("/api/orders?per_page=abc", "customer"),
                                       ("/api/orders/admin?per_page=abc", "admin"),
                                       ("/api/orders/admin?status=nonsense", "admin")])
def test_errors_are_not_cached(client, shop, path, who):
    actor = getattr(shop, who)
    first = client.get(path, headers=actor.headers)
    assert first.status_code == 400
    again = client.get(path, headers=actor.headers)
    assert again.status_code == 400 and again.get_json() == first.get_json()
    assert "ETag" not in again.headers
    # a good read right after is the list, not the error
    assert client.get(MINE if who == "customer" else ALL, headers=actor.headers).get_json()["orders"]
