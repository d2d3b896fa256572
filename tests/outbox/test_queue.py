"""The task queue: SQLite by default, Redis when named; when it is down, writes still succeed."""
import os
import socket
import subprocess
import sys

import pytest
from huey import RedisHuey, SqliteHuey

from app import create_app
from app.extensions import db
from app.tasks import _huey_for
from tests.factories import ADDRESS, make_product
from tests.worker import ROOT


def test_the_queue_follows_task_queue_url(tmp_path):
    assert isinstance(_huey_for(f"sqlite:///{tmp_path / 'queue' / 'tasks.db'}"), SqliteHuey)
    assert (tmp_path / "queue").is_dir()
    assert isinstance(_huey_for("redis://127.0.0.1:6379/3"), RedisHuey)
    with pytest.raises(ValueError, match="TASK_QUEUE_URL"):
        _huey_for("postgresql://localhost/queue")


def test_the_default_queue_is_a_file_under_instance_in_every_configuration():
    """Read in a fresh interpreter without TASK_QUEUE_URL (the tests set one of their own)."""
    environment = {name: value for name, value in os.environ.items() if name != "TASK_QUEUE_URL"}
    script = ("from config import Config, DevelopmentConfig, ProductionConfig, TestingConfig;"
              "print(*{c.TASK_QUEUE_URL for c in (Config, DevelopmentConfig, ProductionConfig, TestingConfig)})")
    output = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True,
                            text=True, check=True).stdout.split()
    assert output == [f"sqlite:///{ROOT / 'instance' / 'tasks.db'}"]


def test_a_checkout_succeeds_and_keeps_its_event_when_the_queue_is_down(app, customer, outbox):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    down = create_app("testing", {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                                  "TASK_QUEUE_URL": f"redis://127.0.0.1:{port}/0"})
    try:
        client = down.test_client()
        client.post("/api/cart/items", json={"product_id": make_product(app)}, headers=customer.headers)
        response = client.post("/api/orders", json={"shipping_address": ADDRESS}, headers=customer.headers)
    finally:
        with down.app_context():
            db.engine.dispose()
    assert response.status_code == 201
    assert [(event.type, event.state) for event in outbox()] == [("order.created", "pending")]  # for the sweep
