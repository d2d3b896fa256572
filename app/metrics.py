"""Prometheus metrics at /metrics: the exporter's request count and latency per route and status, and the shop's
counters (checkouts, stock-outs, login failures, rate-limited answers), aggregated over gunicorn's workers."""
import hmac
import os
from types import SimpleNamespace

from flask import current_app, request
from prometheus_client import CollectorRegistry, Counter
from prometheus_flask_exporter import PrometheusMetrics
from prometheus_flask_exporter.multiprocess import GunicornPrometheusMetrics

from app.errors import HTTP_MESSAGES, error_response
from app.openapi import Blueprint

LOCAL_ADDRESSES = {"127.0.0.1", "::1"}
blp = Blueprint("metrics", __name__, description="Prometheus metrics")


def init_metrics(app, api):
    """Instrument the app and serve /metrics, unless METRICS_ENABLED is false."""
    if not app.config["METRICS_ENABLED"]:
        return
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # gunicorn (gunicorn.conf.py sets the directory): every worker writes its samples to files there and /metrics
        # adds them up. This class only sets the registry up; the /metrics route below is ours (with its guard).
        exporter = GunicornPrometheusMetrics(app, group_by="url_rule")
    else:
        # One registry per app: tests build many apps in one process, and the default registry takes each name once.
        exporter = PrometheusMetrics(app, path=None, group_by="url_rule", registry=CollectorRegistry())
    counters = SimpleNamespace(
        checkouts=Counter("shop_checkouts_total", "Checkouts answered 201", registry=exporter.registry),
        stock_outs=Counter("shop_stock_outs_total", "Answers 409 INSUFFICIENT_STOCK", registry=exporter.registry),
        login_failures=Counter("shop_login_failures_total", "Logins answered 401", registry=exporter.registry),
        rate_limited=Counter("shop_rate_limited_total", "Answers 429 (rate limit)", registry=exporter.registry),
    )
    app.extensions["metrics"] = SimpleNamespace(exporter=exporter, counters=counters)
    app.after_request(count_outcomes)
    api.spec.components.security_scheme("metricsToken", {"type": "http", "scheme": "bearer"})
    api.register_blueprint(blp)


def count_outcomes(response):
    """Count the answers the shop's own counters are about."""
    counters = current_app.extensions["metrics"].counters
    status, rule = response.status_code, request.url_rule and request.url_rule.rule
    if status == 429:
        counters.rate_limited.inc()
    elif status == 409 and error_code(response) == "INSUFFICIENT_STOCK":
        counters.stock_outs.inc()
    elif status == 201 and request.method == "POST" and rule == "/api/orders":
        counters.checkouts.inc()
    elif status == 401 and request.method == "POST" and rule == "/api/auth/login":
        counters.login_failures.inc()
    return response


def error_code(response):
    """The "code" of a JSON error envelope (app/errors.py), or None."""
    if not response.is_json or response.is_streamed:
        return None
    body = response.get_json(silent=True)
    return body.get("code") if isinstance(body, dict) else None


@blp.route("/metrics")
@blp.doc(security=[{"metricsToken": []}, {}], responses={
    "200": {"description": "The metrics of every worker", "content": {"text/plain": {"schema": {"type": "string"}}}},
    "404": {"description": "Neither the METRICS_TOKEN bearer token nor a local address allowed by "
                           "METRICS_ALLOW_LOCAL: answered like an unknown path"},
})
@PrometheusMetrics.do_not_track()
def metrics():
    """Prometheus metrics, for the METRICS_TOKEN bearer token or a local caller."""
    if not scrape_allowed():
        return error_response(404, HTTP_MESSAGES[404], "NOT_FOUND")
    body, content_type = current_app.extensions["metrics"].exporter.generate_metrics(request.headers.get("Accept"))
    return current_app.response_class(body, 200, content_type=content_type)


def scrape_allowed():
    """The METRICS_TOKEN bearer token was sent, or the caller is local and METRICS_ALLOW_LOCAL is true."""
    token = current_app.config["METRICS_TOKEN"]
    sent = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
        return True
    return current_app.config["METRICS_ALLOW_LOCAL"] and request.remote_addr in LOCAL_ADDRESSES
