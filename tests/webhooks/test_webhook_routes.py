"""Webhook administration: CRUD, validation, permissions and the SSRF guard."""
import base64

import pytest

from tests.webhooks.conftest import ALL_EVENTS

URL = "http://93.184.216.34/hooks"  # a public literal: accepted, never actually called by these tests


def create(client, admin, **body):
    return client.post("/api/webhooks", headers=admin.headers,
                       json={"url": URL, "events": ["order.created"], **body})


def test_create_answers_the_webhook_and_a_secret_shown_only_then(client, admin):
    response = create(client, admin, events=["order.created", "stock.low", "order.created"], description="ERP")
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == {"webhook", "secret"}
    assert body["secret"].startswith("whsec_")
    assert len(base64.b64decode(body["secret"].removeprefix("whsec_"), validate=True)) == 32
    webhook = body["webhook"]
    assert {key: webhook[key] for key in ("url", "events", "description", "is_active", "disabled_reason",
                                          "consecutive_failures")} == {
        "url": URL, "events": ["order.created", "stock.low"], "description": "ERP", "is_active": True,
        "disabled_reason": None, "consecutive_failures": 0}
    assert "secret" not in webhook

    listed = client.get("/api/webhooks", headers=admin.headers)
    one = client.get(f"/api/webhooks/{webhook['id']}", headers=admin.headers)
    assert listed.status_code == 200 and one.status_code == 200
    assert listed.get_json() == {"webhooks": [webhook]}
    assert one.get_json() == {"webhook": webhook}
    assert body["secret"] not in listed.get_data(as_text=True) + one.get_data(as_text=True)


def test_two_webhooks_get_different_secrets(client, admin):
    assert create(client, admin).get_json()["secret"] != create(client, admin).get_json()["secret"]


def test_every_public_event_may_be_subscribed(client, admin):
    response = create(client, admin, events=ALL_EVENTS)
    assert response.status_code == 201
    assert response.get_json()["webhook"]["events"] == ALL_EVENTS


def test_update_changes_the_given_fields(client, admin):
    webhook_id = create(client, admin, description="old").get_json()["webhook"]["id"]
    response = client.put(f"/api/webhooks/{webhook_id}", headers=admin.headers, json={
        "url": "https://93.184.216.34/v2", "events": ["product.updated"], "description": None, "is_active": False,
        "secret": "whsec_mine", "consecutive_failures": 7})
    assert response.status_code == 200
    webhook = response.get_json()["webhook"]
    assert (webhook["url"], webhook["events"], webhook["description"], webhook["is_active"],
            webhook["consecutive_failures"]) == ("https://93.184.216.34/v2", ["product.updated"], None, False, 0)


def test_delete_removes_the_webhook(client, admin):
    webhook_id = create(client, admin).get_json()["webhook"]["id"]
    response = client.delete(f"/api/webhooks/{webhook_id}", headers=admin.headers)
    assert response.status_code == 200
    assert response.get_json() == {"message": "Webhook deleted successfully"}
    assert client.get(f"/api/webhooks/{webhook_id}", headers=admin.headers).status_code == 404
    assert client.get("/api/webhooks", headers=admin.headers).get_json() == {"webhooks": []}


@pytest.mark.parametrize("method, path", [
    ("GET", "/api/webhooks/999999"), ("PUT", "/api/webhooks/999999"), ("DELETE", "/api/webhooks/999999"),
    ("GET", "/api/webhooks/999999/deliveries"), ("POST", "/api/webhooks/999999/deliveries/1/redeliver"),
])
def test_an_unknown_webhook_is_404(client, admin, method, path):
    response = client.open(path, method=method, headers=admin.headers, json={} if method == "PUT" else None)
    assert response.status_code == 404
    assert response.get_json()["error"] == "Webhook not found"


def test_an_unknown_delivery_is_404(client, admin):
    webhook_id = create(client, admin).get_json()["webhook"]["id"]
    response = client.post(f"/api/webhooks/{webhook_id}/deliveries/999999/redeliver", headers=admin.headers)
    assert response.status_code == 404
    assert response.get_json()["error"] == "Delivery not found"


@pytest.mark.parametrize("body, field, message", [
    ({"events": ["order.created"]}, "url", "Missing data for required field."),
    ({"url": URL}, "events", "Missing data for required field."),
    ({"url": URL, "events": []}, "events", "Subscribe to at least one event."),
    ({"url": URL, "events": "order.created"}, "events", "Not a valid list."),
    ({"url": URL, "events": [None]}, "events", "Field may not be null."),
    ({"url": "ftp://93.184.216.34/x", "events": ["order.created"]}, "url",
     "Must be an http:// or https:// URL with a host."),
    ({"url": "http:///path-only", "events": ["order.created"]}, "url",
     "Must be an http:// or https:// URL with a host."),
    ({"url": "not a url", "events": ["order.created"]}, "url", "Must be an http:// or https:// URL with a host."),
    ({"url": "http://93.184.216.34:99999/", "events": ["order.created"]}, "url", "Not a valid URL."),
    ({"url": "http://93.184.216.34/" + "a" * 2030, "events": ["order.created"]}, "url",
     "Length must be between 1 and 2048."),
    ({"url": 42, "events": ["order.created"]}, "url", "Not a valid string."),
    ({"url": URL, "events": ["order.created"], "description": "d" * 501}, "description",
     "Longer than maximum length 500."),
])
def test_bad_bodies_are_400_naming_the_field(client, admin, body, field, message):
    response = client.post("/api/webhooks", headers=admin.headers, json=body)
    assert response.status_code == 400
    error = response.get_json()
    assert error["error"] == "Validation failed"
    messages = error["details"][field]
    flat = [m for value in (messages.values() if isinstance(messages, dict) else [messages]) for m in value]
    assert message in flat


