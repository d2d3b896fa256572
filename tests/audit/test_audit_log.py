"""GET /api/audit-log (admin): filters, paging newest first, bad input 400; no route changes or deletes an entry."""
from datetime import datetime, timezone

import pytest

from app.extensions import db
from app.models import AuditEntry
from tests.audit.conftest import ENTRY_KEYS, entries
from tests.factories import make_product


@pytest.fixture
def log(app, admin, manager):
    """Five entries at known times: (actor, action, target_type, target_id, created_at)."""
    rows = [(admin.id, "admin", "product.update", "product", 1, datetime(2026, 3, 1, 9, 0)),
            (manager.id, "manager", "product.update", "product", 2, datetime(2026, 3, 1, 23, 59, 59)),
            (admin.id, "admin", "user.ban", "user", 7, datetime(2026, 3, 2, 0, 0)),
            (manager.id, "manager", "stock.adjust", "product", 1, datetime(2026, 3, 5, 12, 0)),
            (admin.id, "admin", "order.refund", "order", 3, datetime(2026, 4, 1, 8, 30))]
    with app.app_context():
        ids = []
        for actor_id, role, action, target_type, target_id, moment in rows:
            entry = AuditEntry(actor_id=actor_id, actor_role=role, action=action, target_type=target_type,
                               target_id=target_id, changes={"field": [1, 2]}, request_id=f"req-{len(ids)}",
                               created_at=moment.replace(tzinfo=timezone.utc))
            db.session.add(entry)
            db.session.flush()
            ids.append(entry.id)
        db.session.commit()
        db.session.remove()
    return ids


def listing(client, admin, query=""):
    response = client.get(f"/api/audit-log{query}", headers=admin.headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_the_list_is_newest_first_with_every_key(client, admin, manager, log):
    body = listing(client, admin)
    assert set(body) == {"entries", "total", "pages", "current_page", "per_page", "has_next", "has_prev"}
    assert [entry["id"] for entry in body["entries"]] == log[::-1]
    first = body["entries"][0]
    assert set(first) == ENTRY_KEYS
    assert first == {"id": log[4], "actor_id": admin.id, "actor_role": "admin", "action": "order.refund",
                     "target_type": "order", "target_id": 3, "changes": {"field": [1, 2]},
                     "created_at": "2026-04-01T08:30:00+00:00", "request_id": "req-4"}


def test_paging(client, admin, log):
    body = listing(client, admin, "?per_page=2&page=2")
    assert [entry["id"] for entry in body["entries"]] == [log[2], log[1]]
    assert (body["total"], body["pages"], body["current_page"], body["per_page"], body["has_next"],
            body["has_prev"]) == (5, 3, 2, 2, True, True)
    assert listing(client, admin, "?page=9")["entries"] == []


@pytest.mark.parametrize("query, expected", [
    ("?action=product.update", [1, 0]),
    ("?target_type=product", [3, 1, 0]),
    ("?target_type=product&target_id=1", [3, 0]),
    ("?from=2026-03-02", [4, 3, 2]),
    ("?to=2026-03-01", [1, 0]),  # a bare date `to` covers its whole day
    ("?from=2026-03-01T10:00:00&to=2026-03-05T12:00:00Z", [3, 2, 1]),
    ("?from=2026-03-02T01:00:00%2B02:00&to=2026-03-02", [2, 1]),  # 01:00+02:00 is 23:00 UTC the day before
    ("?action=user.ban&target_type=product", []),
    ("?action=nothing", []),
])
def test_filters(client, admin, log, query, expected):
    assert [entry["id"] for entry in listing(client, admin, query)["entries"]] == [log[i] for i in expected]


def test_actor_filter(client, admin, manager, log):
    assert [e["id"] for e in listing(client, admin, f"?actor_id={manager.id}")["entries"]] == [log[3], log[1]]


@pytest.mark.parametrize("query, field", [
    ("?from=yesterday", "from"), ("?to=2026-02-30", "to"), ("?from=2026-03-05&to=2026-03-01", "from"),
    ("?actor_id=abc", "actor_id"), ("?target_id=0", "target_id"), ("?target_id=99999999999", "target_id"),
    ("?target_id=1.5", "target_id"), ("?action=" + "a" * 61, "action"), ("?page=x", "page"),
])
def test_bad_filters_are_400(client, admin, log, query, field):
    response = client.get(f"/api/audit-log{query}", headers=admin.headers)
    assert response.status_code == 400
    body = response.get_json()
    assert body["code"] == "VALIDATION_FAILED" and field in body["details"]


@pytest.mark.parametrize("role, status", [("anonymous", 401), ("customer", 403), ("cashier", 403),
                                          ("manager", 403), ("admin", 200)])
def test_only_admins_read_the_log(client, actors, role, status):
    headers = actors[role].headers if actors[role] else {}
    response = client.get("/api/audit-log", headers=headers)
    assert response.status_code == status and response.is_json


@pytest.mark.parametrize("method", ["put", "patch", "delete", "post"])
def test_no_route_changes_or_deletes_an_entry(app, client, admin, log, method):
    for path in (f"/api/audit-log/{log[0]}", "/api/audit-log"):
        response = getattr(client, method)(path, json={"action": "x"}, headers=admin.headers)
        assert response.status_code in (404, 405) and response.is_json
    assert len(entries(app)) == 5


def test_an_action_through_the_api_shows_in_the_log(app, client, admin):
    product_id = make_product(app, stock=3)
    client.post(f"/api/products/{product_id}/stock-adjustments", json={"delta": 2, "reason": "Found two"},
                headers={**admin.headers, "X-Request-ID": "req-found"})
    [entry] = listing(client, admin, f"?target_type=product&target_id={product_id}")["entries"]
    assert {key: entry[key] for key in ENTRY_KEYS - {"id", "created_at"}} == {
        "actor_id": admin.id, "actor_role": "admin", "action": "stock.adjust", "target_type": "product",
        "target_id": product_id, "changes": {"stock_quantity": [3, 5]}, "request_id": "req-found"}
