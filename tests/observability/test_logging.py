"""Production logs are one JSON object per line with the request's fields; development logs are readable lines."""
import json
import logging
import re

import pytest


def logged_lines(capsys):
    return [line for line in capsys.readouterr().err.splitlines() if line]


def request_lines(lines):
    """The JSON lines of the logger app.requests."""
    return [entry for entry in map(json.loads, lines) if entry["logger"] == "app.requests"]


def test_production_writes_every_line_as_json_with_the_request_fields(make_app, customer, capsys):
    client = make_app("production").test_client()
    capsys.readouterr()
    me = client.get("/api/auth/me", headers={**customer.headers, "X-Request-ID": "obs-me-1"})
    anonymous = client.get("/api/products/999999", headers={"X-Request-ID": "obs-anon-1"})
    assert (me.status_code, anonymous.status_code) == (200, 404)
    lines = logged_lines(capsys)
    entries = request_lines(lines)  # json.loads of every line: a line that is not JSON fails here
    assert len(entries) == len(lines) == 2
    first, second = entries
    assert {key: first[key] for key in ("level", "method", "path", "status", "user_id", "request_id")} == {
        "level": "INFO", "method": "GET", "path": "/api/auth/me", "status": 200, "user_id": customer.id,
        "request_id": "obs-me-1"}
    assert {key: second[key] for key in ("method", "path", "status", "user_id", "request_id")} == {
        "method": "GET", "path": "/api/products/999999", "status": 404, "user_id": None,
        "request_id": "obs-anon-1"}
    for entry in entries:
        assert isinstance(entry["duration_ms"], float) and 0 <= entry["duration_ms"] < 60_000
        assert entry["message"].startswith(f"{entry['method']} {entry['path']} {entry['status']} ")
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+\+00:00", entry["timestamp"])


def test_a_refused_token_logs_no_user(make_app, customer, capsys):
    client = make_app("production").test_client()
    capsys.readouterr()
    response = client.get("/api/auth/me", headers={"Authorization": customer.headers["Authorization"] + "x"})
    assert response.status_code == 401
    [entry] = request_lines(logged_lines(capsys))
    assert (entry["status"], entry["user_id"]) == (401, None)


def test_the_subject_of_a_refresh_token_is_the_user(make_app, customer, capsys):
    client = make_app("production").test_client()
    capsys.readouterr()
    response = client.post("/api/auth/refresh", headers={"Authorization": f"Bearer {customer.refresh_token}"})
    assert response.status_code == 200
    [entry] = request_lines(logged_lines(capsys))
    assert (entry["path"], entry["user_id"]) == ("/api/auth/refresh", customer.id)


def test_lines_outside_a_request_are_json_too(make_app, capsys):
    make_app("production")
    capsys.readouterr()
    logging.getLogger("huey").warning("queue %s is slow", "events")
    [line] = logged_lines(capsys)
    entry = json.loads(line)
    assert {key: entry[key] for key in ("level", "logger", "message", "request_id")} == {
        "level": "WARNING", "logger": "huey", "message": "queue events is slow", "request_id": "-"}


def test_development_writes_readable_lines(make_app, capsys):
    client = make_app("development").test_client()
    capsys.readouterr()
    assert client.get("/health", headers={"X-Request-ID": "obs-dev-1"}).status_code == 200
    [line] = logged_lines(capsys)
    assert re.fullmatch(r"\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\] INFO in app\.requests \[obs-dev-1\]: "
                        r"GET /health 200 \d+\.\dms request_id=obs-dev-1", line), line


def test_testing_writes_readable_lines(make_app, capsys):
    client = make_app("testing").test_client()
    capsys.readouterr()
    assert client.get("/health", headers={"X-Request-ID": "obs-test-1"}).status_code == 200
    [line] = logged_lines(capsys)
    assert re.fullmatch(r"\[[^]]+\] INFO in app\.requests \[obs-test-1\]: GET /health 200 \d+\.\dms "
                        r"request_id=obs-test-1", line), line


def test_log_format_and_level_are_settings(make_app, capsys):
    client = make_app("development", LOG_FORMAT="json").test_client()
    capsys.readouterr()
    client.get("/health")
    assert [entry["path"] for entry in request_lines(logged_lines(capsys))] == ["/health"]
    quiet = make_app("production", LOG_LEVEL="WARNING").test_client()
    capsys.readouterr()
    quiet.get("/health")
    assert logged_lines(capsys) == []


def test_an_unknown_log_format_is_refused(make_app):
    with pytest.raises(ValueError, match="LOG_FORMAT must be one of json, text"):
        make_app("production", LOG_FORMAT="xml")
