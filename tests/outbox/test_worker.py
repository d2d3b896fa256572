"""The real worker (`flask worker`): it drains the outbox, and the outbox row, not the queue, is the record."""
from datetime import timedelta

from app.extensions import db
from app.models import OutboxEvent
from app.models.base import utcnow
from app.services import events_service
from tests.factories import make_product
from tests.worker import wait_for


def state_of(app, event_id):
    with app.app_context():
        event = db.session.get(OutboxEvent, event_id)
        state = (event.state, event.dispatched_at is not None, event.attempts)
        db.session.remove()
    return state


def write_event(app, available_in=0):
    """An event committed as a change would commit it; available_in > 0 is a claim held by a worker until then."""
    with app.app_context():
        event = events_service.emit("product.updated", {"product": {"id": 1}})
        event.available_at = utcnow() + timedelta(seconds=available_in)
        db.session.commit()
        event_id = event.id
        db.session.remove()
    return event_id


def test_the_worker_dispatches_what_the_api_commits(app, client, customer, start_worker):
    start_worker()
    client.post("/api/cart/items", json={"product_id": make_product(app)}, headers=customer.headers)
    from tests.factories import ADDRESS
    assert client.post("/api/orders", json={"shipping_address": ADDRESS}, headers=customer.headers).status_code == 201
    with app.app_context():
        (event_id,) = db.session.scalars(db.select(OutboxEvent.id)).all()
        db.session.remove()
    assert wait_for(lambda: state_of(app, event_id)[0] == "dispatched", timeout=20, message="dispatch")
    assert state_of(app, event_id) == ("dispatched", True, 0)


def test_a_sweep_task_lost_with_its_worker_is_queued_again_by_the_next_worker(app, start_worker):
    event_id = write_event(app)
    worker = start_worker(OUTBOX_SWEEP_SECONDS=3600)  # one sweep, at its start
    worker.kill()  # it may die before its sweep ran
    app.extensions["huey"].flush()  # and what it had queued is gone
    start_worker(OUTBOX_SWEEP_SECONDS=3600)
    assert wait_for(lambda: state_of(app, event_id)[0] == "dispatched", timeout=20, message="sweep")


def test_a_claim_of_a_dead_worker_runs_out_and_another_worker_takes_the_event(app, start_worker):
    event_id = write_event(app, available_in=3)  # claimed by a worker that was killed holding it
    start_worker(OUTBOX_SWEEP_SECONDS=1)
    assert state_of(app, event_id)[0] == "pending"
    assert wait_for(lambda: state_of(app, event_id)[0] == "dispatched", timeout=20, message="claim to run out")


def test_a_killed_worker_loses_nothing(app, start_worker):
    worker = start_worker(OUTBOX_SWEEP_SECONDS=1)
    worker.kill()
    event_id = write_event(app)  # committed while no worker runs
    assert state_of(app, event_id) == ("pending", False, 0)
    start_worker(OUTBOX_SWEEP_SECONDS=1)
    assert wait_for(lambda: state_of(app, event_id)[0] == "dispatched", timeout=20, message="restart")
