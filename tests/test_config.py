"""Configuration comes from the environment; production refuses default secrets; every documented DATABASE_URL
form starts the app with the shipped requirements."""
import os
import subprocess
import sys
import uuid

import pytest

import config
from app import create_app
from config import BASE_DIR, DEV_JWT_SECRET, DEV_SECRET, ProductionConfig, database_url, get_config


@pytest.mark.parametrize("secret, jwt_secret", [
    (None, "x" * 40), ("x" * 40, None), (DEV_SECRET, "x" * 40), ("x" * 40, DEV_JWT_SECRET),
])
def test_production_refuses_missing_or_default_secrets(monkeypatch, secret, jwt_secret):
    for name, value in (("SECRET_KEY", secret), ("JWT_SECRET_KEY", jwt_secret)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    with pytest.raises(RuntimeError, match="must be set"):
        get_config("production")


def test_production_starts_with_real_secrets(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.setenv("JWT_SECRET_KEY", "j" * 40)
    assert get_config("production") is ProductionConfig


def test_heroku_style_postgres_urls_are_rewritten(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db:5432/shop")
    assert database_url("sqlite://") == "postgresql+psycopg2://u:p@db:5432/shop"


def test_no_or_an_empty_database_url_means_the_default(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert database_url("sqlite:////srv/shop.db") == "sqlite:////srv/shop.db"
    monkeypatch.setenv("DATABASE_URL", "")
    assert database_url("sqlite:////srv/shop.db") == "sqlite:////srv/shop.db"


INSTANCE_DB = f"sqlite:///{BASE_DIR / 'instance' / 'ecommerce_dev.db'}"


@pytest.mark.parametrize("url, expected", [
    ("postgres://u:p@db:5432/shop", "postgresql+psycopg2://u:p@db:5432/shop"),
    ("postgresql://u:p@db:5432/shop", "postgresql+psycopg2://u:p@db:5432/shop"),
    ("postgresql+psycopg2://u:p@db:5432/shop", "postgresql+psycopg2://u:p@db:5432/shop"),
    ("postgresql+psycopg://u:p@db:5432/shop", "postgresql+psycopg2://u:p@db:5432/shop"),  # psycopg 3 missing
    ("postgresql+pg8000://u:p@db/shop", "postgresql+pg8000://u:p@db/shop"),  # a driver the user chose
    ("postgres://u:p%40ss%2Fw@db/shop?sslmode=require", "postgresql+psycopg2://u:p%40ss%2Fw@db/shop?sslmode=require"),
    ("sqlite:///instance/ecommerce_dev.db", INSTANCE_DB),  # the seed README: relative to the repository root
    ("sqlite:///ecommerce_dev.db", INSTANCE_DB),  # README: relative to instance/
    ("sqlite:///./ecommerce_dev.db", INSTANCE_DB),
    ("sqlite+pysqlite:///ecommerce_dev.db", "sqlite+pysqlite:///" + INSTANCE_DB[len("sqlite:///"):]),
    ("sqlite:////srv/data/shop.db", "sqlite:////srv/data/shop.db"),
    ("sqlite://", "sqlite://"),
    ("sqlite:///:memory:", "sqlite:///:memory:"),
    ("sqlite:///file:shop.db?mode=ro&uri=true", "sqlite:///file:shop.db?mode=ro&uri=true"),  # Flask-SQLAlchemy's
    ("mssql+pyodbc://u:p@db:1433/shop?driver=ODBC+Driver+18+for+SQL+Server",
     "mssql+pyodbc://u:p@db:1433/shop?driver=ODBC+Driver+18+for+SQL+Server"),
])
def test_database_url_forms_with_the_shipped_drivers(monkeypatch, url, expected):
    monkeypatch.setattr(config, "_importable", lambda module: module == "psycopg2")
    monkeypatch.setenv("DATABASE_URL", url)
    assert database_url("sqlite://") == expected


@pytest.mark.parametrize("installed, url, expected", [
    ({"psycopg2", "psycopg"}, "postgresql+psycopg://u@db/shop", "postgresql+psycopg://u@db/shop"),
    ({"psycopg2", "psycopg"}, "postgresql://u@db/shop", "postgresql+psycopg2://u@db/shop"),
    ({"psycopg"}, "postgresql://u@db/shop", "postgresql+psycopg://u@db/shop"),
    ({"psycopg"}, "postgres://u@db/shop", "postgresql+psycopg://u@db/shop"),
    (set(), "postgresql://u@db/shop", "postgresql+psycopg2://u@db/shop"),  # the error names the requirement
])
def test_postgres_urls_use_an_installed_driver(monkeypatch, installed, url, expected):
    monkeypatch.setattr(config, "_importable", lambda module: module in installed)
    monkeypatch.setenv("DATABASE_URL", url)
    assert database_url("sqlite://") == expected


def _run_in_repo(args, database_url):
    """Run a command from the repository root as a user would, with DATABASE_URL set; returns the process."""
    env = {**os.environ, "DATABASE_URL": database_url, "FLASK_ENV": "development", "FLASK_APP": "run.py"}
    return subprocess.run([sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True,
                          timeout=120)


@pytest.mark.parametrize("form", ["sqlite:///instance/{name}", "sqlite:///{name}"])
def test_flask_db_upgrade_with_a_relative_sqlite_url_builds_instance_db(form):
    name = f"test_readme_{uuid.uuid4().hex}.db"
    path = BASE_DIR / "instance" / name
    try:
        process = _run_in_repo(["-m", "flask", "db", "upgrade"], form.format(name=name))
        assert process.returncode == 0, process.stderr
        assert path.is_file()  # instance/<name>, where both READMEs say the database is
    finally:
        for leftover in (path, path.with_name(name + "-wal"), path.with_name(name + "-shm")):
            leftover.unlink(missing_ok=True)


CONNECT = ("from app import create_app; from app.extensions import db\n"
           "with create_app().app_context():\n"
           "    db.engine.connect().close(); print(db.engine.url.drivername)")


def test_a_plain_postgresql_url_connects_with_the_shipped_driver():
    url = os.environ.get("TEST_POSTGRES_URL") or os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        pytest.fail("no PostgreSQL to connect to: scripts/test.sh starts one and sets TEST_POSTGRES_URL")
    plain = "postgresql://" + url.split("://", 1)[1]
    process = _run_in_repo(["-c", CONNECT], plain)
    assert process.returncode == 0, process.stderr
    assert process.stdout.split() == ["postgresql+psycopg2"]


def test_flask_env_chooses_the_config(monkeypatch):
    monkeypatch.setenv("FLASK_ENV", "testing")
    assert get_config().TESTING is True


def test_development_is_the_default(monkeypatch):
    monkeypatch.delenv("FLASK_ENV", raising=False)
    assert get_config().DEBUG is True


def test_overrides_win_over_the_config_class():
    app = create_app("testing", {"MAX_PAGE_SIZE": 7, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["MAX_PAGE_SIZE"] == 7
