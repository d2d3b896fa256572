"""The Postman collection covers every route of the app and asserts something on every request."""
import json
import re
from pathlib import Path

import pytest
from werkzeug.exceptions import MethodNotAllowed, NotFound

POSTMAN_DIR = Path(__file__).resolve().parents[2] / "postman"
COLLECTION = POSTMAN_DIR / "Go2Market.postman_collection.json"
IGNORED_METHODS = {"HEAD", "OPTIONS"}
VARIABLE = re.compile(r"\{\{[^}]+\}\}")


def walk(items, folder=""):
    for item in items:
        if "item" in item:
            yield from walk(item["item"], f"{folder}{item['name']}/")
        else:
            yield f"{folder}{item['name']}", item


@pytest.fixture(scope="module")
def collection():
    return json.loads(COLLECTION.read_text())


@pytest.fixture(scope="module")
def requests(collection):
    return dict(walk(collection["item"]))


def path_of(request):
    """The URL path with {{base_url}} and the query string dropped and every {{variable}} made a number."""
    raw = request["url"]["raw"].split("?", 1)[0]
    assert raw.startswith("{{base_url}}/"), raw
    return VARIABLE.sub("1", raw[len("{{base_url}}"):])


def script(item, listen):
    return "\n".join(line for event in item.get("event", []) if event["listen"] == listen
                     for line in event["script"]["exec"])


def test_collection_metadata(collection):
    assert collection["info"]["name"] == "Go2Market API"
    assert collection["info"]["schema"] == "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
    variables = {v["key"]: v["value"] for v in collection["variable"]}
    assert variables["base_url"] == "http://localhost:5000"
    for role in ("admin", "manager", "cashier", "customer"):
        assert f"{role}_token" in variables and f"{role}_refresh_token" in variables


def test_folders_follow_the_reference(collection):
    names = [folder["name"] for folder in collection["item"]]
    for expected in ("Authentication", "Products", "Categories", "Cart", "Orders/Customer", "Orders/Staff",
                     "Orders/Manager", "Orders/Admin", "Users/Profile", "Users/Manager", "Users/Admin", "Health"):
        assert expected in names
    assert names[-1] == "Logout"  # revocation runs last, after every request that needs the tokens


def test_every_route_is_requested(app, requests):
    adapter = app.url_map.bind("localhost")
    covered = set()
    for name, item in requests.items():
        method = item["request"]["method"]
        try:
            endpoint, _ = adapter.match(path_of(item["request"]), method=method)
        except (NotFound, MethodNotAllowed):
            continue  # the negative checks: unknown URL, wrong method
        covered.add((endpoint, method))
    routes = {(rule.endpoint, method) for rule in app.url_map.iter_rules() if rule.endpoint != "static"
              for method in rule.methods - IGNORED_METHODS}
    assert routes - covered == set()


def test_every_request_asserts_its_status(requests):
    for name, item in requests.items():
        tests = script(item, "test")
        assert "pm.test(" in tests, name
        assert "pm.response.to.have.status(" in tests, name


@pytest.mark.parametrize("role", ["admin", "manager", "cashier", "customer"])
def test_role_logins_save_their_tokens(requests, role):
    tests = script(requests[f"Authentication/Login {role.capitalize()}"], "test")
    assert f'pm.collectionVariables.set("{role}_token", body.access_token)' in tests
    assert f'pm.collectionVariables.set("{role}_refresh_token", body.refresh_token)' in tests


def test_upload_sends_a_committed_png(requests):
    body = requests["Products/Upload Product Image (Manager)"]["request"]["body"]
    (part,) = body["formdata"]
    assert part["type"] == "file"
    assert (POSTMAN_DIR / part["src"]).read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_seed_admin_is_never_banned_or_deleted(requests):
    for name, item in requests.items():
        request = item["request"]
        if request["url"]["raw"].startswith("{{base_url}}/api/users/{{admin_user_id}}"):
            assert "pm.response.to.have.status(400)" in script(item, "test"), name
