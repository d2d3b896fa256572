"""Configuration comes from the environment; production refuses default secrets."""
import pytest

from app import create_app
from config import DEV_JWT_SECRET, DEV_SECRET, ProductionConfig, database_url, get_config


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
    assert database_url("sqlite://") == "postgresql://u:p@db:5432/shop"


def test_flask_env_chooses_the_config(monkeypatch):
    monkeypatch.setenv("FLASK_ENV", "testing")
    assert get_config().TESTING is True


def test_development_is_the_default(monkeypatch):
    monkeypatch.delenv("FLASK_ENV", raising=False)
    assert get_config().DEBUG is True


def test_overrides_win_over_the_config_class():
    app = create_app("testing", {"MAX_PAGE_SIZE": 7, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["MAX_PAGE_SIZE"] == 7
