"""The task queue (Huey): the worker dispatches outbox events, delivers webhooks, sweeps and purges.

The API only writes outbox rows; the queue carries the worker's own work. Each running worker queues a sweep every
OUTBOX_SWEEP_SECONDS (Huey's periodic tasks run at most once a minute), which hands every due event and delivery
to a task. Every task re-reads its row and claims it, so a task lost with a dying worker or a duplicate costs
nothing: the next sweep finds the row again.
"""
import logging
from pathlib import Path

from flask import current_app
from huey import RedisHuey, SqliteHuey, crontab
from sqlalchemy.engine import make_url

log = logging.getLogger(__name__)


def init_app(app):
    """Build the app's Huey from TASK_QUEUE_URL and register the tasks on it."""
    huey = _huey_for(app.config["TASK_QUEUE_URL"])

    def in_app(function):
        def run(*args):
            with app.app_context():
                return function(*args)
        run.__name__ = function.__name__
        return run

    @huey.task(name="dispatch_event")
    @in_app
    def dispatch_event(event_id):
        from app.services import outbox_service

        for delivery_id in outbox_service.dispatch(event_id):
            deliver_webhook(delivery_id)

    @huey.task(name="deliver_webhook")
    @in_app
    def deliver_webhook(delivery_id):
        from app.services import webhook_delivery_service

        retry_in = webhook_delivery_service.deliver(delivery_id)
        if retry_in is not None:
            deliver_webhook.schedule((delivery_id,), delay=retry_in)

    @huey.task(name="sweep")
    @in_app
    def sweep():
        from app.services import outbox_service

        event_ids, delivery_ids = outbox_service.due_work()
        for event_id in event_ids:
            dispatch_event(event_id)
        for delivery_id in delivery_ids:
            deliver_webhook(delivery_id)

    @huey.periodic_task(crontab(minute="17"), name="purge")
    @in_app
    def purge():
        from app.services import maintenance_service

        log.info("purged %s", maintenance_service.purge())

    @huey.periodic_task(crontab(minute="47"), name="analyze")
    @in_app
    def analyze():
        from app.services import maintenance_service

        log.info("planner statistics refreshed: %s", maintenance_service.refresh_statistics())

    app.extensions["huey"] = huey
    app.extensions["tasks"] = {"dispatch_event": dispatch_event, "deliver_webhook": deliver_webhook,
                               "sweep": sweep, "purge": purge, "analyze": analyze}
    return huey


def task(name):
    return current_app.extensions["tasks"][name]


def _huey_for(url):
    """RedisHuey for redis:// URLs, SqliteHuey for sqlite:///<file> (the default, a file under instance/)."""
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey("go2market", url=url)
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        raise ValueError(f"TASK_QUEUE_URL must be redis://... or sqlite:///<file>, not {url!r}")
    path = Path(parsed.database)
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("go2market", filename=str(path))