@pytest.mark.parametrize("event", ["auth.password_reset_requested", "auth.password_changed", "order.shipped", ""])
def test_unknown_and_internal_events_are_refused(client, admin, event):
    response = create(client, admin, events=["order.created", event])
    assert response.status_code == 400
    assert response.get_json()["details"]["events"]["1"][0].startswith("Unknown event type; one of: order.created,")


def test_update_validates_too(client, admin):
    webhook_id = create(client, admin).get_json()["webhook"]["id"]
    response = client.put(f"/api/webhooks/{webhook_id}", headers=admin.headers, json={"events": [], "url": "x"})
    assert response.status_code == 400
    assert response.get_json()["details"] == {"events": ["Subscribe to at least one event."],
                                              "url": ["Must be an http:// or https:// URL with a host."]}


@pytest.mark.parametrize("body", ["null", "[]", "{bad json"])
def test_malformed_bodies_are_400(client, admin, body):
    response = client.post("/api/webhooks", headers={**admin.headers, "Content-Type": "application/json"}, data=body)
    assert response.status_code == 400
    assert response.get_json()["error"]


ROUTES = [("POST", "/api/webhooks"), ("GET", "/api/webhooks"), ("GET", "/api/webhooks/{id}"),
          ("PUT", "/api/webhooks/{id}"), ("DELETE", "/api/webhooks/{id}"), ("GET", "/api/webhooks/{id}/deliveries"),
          ("POST", "/api/webhooks/{id}/deliveries/1/redeliver")]


@pytest.mark.parametrize("method, path", ROUTES)
@pytest.mark.parametrize("role, status", [("anonymous", 401), ("customer", 403), ("cashier", 403), ("manager", 403)])
def test_only_admins_may_touch_webhooks(client, actors, method, path, role, status):
    webhook_id = create(client, actors["admin"]).get_json()["webhook"]["id"]
    actor = actors[role]
    response = client.open(path.format(id=webhook_id), method=method, headers=actor.headers if actor else {},
                           json={"url": URL, "events": ["order.created"]} if method in ("POST", "PUT") else None)
    assert response.status_code == status
    assert response.get_json()["error"]
    assert client.get(f"/api/webhooks/{webhook_id}", headers=actors["admin"].headers).get_json()["webhook"][
        "url"] == URL


@pytest.fixture
def private_targets_refused(settings):
    settings(WEBHOOK_ALLOW_PRIVATE_TARGETS=False)


@pytest.mark.parametrize("url", ["http://127.0.0.1/", "http://10.0.0.1/", "http://169.254.169.254/latest/meta-data",
                                 "http://localhost/", "http://[::1]:8080/", "http://0.0.0.0/", "http://192.168.1.5/",
                                 "http://[::ffff:127.0.0.1]/", "http://224.0.0.1/", "http://100.64.0.1/"])
def test_private_targets_are_refused(client, admin, private_targets_refused, url):
    response = client.post("/api/webhooks", headers=admin.headers, json={"url": url, "events": ["order.created"]})
    assert response.status_code == 400
    assert response.get_json()["details"] == {
        "url": ["The URL's host resolves to a loopback, private, link-local or reserved address"]}


def test_a_host_that_does_not_resolve_is_refused(client, admin, private_targets_refused):
    response = client.post("/api/webhooks", headers=admin.headers,
                           json={"url": "http://no-such-host.invalid/", "events": ["order.created"]})
    assert response.status_code == 400
    assert response.get_json()["details"] == {"url": ["The URL's host could not be resolved"]}


def test_a_public_address_is_accepted(client, admin, private_targets_refused):
    assert create(client, admin).status_code == 201


def test_update_to_a_private_target_is_refused(client, admin, private_targets_refused):
    webhook_id = create(client, admin).get_json()["webhook"]["id"]
    response = client.put(f"/api/webhooks/{webhook_id}", headers=admin.headers, json={"url": "http://127.0.0.1/x"})
    assert response.status_code == 400
    assert client.get(f"/api/webhooks/{webhook_id}", headers=admin.headers).get_json()["webhook"]["url"] == URL


def test_private_targets_are_allowed_when_configured(client, admin):
    response = client.post("/api/webhooks", headers=admin.headers,
                           json={"url": "http://127.0.0.1:9/hooks", "events": ["order.created"]})
    assert response.status_code == 201
