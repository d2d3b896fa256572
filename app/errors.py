"""Domain exceptions and the one place that turns every error into the JSON envelope."""
import logging

from flask import has_request_context, jsonify
from marshmallow import ValidationError
from sqlalchemy.exc import DataError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, InternalServerError

from app.extensions import db
from app.utils.request_id import current_request_id

log = logging.getLogger(__name__)


class DomainError(Exception):
    """A business rule said no; `extra` keys are added to the JSON body."""

    code = "ERROR"

    def __init__(self, message, /, *, code=None, details=None, **extra):
        super().__init__(message)
        self.message = message
        self.code = code or self.code
        self.details = details
        self.extra = extra


class BadRequest(DomainError):
    code = "BAD_REQUEST"


class ValidationFailed(DomainError):
    code = "VALIDATION_FAILED"

    def __init__(self, details, message="Validation failed"):
        super().__init__(message, details=details)


class Unauthorized(DomainError):
    code = "UNAUTHORIZED"


class Forbidden(DomainError):
    code = "FORBIDDEN"


class NotFound(DomainError):
    code = "NOT_FOUND"


class Conflict(DomainError):
    code = "CONFLICT"


class InsufficientStock(Conflict):
    code = "INSUFFICIENT_STOCK"


class InvalidTransition(Conflict):
    code = "INVALID_TRANSITION"


class IdempotencyMismatch(DomainError):
    code = "IDEMPOTENCY_KEY_REUSED"


STATUS_BY_ERROR = {
    BadRequest: 400, ValidationFailed: 400, Unauthorized: 401, Forbidden: 403,
    NotFound: 404, Conflict: 409, IdempotencyMismatch: 422,
}

HTTP_MESSAGES = {
    400: "Bad request", 401: "Authentication required", 403: "Forbidden", 404: "Resource not found",
    405: "Method not allowed", 413: "Request body too large", 415: "Unsupported media type",
    422: "Unprocessable request", 429: "Too many requests", 500: "Internal server error",
    503: "Service temporarily unavailable",
}

RETRY_AFTER_SECONDS = 5  # every 503: the database is down, busy or slow, none of which a client can fix by itself
QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement cancelled by statement_timeout


def error_response(status, message, code, details=None, /, **extra):
    """The JSON error envelope: {"error", "code"} plus details, extra keys and the request_id of X-Request-ID."""
    body = {"error": message, "code": code, **extra}
    if details is not None:
        body["details"] = details
    if has_request_context():
        body["request_id"] = current_request_id()
    response = jsonify(body)
    response.status_code = status
    if status == 503:
        response.headers.setdefault("Retry-After", str(RETRY_AFTER_SECONDS))
    return response


def status_for(error):
    """HTTP status of a domain error, found through its class hierarchy."""
    return next(STATUS_BY_ERROR[cls] for cls in type(error).__mro__ if cls in STATUS_BY_ERROR)


def handle_domain_error(error):
    db.session.rollback()
    return error_response(status_for(error), error.message, error.code, error.details, **error.extra)


def handle_http_exception(error):
    """Werkzeug and webargs errors; webargs puts validation messages in error.data."""
    data = getattr(error, "data", None) or {}
    if "messages" in data:
        details = {}
        for messages in data["messages"].values():
            details.update(messages if isinstance(messages, dict) else {"_schema": messages})
        response = error_response(400, "Validation failed", "VALIDATION_FAILED", details)
    else:
        default = HTTP_MESSAGES.get(error.code, error.name)
        message = error.description if error.description and error.description != type(error).description else default
        code = (error.name or "error").upper().replace(" ", "_")
        response = error_response(error.code or 500, message, code)
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def handle_validation_error(error):
    return error_response(400, "Validation failed", "VALIDATION_FAILED", error.normalized_messages())


def handle_integrity_error(error):
    """A uniqueness race lost at commit time: a conflict, never a 500 with SQL text."""
    db.session.rollback()
    log.warning("integrity error: %s", error.orig)
    return error_response(409, "The request conflicts with existing data", "CONFLICT")


def handle_data_error(error):
    """A value the database refused (out of range, too long) that validation let through."""
    db.session.rollback()
    log.warning("data error: %s", error.orig)
    return error_response(400, "A value is out of range or too long", "INVALID_VALUE")


def handle_database_unavailable(error):
    """The database is unreachable, or (PostgreSQL) cancelled a statement that ran past DB_STATEMENT_TIMEOUT_MS."""
    db.session.rollback()
    if _sqlstate(error) == QUERY_CANCELED:
        log.warning("database statement cancelled (statement timeout): %s", error)
        return error_response(503, "The database took too long to answer", "DATABASE_TIMEOUT")
    log.error("database error: %s", error)
    return error_response(503, HTTP_MESSAGES[503], "DATABASE_UNAVAILABLE")


def handle_database_busy(error):
    """Every pooled connection stayed in use for DB_POOL_TIMEOUT seconds."""
    db.session.rollback()
    log.warning("database pool exhausted: %s", error)
    return error_response(503, "The database is busy", "DATABASE_BUSY")


def _sqlstate(error):
    """The SQLSTATE of the driver error under a SQLAlchemy one (psycopg2: pgcode, psycopg 3: sqlstate)."""
    original = getattr(error, "orig", None)
    return getattr(original, "pgcode", None) or getattr(original, "sqlstate", None)


def handle_internal_error(error):
    db.session.rollback()
    original = getattr(error, "original_exception", None)
    if original is not None:
        log.exception("unhandled error", exc_info=original)
    return error_response(500, HTTP_MESSAGES[500], "INTERNAL_ERROR")


def register_error_handlers(app):
    """Every error, from any layer, leaves as the same JSON envelope."""
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(ValidationError, handle_validation_error)
    app.register_error_handler(IntegrityError, handle_integrity_error)
    app.register_error_handler(OperationalError, handle_database_unavailable)
    app.register_error_handler(InterfaceError, handle_database_unavailable)
    app.register_error_handler(PoolTimeout, handle_database_busy)
    app.register_error_handler(DataError, handle_data_error)
    app.register_error_handler(InternalServerError, handle_internal_error)
    app.register_error_handler(HTTPException, handle_http_exception)
