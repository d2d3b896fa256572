"""The application factory."""
import logging
import time

from flask import Flask, g, request
from flask.sessions import SessionInterface

from app.extensions import cache, cors, db, jwt, limiter, mail, migrate
from app.logging_setup import configure_logging, request_fields
from app.openapi import ShopApi
from app.utils.request_id import HEADER as REQUEST_ID_HEADER, current_request_id
from config import engine_options, get_config

log = logging.getLogger("app.requests")


class NoCookieSessions(SessionInterface):
    """The API keeps no state in cookies (tokens travel in headers): no session cookie is read or signed."""

    def open_session(self, app, request):
        return None  # Flask then uses its NullSession

    def save_session(self, app, session, response):
        pass


def create_app(config_name=None, overrides=None):
    """Build the app for an environment name (FLASK_ENV by default) and optional config overrides."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(get_config(config_name))
    app.config.update(overrides or {})
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(app.config)  # after overrides: they may name the database
    app.session_interface = NoCookieSessions()
    configure_logging(app)
    register_json(app)
    register_extensions(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_request_hooks(app)
    register_commands(app)
    return app


def register_json(app):
    from app.utils.json_provider import OrjsonProvider, dumps

    app.json = OrjsonProvider(app)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"].setdefault("json_serializer", dumps)


def register_extensions(app):
    from app import models, security, tasks  # noqa: F401  (tables and JWT callbacks register on import)
    from app.utils.passwords import init_password_hasher

    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True)
    jwt.init_app(app)
    cache.init_app(app)
    limiter.init_app(app)
    cors.init_app(app, resources={r"/api/*": {"origins": app.config["CORS_ORIGINS"]}},
                  allow_headers=["Content-Type", "Authorization", "Idempotency-Key", "X-Cart-Token", REQUEST_ID_HEADER],
                  expose_headers=["ETag", "Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining",
                                  "X-RateLimit-Reset", REQUEST_ID_HEADER],
                  methods=["GET", "POST", "PUT", "DELETE", "OPTIONS"])
    init_password_hasher(app)
    mail.init_app(app)
    tasks.init_app(app)


def register_blueprints(app):
    from app.routes import BLUEPRINTS
    from app.routes.cart_routes import CART_TOKEN_SCHEME

    api = ShopApi(app)
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"})
    api.spec.components.security_scheme("cartToken", CART_TOKEN_SCHEME)
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint)
    register_metrics(app, api)


def register_metrics(app, api):
    from app.metrics import init_metrics

    init_metrics(app, api)


def register_error_handlers(app):
    from app.errors import register_error_handlers as register

    register(app)


def register_request_hooks(app):
    @app.before_request
    def start_timer():
        g.started = time.perf_counter()

    @app.after_request
    def add_security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers[REQUEST_ID_HEADER] = current_request_id()
        if "started" in g and log.isEnabledFor(logging.INFO):
            elapsed_ms = (time.perf_counter() - g.started) * 1000
            log.info("%s %s %s %.1fms request_id=%s", request.method, request.path, response.status_code, elapsed_ms,
                     current_request_id(), extra=request_fields(request, response, elapsed_ms))
        return response

    @app.teardown_request
    def discard_failed_transaction(error):
        if error is not None:
            db.session.rollback()


def register_commands(app):
    from app.commands import register

    register(app)
