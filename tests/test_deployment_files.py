"""What can be checked of the container files without a Docker engine."""
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_every_file_the_dockerfile_copies_exists():
    sources = []
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        if line.startswith("COPY "):
            sources += line.split()[1:-1]
    assert sources
    missing = [source for source in sources if not (ROOT / source).exists()]
    assert missing == []


def test_dockerfile_runs_gunicorn_as_a_non_root_user_with_a_healthcheck():
    text = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.\d+-slim", text, re.M)
    assert re.search(r"^USER app$", text, re.M)
    assert "HEALTHCHECK" in text and "/health" in text
    assert "gunicorn" in text


def test_compose_file_has_the_backend_its_worker_and_their_services():
    compose = yaml.safe_load((ROOT / "docker-compose.dev.yml").read_text())
    services = compose["services"]
    assert set(services) == {"backend", "worker", "mailpit", "postgres", "redis"}
    backend, worker = services["backend"], services["worker"]
    assert "5000:5000" in backend["ports"]
    for app_service in (backend, worker):
        assert "DATABASE_URL=sqlite:////app/instance/ecommerce_dev.db" in app_service["environment"]
        assert "TASK_QUEUE_URL=redis://redis:6379/2" in app_service["environment"]
        assert {"MAIL_SERVER=mailpit", "MAIL_PORT=1025"} <= set(app_service["environment"])
        assert any(volume.endswith(":/app/instance") for volume in app_service["volumes"])
    assert worker["command"] == "flask worker"
    assert services["mailpit"]["image"].startswith("axllent/mailpit")
    assert {"1025:1025", "8025:8025"} <= set(services["mailpit"]["ports"])
    assert services["postgres"]["profiles"] == ["postgres"]
    assert "profiles" not in services["redis"]  # the worker's queue


def test_env_example_documents_every_setting():
    names = {line.split("=", 1)[0] for line in (ROOT / ".env.example").read_text().splitlines()
             if line and not line.startswith("#")}
    required = {"SECRET_KEY", "JWT_SECRET_KEY", "DATABASE_URL", "JWT_ACCESS_TOKEN_EXPIRES",
                "JWT_REFRESH_TOKEN_EXPIRES", "CORS_ORIGINS", "RATELIMIT_ENABLED", "RATELIMIT_STORAGE_URI",
                "UPLOAD_FOLDER", "MAX_CONTENT_LENGTH", "TAX_RATE", "SHIPPING_COST", "DEFAULT_PAGE_SIZE",
                "MAX_PAGE_SIZE", "TASK_QUEUE_URL", "LOW_STOCK_THRESHOLD", "OUTBOX_RETENTION_DAYS", "MAIL_SERVER",
                "MAIL_PORT", "MAIL_USE_TLS", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_DEFAULT_SENDER", "FRONTEND_URL",
                "PASSWORD_RESET_TTL", "REQUIRE_VERIFIED_EMAIL", "WEBHOOK_MAX_ATTEMPTS", "WEBHOOK_RETRY_BASE_SECONDS",
                "WEBHOOK_DISABLE_AFTER", "WEBHOOK_ALLOW_PRIVATE_TARGETS"}
    assert required <= names


def test_every_env_example_setting_is_read_by_the_config():
    config = (ROOT / "config.py").read_text()
    names = {line.split("=", 1)[0] for line in (ROOT / ".env.example").read_text().splitlines()
             if line and not line.startswith("#")} - {"FLASK_APP", "FLASK_ENV"}
    assert [name for name in names if f'"{name}"' not in config] == []


def test_the_gunicorn_access_log_names_the_request_id():
    namespace = {}
    exec((ROOT / "gunicorn.conf.py").read_text(), namespace)
    assert namespace["access_log_format"].endswith(" %({x-request-id}o)s")
