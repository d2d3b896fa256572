"""Audit log helpers: the entries as stored."""
import pytest

from app.extensions import db
from app.models import AuditEntry

ENTRY_KEYS = {"id", "actor_id", "actor_role", "action", "target_type", "target_id", "changes", "created_at",
              "request_id"}


def entries(app, action=None):
    """(actor_id, actor_role, action, target_type, target_id, changes) of the stored entries, oldest first."""
    with app.app_context():
        stmt = db.select(AuditEntry).order_by(AuditEntry.id)
        if action is not None:
            stmt = stmt.where(AuditEntry.action == action)
        rows = [(e.actor_id, e.actor_role, e.action, e.target_type, e.target_id, e.changes)
                for e in db.session.scalars(stmt)]
        db.session.remove()
    return rows


def stored_rows(app):
    """Every entry as a dict of all its columns (what a secret scan reads)."""
    with app.app_context():
        rows = [{column.name: getattr(entry, column.name) for column in AuditEntry.__table__.columns}
                for entry in db.session.scalars(db.select(AuditEntry))]
        db.session.remove()
    return rows


@pytest.fixture
def ok(client):
    """ok(method, path, actor, json=None, status=200) -> the body of a request that must answer status."""
    def call(method, path, actor, json=None, status=200, headers=None):
        response = getattr(client, method)(path, json=json, headers={**actor.headers, **(headers or {})})
        assert response.status_code == status, response.get_json()
        return response.get_json()
    return call
