"""Every answer carries X-Request-ID (the client's when sane, else a new one), every error body has it as request_id,
and the log lines of a request name it."""
import logging
import re

import pytest
from flask.logging import default_handler

from app.services import product_service

GENERATED = re.compile(r"[0-9a-f]{32}")


@pytest.mark.parametrize("path, status", [("/health", 200), ("/api/products", 200), ("/api/nope", 404)])
def test_an_id_is_generated_when_the_client_sends_none(client, path, status):
    first, second = client.get(path), client.get(path)
    assert first.status_code == second.status_code == status
    assert GENERATED.fullmatch(first.headers["X-Request-ID"])
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]


@pytest.mark.parametrize("sent", ["abc", "7f3e2a1c-9b4d-4e5f-8a6b-1c2d3e4f5a6b", "trace.span_01-A", "x" * 128, "0"])
def test_a_sane_client_id_is_echoed(client, sent):
    assert client.get("/health", headers={"X-Request-ID": sent}).headers["X-Request-ID"] == sent
    assert client.get("/api/nope", headers={"X-Request-ID": sent}).get_json()["request_id"] == sent


@pytest.mark.parametrize("sent", ["", "x" * 129, "two words", "a/b", "id;drop", "<script>", "caf\u00e9", "a\tb",
                                  "%0d%0aSet-Cookie:x"])
def test_an_insane_client_id_is_replaced(client, sent):
    response = client.get("/health", headers={"X-Request-ID": sent})
    assert GENERATED.fullmatch(response.headers["X-Request-ID"])


@pytest.fixture
def unhandled_errors_answered(app, monkeypatch):
    """Let the 500 handler answer as in production (testing mode re-raises unhandled exceptions)."""
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)


def _boom(*args, **kwargs):
    raise RuntimeError("boom")


def test_every_error_body_carries_the_id_of_its_header(client, app, customer, rate_limits, monkeypatch,
                                                      unhandled_errors_answered):
    answers = {
        400: client.post("/api/auth/login", data="{bad", content_type="application/json"),
        401: client.get("/api/cart"),
        403: client.get("/api/users", headers=customer.headers),
        404: client.get("/api/products/999999"),
        405: client.delete("/api/health"),
        415: client.post("/api/auth/login", data="x=1", content_type="text/plain"),
    }
    monkeypatch.setitem(app.config, "RATELIMIT_AUTH", "1 per minute")
    body = {"email_or_username": "nobody", "password": "Wrong123!"}
    client.post("/api/auth/login", json=body)
    answers[429] = client.post("/api/auth/login", json=body)
    monkeypatch.setattr(product_service, "list_products", _boom)
    answers[500] = client.get("/api/products", headers={"X-Request-ID": "client-chosen-500"})
    assert {status: response.status_code for status, response in answers.items()} == {s: s for s in answers}
    for response in answers.values():
        body = response.get_json()
        assert body["request_id"] == response.headers["X-Request-ID"], response.status_code
        assert body["error"] and body["code"]
    assert answers[500].get_json()["request_id"] == "client-chosen-500"


def test_the_request_log_line_names_the_id(client, caplog):
    caplog.set_level(logging.INFO, logger="app.requests")
    response = client.get("/api/products", headers={"X-Request-ID": "trace-42"})
    lines = [r for r in caplog.records if r.name == "app.requests"]
    assert [r.getMessage().split()[:3] for r in lines] == [["GET", "/api/products", "200"]]
    assert "request_id=trace-42" in lines[0].getMessage() and lines[0].request_id == "trace-42"
    assert response.headers["X-Request-ID"] == "trace-42"


def test_every_log_line_of_a_request_carries_the_id(client, caplog, monkeypatch, unhandled_errors_answered):
    monkeypatch.setattr(product_service, "list_products", _boom)
    caplog.set_level(logging.INFO)
    response = client.get("/api/products")
    sent = response.headers["X-Request-ID"]
    records = [r for r in caplog.records if r.name.startswith("app")]
    assert {r.name for r in records} >= {"app.errors", "app.requests"}
    assert {r.request_id for r in records} == {sent}
    assert sent in default_handler.format(next(r for r in records if r.name == "app.errors"))
    assert logging.LogRecord("x", logging.INFO, __file__, 1, "outside", None, None).__dict__.get("request_id") is None
    assert logging.getLogRecordFactory()("x", logging.INFO, __file__, 1, "outside", None, None).request_id == "-"


def test_cors_lets_the_spa_send_and_read_the_id(client):
    origin = "http://localhost:5173"
    preflight = client.options("/api/products", headers={"Origin": origin, "Access-Control-Request-Method": "GET",
                                                         "Access-Control-Request-Headers": "X-Request-ID"})
    assert "x-request-id" in preflight.headers["Access-Control-Allow-Headers"].lower()
    response = client.get("/api/products", headers={"Origin": origin})
    assert "x-request-id" in response.headers["Access-Control-Expose-Headers"].lower()
