"""The last active admin is never lost: two admins ban, demote or delete each other at the same instant."""
import pytest

from app.extensions import db
from app.models import User
from app.services import user_admin_service
from tests.concurrency import at_once, meet_at_the_door
from tests.factories import make_user

ROUNDS = 10
REQUESTS = {
    "ban": lambda client, target, headers: client.post(f"/api/users/{target}/ban", headers=headers),
    "demote": lambda client, target, headers: client.put(f"/api/users/{target}/role", json={"role": "customer"},
                                                         headers=headers),
    "delete": lambda client, target, headers: client.delete(f"/api/users/{target}", headers=headers),
    "deactivate": lambda client, target, headers: client.put(f"/api/users/{target}", json={"is_active": False},
                                                             headers=headers),
}


def _race(app, actions, admins):
    """admins[0] does actions[0] to admins[1] while admins[1] does actions[1] to admins[0]; returns the statuses."""
    responses = at_once(app, lambda client: REQUESTS[actions[0]](client, admins[1].id, admins[0].headers),
                        lambda client: REQUESTS[actions[1]](client, admins[0].id, admins[1].headers))
    return [response.status_code for response in responses]


def _active_admins(app):
    with app.app_context():
        count = db.session.scalar(db.select(db.func.count(User.id))
                                  .where(User.role == "admin", User.is_active.is_(True)))
        db.session.remove()
    return count


def _retire_every_account(app):
    with app.app_context():
        db.session.execute(db.update(User).values(is_active=False))
        db.session.commit()
        db.session.remove()


@pytest.mark.parametrize("actions", [
    ("ban", "ban"), ("demote", "demote"), ("delete", "delete"), ("deactivate", "deactivate"),
    ("ban", "demote"), ("delete", "deactivate"),
], ids="-".join)
def test_two_admins_removing_each_other_leave_one(app, monkeypatch, actions):
    meet_at_the_door(monkeypatch, 2, *[(user_admin_service, name) for name in
                                       ("set_banned", "change_role", "delete_user", "update_user")])
    for _ in range(ROUNDS):
        _retire_every_account(app)  # the two new admins are the only active ones
        admins = [make_user(app, "admin"), make_user(app, "admin")]
        statuses = _race(app, actions, admins)
        assert sorted(statuses) == [200, 409]
        assert _active_admins(app) == 1
