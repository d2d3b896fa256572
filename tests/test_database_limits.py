"""A request waits DB_POOL_TIMEOUT seconds for a pooled connection, then answers 503 DATABASE_BUSY with Retry-After;
the pool settings reach the engine only where SQLAlchemy pools with a QueuePool."""
import threading
import time

import pytest
from sqlalchemy.pool import QueuePool, StaticPool

from app import create_app
from app.extensions import db
from config import engine_options
from tests.factories import make_product

ONE_CONNECTION = {"DB_POOL_SIZE": 1, "DB_MAX_OVERFLOW": 0, "CATALOG_CACHE_ENABLED": False}


@pytest.fixture
def one_connection_app(app):
    """A second app on the test database whose pool holds one connection; its engine is disposed afterwards."""
    apps = []

    def build(pool_timeout):
        limited = create_app("testing", {**ONE_CONNECTION, "DB_POOL_TIMEOUT": pool_timeout,
                                         "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
        apps.append(limited)
        return limited

    yield build
    for limited in apps:
        with limited.app_context():
            db.engine.dispose()


def _hold_the_only_connection(limited):
    with limited.app_context():
        return db.engine.connect()


@pytest.mark.parametrize("path", ["/api/products", "/api/health"])
def test_a_request_finding_the_pool_exhausted_answers_503_with_retry_after(app, one_connection_app, path):
    make_product(app, name="Lamp")
    limited = one_connection_app(1)  # whole seconds: engine_from_config (Flask-SQLAlchemy) casts it to an int
    client = limited.test_client()
    held = _hold_the_only_connection(limited)
    try:
        started = time.monotonic()
        response = client.get(path)
        waited = time.monotonic() - started
    finally:
        held.close()
    assert response.status_code == 503
    body = response.get_json()
    assert body == {"error": "The database is busy", "code": "DATABASE_BUSY",
                    "request_id": response.headers["X-Request-ID"]}
    assert int(response.headers["Retry-After"]) > 0
    assert 0.9 <= waited < 4, waited  # the pool timeout, not a hung worker
    assert client.get(path).status_code == 200  # the released connection serves the next request


def test_a_request_waits_for_a_connection_released_within_the_pool_timeout(app, one_connection_app):
    make_product(app, name="Lamp")
    limited = one_connection_app(10)
    held = _hold_the_only_connection(limited)
    releaser = threading.Timer(0.3, held.close)
    releaser.start()
    try:
        response = limited.test_client().get("/api/products")
    finally:
        releaser.join()
    assert response.status_code == 200
    assert [p["name"] for p in response.get_json()["products"]] == ["Lamp"]


def _settings(url, **changes):
    settings = {"SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True}, "SQLALCHEMY_DATABASE_URI": url,
                "DB_POOL_SIZE": 5, "DB_MAX_OVERFLOW": 10, "DB_POOL_TIMEOUT": 10, "DB_STATEMENT_TIMEOUT_MS": 15000}
    return {**settings, **changes}


POOL = {"pool_size": 5, "max_overflow": 10, "pool_timeout": 10}


@pytest.mark.parametrize("url, expected", [
    ("postgresql+psycopg2://u@db/shop",
     {"pool_pre_ping": True, **POOL, "connect_args": {"options": "-c statement_timeout=15000"}}),
    ("postgresql+psycopg://u@db/shop",
     {"pool_pre_ping": True, **POOL, "connect_args": {"options": "-c statement_timeout=15000"}}),
    ("postgresql+psycopg2://u@db/shop?options=-c%20search_path%3Dshop",  # the URL's own options are kept
     {"pool_pre_ping": True, **POOL, "connect_args": {"options": "-c search_path=shop -c statement_timeout=15000"}}),
    ("postgresql+pg8000://u@db/shop", {"pool_pre_ping": True, **POOL}),  # no libpq options: no timeout from us
    ("mssql+pyodbc://u:p@db/shop?driver=ODBC+Driver+18+for+SQL+Server", {"pool_pre_ping": True, **POOL}),
    ("sqlite:////srv/shop.db", {"pool_pre_ping": True, **POOL}),  # a file: QueuePool since SQLAlchemy 2.0
    ("sqlite://", {"pool_pre_ping": True}),  # in memory: one shared connection, no pool to bound
    ("sqlite:///:memory:", {"pool_pre_ping": True}),
    ("sqlite:///file:shop?mode=memory&uri=true", {"pool_pre_ping": True}),
])
def test_engine_options_per_database(url, expected):
    assert engine_options(_settings(url)) == expected


def test_a_zero_statement_timeout_is_off_and_explicit_engine_options_win():
    assert "connect_args" not in engine_options(_settings("postgresql+psycopg2://u@db/shop",
                                                          DB_STATEMENT_TIMEOUT_MS=0))
    explicit = {"pool_pre_ping": False, "pool_size": 20, "connect_args": {"options": "-c lock_timeout=100"}}
    options = engine_options(_settings("postgresql+psycopg2://u@db/shop", SQLALCHEMY_ENGINE_OPTIONS=explicit))
    assert options == {"pool_pre_ping": False, "pool_size": 20, "max_overflow": 10, "pool_timeout": 10,
                       "connect_args": {"options": "-c lock_timeout=100 -c statement_timeout=15000"}}
    assert explicit == {"pool_pre_ping": False, "pool_size": 20, "connect_args": {"options": "-c lock_timeout=100"}}


def test_the_settings_reach_the_engine(tmp_path):
    on_file = create_app("testing", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'shop.db'}",
                                     "DB_POOL_SIZE": 3, "DB_MAX_OVERFLOW": 2, "DB_POOL_TIMEOUT": 7})
    in_memory = create_app("testing", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with on_file.app_context():
        pool = db.engine.pool
        assert isinstance(pool, QueuePool) and (pool.size(), pool._max_overflow, pool._timeout) == (3, 2, 7)
        db.engine.dispose()
    with in_memory.app_context():
        assert isinstance(db.engine.pool, StaticPool)
        db.engine.dispose()
