"""System test harness: throwaway PostgreSQL clusters, migrated databases, gunicorn servers, actors.

One module (not conftest.py, which pytest may import under another name) so that the JWT secret is one value.
"""
import itertools
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import psycopg2
import requests
from flask_migrate import upgrade
from sqlalchemy.engine import make_url

from app import create_app
from app.extensions import db
from tests.factories import make_user

ROOT = Path(__file__).resolve().parents[2]
JWT_SECRET = "system-test-jwt-secret-" + secrets.token_hex(16)
_databases = itertools.count(1)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pg_bin():
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    initdb = shutil.which("initdb")
    if initdb:
        return Path(os.path.realpath(initdb)).parent
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    assert candidates, "PostgreSQL is not installed (scripts/services.sh ensure_postgres installs it)"
    return candidates[-1]


class PostgresServer:
    """A throwaway PostgreSQL cluster run as the postgres user (it refuses root), stoppable and restartable."""

    def __init__(self):
        self.bin = _pg_bin()
        self.dir = Path(tempfile.mkdtemp(prefix="pg-system-"))
        shutil.chown(self.dir, "postgres")
        self.data = self.dir / "data"
        self.port = free_port()
        self._as_postgres("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                          "--locale=C")
        self.start()

    def _as_postgres(self, tool, *args):
        subprocess.run(["runuser", "-u", "postgres", "--", str(self.bin / tool), *args], cwd=self.dir, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    @property
    def url(self):
        return f"postgresql+psycopg2://postgres@127.0.0.1:{self.port}/postgres"

    def start(self):
        options = f"-h 127.0.0.1 -p {self.port} -k {self.dir} -c fsync=off -c max_connections=100"
        self._as_postgres("pg_ctl", "-D", str(self.data), "-l", str(self.dir / "pg.log"), "-w", "-o", options, "start")

    def stop(self):
        self._as_postgres("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def destroy(self):
        if (self.data / "postmaster.pid").exists():
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def create_database(server_url):
    """A new, migrated database on the server; returns (its URL, an app bound to it for direct reads)."""
    url = make_url(server_url)
    name = f"system_{os.getpid()}_{next(_databases)}"
    connection = psycopg2.connect(host=url.host, port=url.port, user=url.username, dbname=url.database or "postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name}")
        cursor.execute(f"CREATE DATABASE {name}")
    connection.close()
    database_url = url.set(database=name).render_as_string(hide_password=False)
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url, "JWT_SECRET_KEY": JWT_SECRET,
                                 "UPLOAD_FOLDER": tempfile.mkdtemp(prefix="uploads-")})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        db.session.remove()
    return database_url, app


class Gunicorn:
    """gunicorn serving wsgi:app in production config on 127.0.0.1:<free port>; stopped by its PID."""

    def __init__(self, database_url, log_dir, workers=2, threads=4, **env):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = Path(log_dir) / f"gunicorn-{self.port}.log"
        environment = {
            **os.environ, "FLASK_ENV": "production", "SECRET_KEY": secrets.token_hex(16),
            "JWT_SECRET_KEY": JWT_SECRET, "DATABASE_URL": database_url, "HOST": "127.0.0.1", "PORT": str(self.port),
            "WEB_CONCURRENCY": str(workers), "GUNICORN_THREADS": str(threads), "GUNICORN_TIMEOUT": "60",
            "PASSWORD_HASH_MEMORY_KIB": "1024", "PASSWORD_HASH_TIME_COST": "1",
            "RATELIMIT_ENABLED": "false", "UPLOAD_FOLDER": str(log_dir),
            **{k: str(v) for k, v in env.items()},
        }
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT, env=environment,
                stdout=log, stderr=subprocess.STDOUT)
        try:
            self._wait_ready()
        except BaseException:
            self.stop()  # a server that failed to come up must not outlive the test
            raise

    def _wait_ready(self):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()
            try:
                if requests.get(f"{self.base}/health", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise AssertionError(f"gunicorn did not start:\n{self.log.read_text()}")

    def url(self, path):
        return self.base + path

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def logged_tracebacks(self):
        return self.log.read_text(errors="replace").count("Traceback")


@contextmanager
def app_context(app):
    with app.app_context():
        try:
            yield db.session
        finally:
            db.session.remove()


def actor(app, role, **kwargs):
    """A user made directly in the database, with tokens the servers accept (same JWT secret)."""
    return make_user(app, role, **kwargs)

