"""The token check's cache (app/security.py, ACCOUNTS data version) and the cached profile answers of /api/auth/me
and /api/users/profile: hits run no account query, and no cached check or profile outlives a write to it."""
from types import SimpleNamespace

import pytest
from sqlalchemy import select, text

from app import create_app
from app.extensions import db
from app.models import Customer, DataVersion
from app.models.data_version import ACCOUNTS, ORDERS
from app.repositories import data_version_repository, held_connection
from tests.factories import bearer, make_product, make_user
from tests.perf.conftest import restore_version

ME = "/api/auth/me"
PROFILE = "/api/users/profile"
VERSION_OF = "SELECT version FROM data_versions WHERE id = {:d}".format


@pytest.fixture
def accounts_version(app):
    """The accounts version row, put back; returns a reader of its value."""
    return restore_version(app, ACCOUNTS)


@pytest.fixture
def statements_of(client, count_queries):
    """statements_of(path, actor) -> (response, the SQL it ran)."""
    def run(path, actor):
        with count_queries() as statements:
            response = client.get(path, headers=actor.headers)
        return response, list(statements)
    return run


def account_reads(statements):
    return [s for s in statements if "FROM users" in s or "revoked_tokens" in s]


def warm(client, actor, *paths):
    for path in paths:
        for _ in range(2):
            assert client.get(path, headers=actor.headers).status_code == 200


# --- hits ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [ME, PROFILE])
def test_a_repeated_profile_read_runs_only_the_accounts_version(client, customer, accounts_version, statements_of,
                                                                 path):
    first = client.get(path, headers=customer.headers)
    response, statements = statements_of(path, customer)
    assert response.status_code == 200 and response.get_data() == first.get_data()
    assert statements == [VERSION_OF(ACCOUNTS)] * 2  # the token check's and the profile answer's


def test_a_cached_token_check_runs_no_account_query_before_the_view(client, customer, accounts_version,
                                                                    statements_of):
    warm(client, customer, "/api/cart")
    response, statements = statements_of("/api/cart", customer)
    assert response.status_code == 200
    assert statements[0] == VERSION_OF(ACCOUNTS) and account_reads(statements) == []


def test_a_first_request_with_a_token_runs_the_token_check(client, customer, accounts_version, statements_of):
    response, statements = statements_of(ME, customer)
    assert response.status_code == 200
    assert len(account_reads(statements)) >= 1 and "revoked_tokens" in statements[1]


def test_tokens_are_checked_one_by_one(client, customer, accounts_version, statements_of):
    login = client.post("/api/auth/login", json={"email_or_username": customer.email, "password": customer.password})
    second = bearer(login.get_json()["access_token"])
    warm(client, customer, "/api/cart")
    _, statements = statements_of("/api/cart", SimpleNamespace(headers=second))
    assert any("revoked_tokens" in s for s in statements)  # another token: its own check
    assert client.post("/api/auth/logout", headers=second, json={}).status_code == 200
    assert client.get("/api/cart", headers=second).get_json()["code"] == "TOKEN_REVOKED"
    assert client.get("/api/cart", headers=customer.headers).status_code == 200


@pytest.mark.parametrize("path, versions", [
    ("/api/orders", [ACCOUNTS, ORDERS]), ("/api/orders/admin", [ACCOUNTS, ORDERS]), (ME, [ACCOUNTS, ACCOUNTS]),
])
def test_warm_reads_run_only_version_reads(client, actors, accounts_version, orders_version, statements_of, path,
                                           versions):
    actor = actors["admin" if path.endswith("admin") else "customer"]
    warm(client, actor, path)
    response, statements = statements_of(path, actor)
    assert response.status_code == 200 and statements == [VERSION_OF(scope) for scope in versions]


def test_shopping_leaves_the_accounts_version(app, client, customer, accounts_version, buy):
    """Cart writes and checkouts of a customer with a profile are no account writes: token checks stay cached."""
    before = accounts_version()
    buy(customer, make_product(app, name="Saw", stock=10))
    assert accounts_version() == before


# --- writes ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["customer", "manager"])
def test_an_own_profile_edit_shows_in_both_cached_profiles(app, client, accounts_version, role):
    """A customer's edit writes only customers, a manager's only employees: both are account writes."""
    actor = make_user(app, role)
    warm(client, actor, ME, PROFILE)
    before = accounts_version()
    assert client.put(PROFILE, headers=actor.headers, json={"first_name": "Renamed"}).status_code == 200
    assert accounts_version() != before
    for path in (ME, PROFILE):
        assert client.get(path, headers=actor.headers).get_json()["profile"]["first_name"] == "Renamed"


def test_an_admin_edit_of_an_account_shows_in_its_cached_profile(client, admin, manager, accounts_version):
    warm(client, manager, ME, PROFILE)
    changed = client.put(f"/api/users/{manager.id}", headers=admin.headers,
                         json={"email": "renamed.manager@ecommerce.com"})
    assert changed.status_code == 200, changed.get_json()
    for path in (ME, PROFILE):
        assert client.get(path, headers=manager.headers).get_json()["user"]["email"] == "renamed.manager@ecommerce.com"


