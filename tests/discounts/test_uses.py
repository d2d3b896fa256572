"""The use counter: one conditional UPDATE per use, exact under 20 simultaneous takers, never below zero."""
from sqlalchemy import update

from app.extensions import db
from app.models import Discount
from app.repositories import discount_repository
from app.services.unit_of_work import unit_of_work
from tests.concurrency import at_once
from tests.factories import make_discount

TAKERS = 20
ROUNDS = 3


def _take(app, discount_id):
    with app.app_context(), unit_of_work():
        return discount_repository.take_use(discount_id)


def _give_back(app, discount_id):
    with app.app_context(), unit_of_work():
        discount_repository.give_back(discount_id)


def test_take_use_counts_until_the_limit(app, discount_row):
    discount_id = make_discount(app, usage_limit=2)
    assert [_take(app, discount_id) for _ in range(3)] == [True, True, False]
    assert discount_row(discount_id)["times_used"] == 2


def test_take_use_without_a_limit_always_counts(app, discount_row):
    discount_id = make_discount(app)
    assert [_take(app, discount_id) for _ in range(4)] == [True] * 4
    assert discount_row(discount_id)["times_used"] == 4


def test_take_use_of_an_inactive_or_missing_code_counts_nothing(app, discount_row):
    discount_id = make_discount(app, is_active=False)
    assert _take(app, discount_id) is False
    assert _take(app, discount_id + 1000) is False
    assert discount_row(discount_id)["times_used"] == 0


def test_give_back_returns_one_use_and_never_goes_below_zero(app, discount_row):
    discount_id = make_discount(app, usage_limit=5, times_used=2)
    _give_back(app, discount_id)
    assert discount_row(discount_id)["times_used"] == 1
    _give_back(app, discount_id)
    _give_back(app, discount_id)
    assert discount_row(discount_id)["times_used"] == 0
    assert _take(app, discount_id) is True
    assert discount_row(discount_id)["times_used"] == 1


def test_twenty_takers_of_a_single_use_code_one_wins(app, discount_row):
    discount_id = make_discount(app, usage_limit=1)
    for _ in range(ROUNDS):
        with app.app_context():
            db.session.execute(update(Discount).where(Discount.id == discount_id).values(times_used=0))
            db.session.commit()
            db.session.remove()
        taken = at_once(app, *[lambda client: _take(app, discount_id)] * TAKERS)
        assert sorted(taken) == [False] * (TAKERS - 1) + [True]
        assert discount_row(discount_id)["times_used"] == 1


def test_twenty_takers_of_five_uses_five_win(app, discount_row):
    discount_id = make_discount(app, usage_limit=5)
    taken = at_once(app, *[lambda client: _take(app, discount_id)] * TAKERS)
    assert taken.count(True) == 5
    assert discount_row(discount_id)["times_used"] == 5
