"""Configuration classes: every value comes from the environment, with a safe default for development."""
import os
from datetime import timedelta
from decimal import Decimal
from importlib.util import find_spec
from pathlib import Path

from dotenv import load_dotenv
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

BASE_DIR = Path(__file__).resolve().parent
load_dotenv(BASE_DIR / ".env")

DEV_SECRET = "dev-secret-change-me"
DEV_JWT_SECRET = "dev-jwt-secret-change-me-at-least-32-bytes"


def env_bool(name, default):
    """Read a boolean flag such as RATELIMIT_ENABLED=false."""
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


def database_url(default):
    """DATABASE_URL (default when unset or empty) in a form that works with the installed drivers."""
    return normalize_database_url(os.environ.get("DATABASE_URL") or default)


def normalize_database_url(url):
    """postgres:// and postgresql:// name an installed PostgreSQL driver; a relative SQLite file is made absolute.

    SQLAlchemy's default PostgreSQL driver is psycopg 3, while requirements.txt ships psycopg2. A relative SQLite
    path is relative to instance/ (README), except one starting with instance/, which is relative to the repository
    root (the seed README's sqlite:///instance/ecommerce_dev.db): both name instance/ecommerce_dev.db.
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        return url  # SQLAlchemy explains what is wrong when the engine is made
    backend, _, driver = parsed.drivername.partition("+")
    if backend in ("postgres", "postgresql"):
        parsed = parsed.set(drivername=f"postgresql+{_postgres_driver(driver)}")
    elif backend == "sqlite" and _relative_file(parsed):
        parsed = parsed.set(database=str(_sqlite_path(parsed.database)))
    else:
        return url
    return parsed.render_as_string(hide_password=False)


def _relative_file(url):
    """A SQLite file named by a relative path (not memory, nor a file: URI, which Flask-SQLAlchemy resolves)."""
    return url.database not in (None, "", ":memory:") and not url.query.get("uri") and not os.path.isabs(url.database)


def _sqlite_path(database):
    """instance/<database>; <repository>/<database> when it already starts with instance/."""
    path = Path(database)
    return BASE_DIR / path if path.parts[0] == "instance" else BASE_DIR / "instance" / path


def _postgres_driver(driver):
    """psycopg2 (the shipped driver) unless the URL names another; psycopg 3 when named and installed, or when it
    is the only one installed."""
    if driver not in ("", "psycopg"):
        return driver
    if driver == "psycopg":
        return "psycopg" if _importable("psycopg") else "psycopg2"
    return "psycopg" if _importable("psycopg") and not _importable("psycopg2") else "psycopg2"


def _importable(module):
    return find_spec(module) is not None


def engine_options(settings):
    """SQLALCHEMY_ENGINE_OPTIONS for the configured database: pool bounds and PostgreSQL's statement timeout added.

    The pool bounds apply wherever SQLAlchemy pools with a QueuePool: server databases and, since SQLAlchemy 2.0,
    SQLite files. An in-memory SQLite database is one shared connection (Flask-SQLAlchemy's StaticPool, or
    SQLAlchemy's SingletonThreadPool for mode=memory), which takes no such arguments. Options set explicitly in
    SQLALCHEMY_ENGINE_OPTIONS win.
    """
    options = dict(settings["SQLALCHEMY_ENGINE_OPTIONS"])
    url = make_url(settings["SQLALCHEMY_DATABASE_URI"])
    if "poolclass" not in options and _queue_pooled(url):
        options.setdefault("pool_size", settings["DB_POOL_SIZE"])
        options.setdefault("max_overflow", settings["DB_MAX_OVERFLOW"])
        options.setdefault("pool_timeout", settings["DB_POOL_TIMEOUT"])
    timeout_ms = settings["DB_STATEMENT_TIMEOUT_MS"]
    if timeout_ms > 0 and url.get_backend_name() == "postgresql" and url.get_driver_name() in ("psycopg2", "psycopg"):
        connect_args = dict(options.get("connect_args", {}))
        # libpq startup options: the URL's own ?options= would be replaced by connect_args, so it is kept in front.
        earlier = connect_args.get("options", url.query.get("options"))
        connect_args["options"] = " ".join(filter(None, [earlier, f"-c statement_timeout={int(timeout_ms)}"]))
        options["connect_args"] = connect_args
    return options


def _queue_pooled(url):
    """Whether SQLAlchemy (and Flask-SQLAlchemy) pool this database with a QueuePool."""
    if url.get_backend_name() != "sqlite":
        return True
    return url.database not in (None, "", ":memory:") and url.query.get("mode") != "memory"


class Config:
    """Settings shared by every environment."""

    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET)
    JWT_SECRET_KEY = os.environ.get("JWT_SECRET_KEY", DEV_JWT_SECRET)
    JWT_ACCESS_TOKEN_EXPIRES = timedelta(seconds=int(os.environ.get("JWT_ACCESS_TOKEN_EXPIRES", 3600)))
    JWT_REFRESH_TOKEN_EXPIRES = timedelta(seconds=int(os.environ.get("JWT_REFRESH_TOKEN_EXPIRES", 2592000)))
    JWT_ERROR_MESSAGE_KEY = "error"
    # Tokens travel in the Authorization header only: no cookies, so no csrf claim in them.
    JWT_TOKEN_LOCATION = ["headers"]
    JWT_COOKIE_CSRF_PROTECT = False

    SQLALCHEMY_DATABASE_URI = database_url(f"sqlite:///{BASE_DIR / 'instance' / 'ecommerce_dev.db'}")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}  # create_app adds the settings below (engine_options)
    # A request waits DB_POOL_TIMEOUT seconds for one of DB_POOL_SIZE + DB_MAX_OVERFLOW connections per process,
    # then answers 503 DATABASE_BUSY; on PostgreSQL a statement running longer than DB_STATEMENT_TIMEOUT_MS is
    # cancelled (503 DATABASE_TIMEOUT). 0 switches the statement timeout off.
    DB_POOL_SIZE = int(os.environ.get("DB_POOL_SIZE", 5))
    DB_MAX_OVERFLOW = int(os.environ.get("DB_MAX_OVERFLOW", 10))
    DB_POOL_TIMEOUT = int(os.environ.get("DB_POOL_TIMEOUT", 10))  # whole seconds: Flask-SQLAlchemy makes it an int
    DB_STATEMENT_TIMEOUT_MS = int(os.environ.get("DB_STATEMENT_TIMEOUT_MS", 15000))

    CORS_ORIGINS = [o.strip() for o in os.environ.get(
        "CORS_ORIGINS", "http://localhost:5173,http://localhost:3000").split(",") if o.strip()]

    RATELIMIT_ENABLED = env_bool("RATELIMIT_ENABLED", True)
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_DEFAULT = os.environ.get("RATELIMIT_DEFAULT", "300 per minute")
    RATELIMIT_AUTH = os.environ.get("RATELIMIT_AUTH", "10 per minute")
    # Every new visitor opens a guest cart: looser than the login limit, still a bound on anonymous rows.
    RATELIMIT_GUEST_CART = os.environ.get("RATELIMIT_GUEST_CART", "60 per minute")
    RATELIMIT_HEADERS_ENABLED = True

    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER", str(BASE_DIR / "app" / "static" / "uploads" / "products"))
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 5 * 1024 * 1024))
    MAX_IMAGE_PIXELS = int(os.environ.get("MAX_IMAGE_PIXELS", 25_000_000))

    TAX_RATE = Decimal(os.environ.get("TAX_RATE", "0.10"))
    SHIPPING_COST = Decimal(os.environ.get("SHIPPING_COST", "10.00"))
    DEFAULT_PAGE_SIZE = int(os.environ.get("DEFAULT_PAGE_SIZE", 20))
    MAX_PAGE_SIZE = int(os.environ.get("MAX_PAGE_SIZE", 100))

    # Public catalog reads cached under the catalog version (app/catalog_cache.py), through Flask-Caching: per
    # process by default, shared by every worker and host in Redis when CACHE_REDIS_URL is set.
    CATALOG_CACHE_ENABLED = env_bool("CATALOG_CACHE_ENABLED", True)
    CACHE_REDIS_URL = os.environ.get("CACHE_REDIS_URL") or None
    CACHE_TYPE = "RedisCache" if CACHE_REDIS_URL else "SimpleCache"
    CACHE_THRESHOLD = int(os.environ.get("CACHE_THRESHOLD", 2048))  # entries per process (SimpleCache)
    CACHE_DEFAULT_TIMEOUT = int(os.environ.get("CACHE_DEFAULT_TIMEOUT", 300))  # seconds; old versions age out
    CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "go2market/")

    # Events and the worker (app/tasks.py): Huey on a SQLite file under instance/ unless TASK_QUEUE_URL names Redis.
    TASK_QUEUE_URL = os.environ.get("TASK_QUEUE_URL") or f"sqlite:///{BASE_DIR / 'instance' / 'tasks.db'}"
    LOW_STOCK_THRESHOLD = int(os.environ.get("LOW_STOCK_THRESHOLD", 5))
    OUTBOX_RETENTION_DAYS = int(os.environ.get("OUTBOX_RETENTION_DAYS", 14))
    OUTBOX_LEASE_SECONDS = int(os.environ.get("OUTBOX_LEASE_SECONDS", 60))  # a dead worker's claim runs out then
    OUTBOX_SWEEP_SECONDS = float(os.environ.get("OUTBOX_SWEEP_SECONDS", 1))  # how often a worker polls for due rows
    OUTBOX_RETRY_SECONDS = int(os.environ.get("OUTBOX_RETRY_SECONDS", 30))  # first retry of an event; then doubling
    IDEMPOTENCY_TTL_HOURS = int(os.environ.get("IDEMPOTENCY_TTL_HOURS", 24))  # stored answers purged after
    GUEST_CART_TTL_DAYS = int(os.environ.get("GUEST_CART_TTL_DAYS", 30))  # guest carts untouched this long purged

    # E-mail through Flask-Mail; with no MAIL_SERVER the mails are written to the log instead.
    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = int(os.environ.get("MAIL_PORT", 25))
    MAIL_USE_TLS = env_bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = env_bool("MAIL_USE_SSL", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Go2Market <no-reply@go2market.local>")
    MAIL_SUPPRESS_SEND = False  # Flask-Mail suppresses under TESTING; the tests use a real SMTP server
    FRONTEND_URL = os.environ.get("FRONTEND_URL", "http://localhost:5173").rstrip("/")
    PASSWORD_RESET_TTL = int(os.environ.get("PASSWORD_RESET_TTL", 3600))  # seconds
    EMAIL_VERIFICATION_TTL = int(os.environ.get("EMAIL_VERIFICATION_TTL", 7 * 24 * 3600))  # seconds
    REQUIRE_VERIFIED_EMAIL = env_bool("REQUIRE_VERIFIED_EMAIL", False)

    # Webhooks (Standard Webhooks signatures): retried after base, 2*base, 4*base... seconds.
    WEBHOOK_MAX_ATTEMPTS = int(os.environ.get("WEBHOOK_MAX_ATTEMPTS", 6))
    WEBHOOK_RETRY_BASE_SECONDS = int(os.environ.get("WEBHOOK_RETRY_BASE_SECONDS", 10))
    WEBHOOK_TIMEOUT_SECONDS = int(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", 10))
    WEBHOOK_DISABLE_AFTER = int(os.environ.get("WEBHOOK_DISABLE_AFTER", 20))  # consecutive failed events
    WEBHOOK_ALLOW_PRIVATE_TARGETS = env_bool("WEBHOOK_ALLOW_PRIVATE_TARGETS", False)

    # Logging (app/logging_setup.py) and Prometheus metrics at /metrics (app/metrics.py).
    LOG_FORMAT = os.environ.get("LOG_FORMAT") or "text"  # json: one JSON object per line (production's default)
    LOG_LEVEL = (os.environ.get("LOG_LEVEL") or "INFO").upper()  # of the root logger: every library's records too
    METRICS_ENABLED = env_bool("METRICS_ENABLED", True)  # false: no /metrics route, no request metrics
    METRICS_TOKEN = os.environ.get("METRICS_TOKEN") or None  # a scraper sends it as a bearer token; unset: none
    METRICS_ALLOW_LOCAL = env_bool("METRICS_ALLOW_LOCAL", True)  # 127.0.0.1 and ::1 need no token

    # argon2id at the OWASP-recommended cost (19 MiB, 2 passes).
    PASSWORD_HASH_MEMORY_KIB = int(os.environ.get("PASSWORD_HASH_MEMORY_KIB", 19456))
    PASSWORD_HASH_TIME_COST = int(os.environ.get("PASSWORD_HASH_TIME_COST", 2))

    API_TITLE = "Go2Market e-commerce API"
    API_VERSION = "1.0.0"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api"
    OPENAPI_JSON_PATH = "openapi.json"
    OPENAPI_SWAGGER_UI_PATH = "docs"
    OPENAPI_SWAGGER_UI_URL = "/static/swagger-ui/"  # served by the app itself: no CDN
    OPENAPI_SWAGGER_UI_CONFIG = {"persistAuthorization": True}
    JSON_SORT_KEYS = False


class DevelopmentConfig(Config):
    """Local development on the embedded SQLite database."""

    DEBUG = True
    WEBHOOK_ALLOW_PRIVATE_TARGETS = env_bool("WEBHOOK_ALLOW_PRIVATE_TARGETS", True)


class TestingConfig(Config):
    """The test suite: a throwaway database, cheap password hashes, no rate limits unless a test asks."""

    TESTING = True
    SQLALCHEMY_DATABASE_URI = normalize_database_url(os.environ.get("TEST_DATABASE_URL") or "sqlite://")
    RATELIMIT_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    PASSWORD_HASH_MEMORY_KIB = 64
    PASSWORD_HASH_TIME_COST = 1
    JWT_ACCESS_TOKEN_EXPIRES = timedelta(minutes=5)
    WEBHOOK_ALLOW_PRIVATE_TARGETS = env_bool("WEBHOOK_ALLOW_PRIVATE_TARGETS", True)


class ProductionConfig(Config):
    """Production: refuses to start with a missing or default secret."""

    DEBUG = False
    LOG_FORMAT = os.environ.get("LOG_FORMAT") or "json"

    @classmethod
    def validate(cls):
        """Raise when a secret is missing or still the development default."""
        for name, default in (("SECRET_KEY", DEV_SECRET), ("JWT_SECRET_KEY", DEV_JWT_SECRET)):
            value = os.environ.get(name)
            if not value or value == default:
                raise RuntimeError(f"{name} must be set to a strong random value in production")


CONFIGS = {"development": DevelopmentConfig, "testing": TestingConfig, "production": ProductionConfig}


def get_config(name=None):
    """The config class for a name, FLASK_ENV, or development."""
    config = CONFIGS[name or os.environ.get("FLASK_ENV") or "development"]
    if hasattr(config, "validate"):
        config.validate()
    return config
