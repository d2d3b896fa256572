"""The OpenAPI description covers every route the app serves, with the bearer scheme."""
import re

import pytest

# Served by the framework or for the docs themselves, not API operations.
UNDOCUMENTED_ENDPOINTS = {"static", "api-docs.openapi_json", "api-docs.openapi_swagger_ui"}


def _spec(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def _flask_path_to_openapi(rule):
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def test_every_route_appears_in_the_spec(app, client):
    paths = _spec(client)["paths"]
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in UNDOCUMENTED_ENDPOINTS:
            continue
        path = _flask_path_to_openapi(rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if method.lower() not in paths.get(path, {}):
                missing.append(f"{method} {path}")
    assert missing == []


def test_spec_declares_bearer_auth(client):
    scheme = _spec(client)["components"]["securitySchemes"]["bearerAuth"]
    assert scheme == {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}


def test_error_schema_is_our_envelope(client):
    error = _spec(client)["components"]["schemas"]["Error"]
    assert {"error", "code"} <= set(error["properties"])


@pytest.mark.parametrize("path", ["/static/swagger-ui/swagger-ui-bundle.js", "/static/swagger-ui/swagger-ui.css"])
def test_docs_assets_are_served_locally(client, path):
    assert client.get(path).status_code == 200


def test_docs_page_references_only_local_assets(client):
    html = client.get("/api/docs").get_data(as_text=True)
    assert "/static/swagger-ui/swagger-ui-bundle.js" in html
    assert "http://" not in html and "https://" not in html
