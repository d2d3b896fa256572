"""The category tree never gets a cycle: two moves that would close one, made at the same instant, never both win."""
import pytest

from app.extensions import db
from app.models import Category
from app.services import category_service
from tests.concurrency import at_once, meet_at_the_door
from tests.factories import make_category

ROUNDS = 10


def _move(first, second):
    return lambda client, headers: client.put(f"/api/categories/{first}", json={"parent_id": second}, headers=headers)


def _reorder(first, second):
    return lambda client, headers: client.put("/api/categories/reorder", json={"updates": [
        {"id": first, "parent_id": second}]}, headers=headers)


def _at_once(app, headers, *requests):
    return [response.status_code for response in at_once(app, *[
        lambda client, request=request: request(client, headers) for request in requests])]


def _parents(app, *ids):
    with app.app_context():
        parents = {category.id: category.parent_id
                   for category in db.session.scalars(db.select(Category).where(Category.id.in_(ids)))}
        db.session.remove()
    return parents


@pytest.mark.parametrize("moves", [(_move, _move), (_move, _reorder), (_reorder, _reorder)],
                         ids=["update-update", "update-reorder", "reorder-reorder"])
def test_two_moves_closing_a_cycle_one_wins(app, admin, monkeypatch, moves):
    meet_at_the_door(monkeypatch, 2, (category_service, "update_category"),
                     (category_service, "reorder_categories"))
    for _ in range(ROUNDS):
        first, second = make_category(app), make_category(app)
        statuses = _at_once(app, admin.headers, moves[0](first, second), moves[1](second, first))
        assert sorted(statuses) == [200, 409]
        parents = _parents(app, first, second)
        assert parents in ({first: second, second: None}, {first: None, second: first})
