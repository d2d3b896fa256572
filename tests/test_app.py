"""The root endpoints, the error envelope, and the headers every response carries."""
import pytest
from sqlalchemy.exc import OperationalError

from app.extensions import db
from tests.shapes import with_request_id


def test_index_lists_the_main_endpoints(client):
    body = client.get("/").get_json()
    assert body["name"] == "Flask E-commerce API"
    assert body["status"] == "running"
    assert body["endpoints"]["products"] == "/api/products"


def test_liveness_is_a_plain_answer(client):
    assert client.get("/health").get_json() == {"status": "healthy"}


def test_api_index_has_the_contract_shape(client):
    body = client.get("/api").get_json()
    assert body["message"] == "Welcome to the E-commerce API"
    assert body["endpoints"]["cart"]["add_item"] == "POST /api/cart/items"


def test_readiness_checks_the_database(client):
    response = client.get("/api/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "healthy", "database": "ok"}


def test_readiness_answers_503_json_when_the_database_fails(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    with client.application.app_context():
        monkeypatch.setattr(db.session, "execute", broken)
        response = client.get("/api/health")
    assert response.status_code == 503
    body = response.get_json()
    assert body["code"] == "DATABASE_UNAVAILABLE"
    assert int(response.headers["Retry-After"]) > 0
    assert "connection refused" not in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/nope", "/api/products/", "/api/orders/abc"])
def test_unknown_routes_are_404_json(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.get_json() == with_request_id(response, {"error": "Resource not found", "code": "NOT_FOUND"})


def test_wrong_method_is_405_json_with_allow(client):
    response = client.delete("/health")
    assert response.status_code == 405
    assert response.get_json()["code"] == "METHOD_NOT_ALLOWED"
    assert "GET" in response.headers["Allow"]


def test_security_headers_on_every_response(client):
    for path in ("/", "/nope"):
        headers = client.get(path).headers
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "no-referrer"


def test_cors_allows_the_configured_spa_origin(client):
    response = client.options("/api/health", headers={
        "Origin": "http://localhost:5173", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "Authorization"})
    assert response.headers["Access-Control-Allow-Origin"] == "http://localhost:5173"


def test_cors_does_not_reflect_other_origins(client):
    response = client.get("/api/health", headers={"Origin": "http://evil.example"})
    assert "Access-Control-Allow-Origin" not in response.headers
