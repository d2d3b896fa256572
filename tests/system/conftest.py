"""System tests: real gunicorn servers on PostgreSQL (and Redis), driven over HTTP.

They run in their own stage (`pytest -m system tests/system`, see scripts/test.sh) against the PostgreSQL and Redis
that scripts/services.sh starts (PG_URL, TEST_REDIS_URL); without them a throwaway server of each is started here.
"""
import os
import subprocess
import time

import pytest

from tests.system.harness import Gunicorn, PostgresServer, free_port


@pytest.fixture(autouse=True)
def clean_tables():
    """Overrides the suite's per-test cleaning: system tests bring their own databases."""
    yield


@pytest.fixture(scope="session")
def postgres_url():
    """The server URL (any database) of the PostgreSQL started by scripts/services.sh, or of one started here."""
    if os.environ.get("PG_URL"):
        yield os.environ["PG_URL"]
        return
    server = PostgresServer()
    yield server.url
    server.destroy()


@pytest.fixture(scope="session")
def redis_url():
    url = os.environ.get("TEST_REDIS_URL") or os.environ.get("REDIS_URL")
    if url:
        yield url
        return
    port = free_port()
    process = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no"], stdout=subprocess.DEVNULL)
    time.sleep(0.5)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def servers(tmp_path):
    """servers(database_url, **env) starts a gunicorn; every one started is stopped after the test."""
    started = []

    def start(database_url, **env):
        server = Gunicorn(database_url, tmp_path, **env)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
