"""Logging: one handler on the root logger, JSON lines (LOG_FORMAT=json) or human-readable ones, at LOG_LEVEL."""
import logging
import sys

from flask.logging import default_handler
from flask_jwt_extended import get_jwt_identity
from pythonjsonlogger.json import JsonFormatter

from app.utils.request_id import install_log_record_factory

FORMATS = ("json", "text")
TEXT_FORMAT = "[%(asctime)s] %(levelname)s in %(name)s [%(request_id)s]: %(message)s"
JSON_FIELDS = ["levelname", "name", "message", "request_id"]  # then every `extra` field of the record
JSON_RENAMED = {"levelname": "level", "name": "logger"}


class StderrHandler(logging.StreamHandler):
    """Writes to sys.stderr as it is at each record, not as it was when the handler was made (pytest swaps it)."""

    def __init__(self):
        logging.Handler.__init__(self)

    @property
    def stream(self):
        return sys.stderr


def configure_logging(app):
    """Route every logger through one root handler in the app's LOG_FORMAT; repeated calls replace it."""
    install_log_record_factory()
    log_format = app.config["LOG_FORMAT"].strip().lower()
    if log_format not in FORMATS:
        raise ValueError(f"LOG_FORMAT must be one of {', '.join(FORMATS)}, not {log_format!r}")
    text = logging.Formatter(TEXT_FORMAT)
    default_handler.setFormatter(text)  # Flask's handler, for whoever attaches it, prints the request id too
    handler = StderrHandler()
    handler.setFormatter(JsonFormatter(JSON_FIELDS, rename_fields=JSON_RENAMED, timestamp=True)
                         if log_format == "json" else text)
    handler.go2market = True
    root = logging.getLogger()
    for earlier in [h for h in root.handlers if getattr(h, "go2market", False)]:
        root.removeHandler(earlier)
    root.addHandler(handler)
    root.setLevel(app.config["LOG_LEVEL"])
    # Flask's own handler would print app.* records a second time, and in debug Flask lowers app.logger to DEBUG.
    app.logger.removeHandler(default_handler)
    app.logger.setLevel(logging.NOTSET)


def request_fields(request, response, duration_ms):
    """The fields of the per-request log line (request_id comes from the record factory)."""
    return {"method": request.method, "path": request.path, "status": response.status_code,
            "duration_ms": round(duration_ms, 1), "user_id": caller_id()}


def caller_id():
    """The subject of the access or refresh token this request verified, as a number; None without one."""
    try:
        subject = get_jwt_identity()  # what flask_jwt_extended decoded and kept for the request: no second decode
    except RuntimeError:  # no view of this request verified a token
        return None
    try:
        return int(subject)
    except (TypeError, ValueError):
        return subject
