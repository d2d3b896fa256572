"""Two admins create a method with the same code at the same instant: one 201, one 409, never a 500 or two rows."""
import pytest

from app.repositories import shipping_repository
from tests.concurrency import at_once, meet_at_the_door
from tests.shipping.conftest import BODY, method_count

ROUNDS = 5


def _create(admin, code):
    return lambda client: client.post("/api/shipping-methods", headers=admin.headers, json={**BODY, "code": code})


def _race(app, admin, codes):
    responses = at_once(app, *(_create(admin, code) for code in codes))
    return sorted(response.status_code for response in responses), [r.get_json().get("code") for r in responses]


@pytest.mark.parametrize("codes", [("rush", "rush"), ("rush", "RUSH")], ids=["same", "other-case"])
def test_two_creates_of_one_code_make_one_method(app, admin, codes):
    for round_number in range(ROUNDS):
        statuses, error_codes = _race(app, admin, [f"{code}-{round_number}" for code in codes])
        assert statuses == [201, 409]
        assert "SHIPPING_CODE_TAKEN" in error_codes
        assert method_count(app) == round_number + 1


def test_both_past_the_check_still_make_one_method(app, admin, monkeypatch):
    """Both requests find the code free, then both insert: the unique index decides and the loser is a 409."""
    meet_at_the_door(monkeypatch, 2, (shipping_repository, "code_taken"))
    for round_number in range(ROUNDS):
        statuses, error_codes = _race(app, admin, [f"rush-{round_number}"] * 2)
        assert statuses == [201, 409]
        assert "SHIPPING_CODE_TAKEN" in error_codes
        assert method_count(app) == round_number + 1
