"""The last active admin is never lost: two admins ban, demote or delete each other at the same instant."""
import threading

import pytest

from app.extensions import db
from app.models import User
from app.services import user_admin_service
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


def _meet_in_the_service(monkeypatch, barrier):
    """Each admin action waits for the other one at the service's door: both requests are past authentication
    (which reads the caller's live status) before either changes anything."""
    for name in ("set_banned", "change_role", "delete_user", "update_user"):
        def meeting(*args, _real=getattr(user_admin_service, name), **kwargs):
            barrier.wait()
            return _real(*args, **kwargs)
        monkeypatch.setattr(user_admin_service, name, meeting)


def _race(app, actions, admins):
    """admins[0] does actions[0] to admins[1] while admins[1] does actions[1] to admins[0]; returns the statuses."""
    start = threading.Barrier(2, timeout=30)
    statuses, errors = [], []

    def act(action, actor, target):
        client = app.test_client()  # each thread: its own client, app context and database session
        start.wait()
        try:
            statuses.append(REQUESTS[action](client, target.id, actor.headers).status_code)
        except Exception as error:  # noqa: BLE001 - a crash must fail the test, not vanish with the thread
            errors.append(error)

    threads = [threading.Thread(target=act, args=(actions[0], admins[0], admins[1])),
               threading.Thread(target=act, args=(actions[1], admins[1], admins[0]))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return statuses


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
    _meet_in_the_service(monkeypatch, threading.Barrier(2, timeout=30))
    for _ in range(ROUNDS):
        _retire_every_account(app)  # the two new admins are the only active ones
        admins = [make_user(app, "admin"), make_user(app, "admin")]
        statuses = _race(app, actions, admins)
        assert sorted(statuses) == [200, 409]
        assert _active_admins(app) == 1
