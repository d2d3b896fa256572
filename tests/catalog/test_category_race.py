"""The category tree never gets a cycle: two moves that would close one, made at the same instant, never both win."""
import threading

import pytest

from app.extensions import db
from app.models import Category
from app.services import category_service
from tests.factories import make_category

ROUNDS = 10


def _move(first, second):
    return lambda client, headers: client.put(f"/api/categories/{first}", json={"parent_id": second}, headers=headers)


def _reorder(first, second):
    return lambda client, headers: client.put("/api/categories/reorder", json={"updates": [
        {"id": first, "parent_id": second}]}, headers=headers)


def _meet_in_the_service(monkeypatch, barrier):
    """Both requests wait for each other at the service's door, so both have read nothing before either moves."""
    for name in ("update_category", "reorder_categories"):
        def meeting(*args, _real=getattr(category_service, name), **kwargs):
            barrier.wait()
            return _real(*args, **kwargs)
        monkeypatch.setattr(category_service, name, meeting)


def _at_once(app, headers, *requests):
    start = threading.Barrier(len(requests), timeout=30)
    statuses, errors = [], []

    def run(request):
        client = app.test_client()  # each thread: its own client, app context and database session
        start.wait()
        try:
            statuses.append(request(client, headers).status_code)
        except Exception as error:  # noqa: BLE001 - a crash must fail the test, not vanish with the thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(request,)) for request in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return statuses


def _parents(app, *ids):
    with app.app_context():
        parents = {category.id: category.parent_id
                   for category in db.session.scalars(db.select(Category).where(Category.id.in_(ids)))}
        db.session.remove()
    return parents


@pytest.mark.parametrize("moves", [(_move, _move), (_move, _reorder), (_reorder, _reorder)],
                         ids=["update-update", "update-reorder", "reorder-reorder"])
def test_two_moves_closing_a_cycle_one_wins(app, admin, monkeypatch, moves):
    _meet_in_the_service(monkeypatch, threading.Barrier(2, timeout=30))
    for _ in range(ROUNDS):
        first, second = make_category(app), make_category(app)
        statuses = _at_once(app, admin.headers, moves[0](first, second), moves[1](second, first))
        assert sorted(statuses) == [200, 409]
        parents = _parents(app, first, second)
        assert parents in ({first: second, second: None}, {first: None, second: first})
