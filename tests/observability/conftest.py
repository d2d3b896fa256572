"""Apps of other environments on the suite's database, and the log set-up put back after each test."""
import logging

import pytest

from app import create_app
from app.extensions import db


@pytest.fixture
def make_app(app, monkeypatch):
    """make_app(config_name, **overrides): an app of that environment on the suite's database."""
    monkeypatch.setenv("SECRET_KEY", "s" * 40)  # production refuses to start with the default secrets
    monkeypatch.setenv("JWT_SECRET_KEY", "j" * 40)
    made = []

    def make(config_name, **overrides):
        other = create_app(config_name, {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                                         "RATELIMIT_ENABLED": False, "UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"],
                                         **overrides})
        made.append(other)
        return other

    yield make
    for other in made:
        with other.app_context():
            db.engine.dispose()


@pytest.fixture(autouse=True)
def restore_logging():
    """create_app replaces the root logger's handler: the rest of the session gets the one it had back."""
    root = logging.getLogger()
    ours = [handler for handler in root.handlers if getattr(handler, "go2market", False)]
    level = root.level
    yield
    for handler in [handler for handler in root.handlers if getattr(handler, "go2market", False)]:
        root.removeHandler(handler)
    for handler in ours:
        root.addHandler(handler)
    root.setLevel(level)
