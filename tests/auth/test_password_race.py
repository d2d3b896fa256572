"""Password changes at the same instant: no change is lost and no token outlives the password it came with."""
import pytest

from app.services import auth_service, user_admin_service
from tests.concurrency import at_once, meet_at_the_door
from tests.factories import bearer, make_user

ROUNDS = 10
CHANGE = "/api/auth/change-password"


def _logs_in(client, user, password):
    body = {"email_or_username": user.username, "password": password}
    return client.post("/api/auth/login", json=body).status_code == 200


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_reset_racing_a_change_leaves_no_token_of_the_losing_password(app, client, monkeypatch, round_):
    admin, customer = make_user(app, "admin"), make_user(app, "customer")
    meet_at_the_door(monkeypatch, 2, (auth_service, "change_password"), (user_admin_service, "reset_password"))
    changed, reset = at_once(
        app,
        lambda c: c.post(CHANGE, json={"old_password": customer.password, "new_password": "Changed123!"},
                         headers=customer.headers),
        lambda c: c.post(f"/api/users/{customer.id}/password-reset", json={"new_password": "ResetPass1!"},
                         headers=admin.headers),
    )
    assert reset.status_code == 200 and changed.status_code in (200, 400)
    change_won = _logs_in(client, customer, "Changed123!")
    assert change_won != _logs_in(client, customer, "ResetPass1!")  # exactly one password is in effect
    if changed.status_code == 200:
        # The change's tokens live exactly when its password is the one in effect (the reset came first).
        assert (client.get("/api/auth/me", headers=bearer(changed.get_json()["access_token"])).status_code
                == 200) is change_won
    else:
        assert not change_won
    assert client.get("/api/auth/me", headers=customer.headers).status_code == 401  # the first token is gone


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_two_changes_from_the_same_password_one_wins(app, client, monkeypatch, round_):
    customer = make_user(app, "customer")
    meet_at_the_door(monkeypatch, 2, (auth_service, "change_password"), (user_admin_service, "reset_password"))
    responses = at_once(app, *[
        lambda c, new=new: c.post(CHANGE, json={"old_password": customer.password, "new_password": new},
                                  headers=customer.headers)
        for new in ("FirstNew123!", "SecondNew123!")])
    assert sorted(response.status_code for response in responses) == [200, 400]
    winner = next(new for new, response in zip(("FirstNew123!", "SecondNew123!"), responses)
                  if response.status_code == 200)
    assert _logs_in(client, customer, winner)
    tokens = next(response.get_json() for response in responses if response.status_code == 200)
    assert client.get("/api/auth/me", headers=bearer(tokens["access_token"])).status_code == 200