def test_a_role_change_replaces_the_cached_profile(client, admin, customer, manager, accounts_version):
    warm(client, customer, ME)
    warm(client, manager, ME)
    assert client.put(f"/api/users/{customer.id}/role", headers=admin.headers,
                      json={"role": "manager", "employee_id": "EMP-4242"}).status_code == 200
    assert client.put(f"/api/users/{manager.id}/role", headers=admin.headers,
                      json={"role": "cashier", "salary": "4321.00"}).status_code == 200
    body = client.get(ME, headers=customer.headers).get_json()
    assert body["user"]["role"] == "manager" and body["profile"]["employee_id"] == "EMP-4242"
    body = client.get(ME, headers=manager.headers).get_json()
    assert body["user"]["role"] == "cashier" and body["profile"]["salary"] == 4321.0


def test_a_profile_made_by_the_first_cart_add_is_used_at_once(app, client, customer, accounts_version):
    """A cached caller without a customer profile gets one on the first add; the next read must see it."""
    with app.app_context():
        db.session.delete(db.session.get(Customer, customer.customer_id))
        db.session.commit()
    product = make_product(app, name="Saw", stock=10)
    warm(client, customer, "/api/cart")
    assert client.get("/api/cart", headers=customer.headers).get_json()["cart"] is None
    assert client.post("/api/cart/items", headers=customer.headers,
                       json={"product_id": product, "quantity": 2}).status_code == 200
    items = client.get("/api/cart", headers=customer.headers).get_json()["items"]
    assert [(item["product_id"], item["quantity"]) for item in items] == [(product, 2)]
    assert client.post("/api/orders", headers=customer.headers, json={"shipping_address": {
        "line1": "1 Main St", "city": "Albany", "state": "NY", "postal_code": "12207", "country": "USA",
    }}).status_code == 201
    assert len(client.get("/api/orders", headers=customer.headers).get_json()["orders"]) == 1


def test_a_ban_through_another_worker_refuses_the_cached_token(app, client, admin, customer, accounts_version):
    """Another app on the same database stands for another worker or host: its write reaches this cache."""
    warm(client, customer, ME, "/api/cart")
    other = create_app("testing", {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    banned = other.test_client().post(f"/api/users/{customer.id}/ban", headers=admin.headers)
    with other.app_context():
        db.engine.dispose()
    assert banned.status_code == 200, banned.get_json()
    for path in (ME, "/api/cart"):
        assert client.get(path, headers=customer.headers).get_json()["code"] == "ACCOUNT_UNAVAILABLE"


# --- switches and missing rows ---------------------------------------------------------------------------------------


def test_cache_off_runs_the_token_check_every_time(app, client, customer, accounts_version, statements_of):
    app.config["CALLER_CACHE_ENABLED"] = False
    try:
        warm(client, customer, "/api/cart")
        _, statements = statements_of("/api/cart", customer)
        assert VERSION_OF(ACCOUNTS) not in statements and "revoked_tokens" in statements[0]
    finally:
        app.config["CALLER_CACHE_ENABLED"] = True


def test_a_missing_version_row_means_a_live_check_and_a_write_restores_caching(app, client, admin, customer,
                                                                                statements_of):
    with app.app_context():
        db.session.execute(text("DELETE FROM data_versions"))
        db.session.commit()
    warm(client, customer, ME)
    response, statements = statements_of(ME, customer)
    assert response.status_code == 200 and account_reads(statements)
    assert client.put(PROFILE, headers=customer.headers, json={"first_name": "Back"}).status_code == 200
    warm(client, customer, ME)
    response, statements = statements_of(ME, customer)
    assert response.get_json()["profile"]["first_name"] == "Back" and account_reads(statements) == []


# --- which connection labels a read -----------------------------------------------------------------------------------


def test_a_version_read_before_the_session_reads_begins_no_session_transaction(app, accounts_version):
    with app.test_request_context():
        assert data_version_repository.version_before_read(ACCOUNTS) == accounts_version()
        assert not db.session().in_transaction()


def test_a_version_read_inside_a_session_snapshot_is_what_the_snapshot_sees(app, orders_version):
    """A session holding a snapshot (REPEATABLE READ on PostgreSQL) sees no later commit, so neither may the version
    that labels its reads. (pysqlite begins no transaction for reads: there every read sees the latest commit.)"""
    with app.test_request_context():
        if db.engine.dialect.name == "postgresql":
            db.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        seen = lambda: db.session.scalar(select(DataVersion.version).where(DataVersion.id == ORDERS))  # noqa: E731
        before = seen()
        with db.engine.connect() as other:
            other.execute(text(f"UPDATE data_versions SET version = version + 1 WHERE id = {ORDERS}"))
            other.commit()
        assert data_version_repository.version_before_read(ORDERS) == seen()
        db.session.rollback()
        assert data_version_repository.version_before_read(ORDERS) == seen() == before + 1


# --- the held connection ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("caller_cache", [True, False])  # off: the token check is the first statement run there
def test_a_held_connection_the_database_closed_is_replaced_at_once(app, client, customer, accounts_version,
                                                                  caller_cache):
    """A database restart closes every idle connection: the next request must not fail for it."""
    app.config["CALLER_CACHE_ENABLED"] = caller_cache
    try:
        warm(client, customer, ME)
        for path in (ME, "/api/cart", "/api/products"):
            with app.app_context():
                held_connection.execute_sql("SELECT 1")
                held_connection._held.connection.connection.dbapi_connection.close()
            assert client.get(path, headers=customer.headers).status_code == 200
    finally:
        app.config["CALLER_CACHE_ENABLED"] = True
