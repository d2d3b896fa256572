"""Fixtures: one app per test session (schema built by the migrations), clean tables per test, actors per role."""
import os
import tempfile
from contextlib import contextmanager

# Before config is imported: the tests' task queue is a throwaway file per test process, never instance/tasks.db.
os.environ.setdefault("TASK_QUEUE_URL", f"sqlite:///{tempfile.mkdtemp(prefix='go2market-tasks-')}/tasks.db")

import pytest
from flask_migrate import upgrade
from sqlalchemy import event, select, text
from sqlalchemy.engine import Engine

from app import create_app
from app.extensions import db, limiter
from app.models import OutboxEvent
from config import normalize_database_url
from app.models.data_version import STOCK
from tests.factories import make_user, restore_version, restore_versions


def _database_url(tmp_path_factory):
    """PostgreSQL when TEST_DATABASE_URL says so, otherwise a SQLite file (threads need a shared file)."""
    url = os.environ.get("TEST_DATABASE_URL")
    return normalize_database_url(url) if url else f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


def _reset_schema():
    """Drop everything left by an earlier run, then build the schema with the committed migrations."""
    # Unknown to the models and referencing products (0013): dropped first, or PostgreSQL refuses to drop products.
    db.session.execute(text("DROP TABLE IF EXISTS product_option_values"))
    db.session.commit()
    db.drop_all()
    db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
    db.session.commit()
    upgrade(directory=os.path.join(os.path.dirname(__file__), "..", "migrations"))


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    app = create_app("testing", {
        "SQLALCHEMY_DATABASE_URI": _database_url(tmp_path_factory),
        "UPLOAD_FOLDER": str(tmp_path_factory.mktemp("uploads")),
        "RATELIMIT_ENABLED": True,
    })
    limiter.enabled = False  # switched on per test by the rate_limits fixture
    with app.app_context():
        _reset_schema()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def clean_tables(app):
    """Every test starts with empty tables."""
    yield
    with app.app_context():
        db.session.remove()
        tables = [table.name for table in reversed(db.metadata.sorted_tables)]
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                db.session.execute(text(f"DELETE FROM {table}"))
        db.session.commit()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def rate_limits(app):
    """Turn the rate limiter on for one test, with fresh counters."""
    limiter.enabled = True
    limiter.reset()
    yield limiter
    limiter.reset()
    limiter.enabled = False


@pytest.fixture
def admin(app):
    return make_user(app, "admin", email="admin@ecommerce.com", username="admin")


@pytest.fixture
def manager(app):
    return make_user(app, "manager", email="manager@ecommerce.com", username="manager")


@pytest.fixture
def cashier(app):
    return make_user(app, "cashier", email="cashier@ecommerce.com", username="cashier")


@pytest.fixture
def customer(app):
    return make_user(app, "customer", email="customer1@email.com", username="customer1")


@pytest.fixture
def other_customer(app):
    return make_user(app, "customer", email="customer2@email.com", username="customer2")


@pytest.fixture
def actors(admin, manager, cashier, customer):
    """Every role, keyed by name, plus None for an anonymous caller."""
    return {"anonymous": None, "customer": customer, "cashier": cashier, "manager": manager, "admin": admin}




@pytest.fixture
def catalog_version(app):
    """The catalog and stock version rows, put back (catalog answers are cached); returns the catalog's reader."""
    return restore_versions(app)


@pytest.fixture
def stock_version(app, catalog_version):
    """A reader of the stock version (both rows put back)."""
    return restore_version(app, STOCK)


@pytest.fixture
def count_queries():
    """count_queries() is a context manager whose result lists the SQL statements run inside it."""
    @contextmanager
    def counting():
        statements = []

        def record(conn, cursor, statement, *args):
            statements.append(statement)

        # Every engine: the held connections of the versions and token checks have one of their own.
        event.listen(Engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            event.remove(Engine, "before_cursor_execute", record)

    return counting


@pytest.fixture
def start_worker(app, tmp_path):
    """start_worker(**settings) runs the real `flask worker` on this test's database; every one is stopped after."""
    from tests.worker import Worker

    started = []

    def start(**settings):
        worker = Worker(app, tmp_path, **settings)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture
def settings(app):
    """settings(NAME=value, ...) changes app.config for one test; every change is undone after it."""
    saved = {}

    def change(**values):
        for name, value in values.items():
            saved.setdefault(name, app.config[name])
            app.config[name] = value

    yield change
    app.config.update(saved)


@pytest.fixture
def outbox(app):
    """outbox(type=None) -> the events written so far (oldest first), detached rows."""
    def read(event_type=None):
        with app.app_context():
            query = select(OutboxEvent).order_by(OutboxEvent.created_at, OutboxEvent.id)
            if event_type:
                query = query.where(OutboxEvent.type == event_type)
            events = db.session.scalars(query).all()
            db.session.remove()
        return events
    return read
