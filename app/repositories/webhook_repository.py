"""Webhooks, their deliveries and attempts."""
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from app.enums import DeliveryState
from app.extensions import db
from app.models import Webhook, WebhookDelivery
from app.repositories.paging import paginate


def add(webhook):
    db.session.add(webhook)
    return webhook


def get(webhook_id):
    return db.session.get(Webhook, webhook_id)


def list_all():
    return list(db.session.scalars(select(Webhook).order_by(Webhook.id)))


def delete(webhook):
    """Its deliveries and their attempts go with it (ON DELETE CASCADE)."""
    db.session.delete(webhook)


def subscribed_to(event_type):
    """Active webhooks listening to an event type (the list is short: filtered here, not in JSON SQL)."""
    webhooks = db.session.scalars(select(Webhook).where(Webhook.is_active.is_(True)).order_by(Webhook.id))
    return [webhook for webhook in webhooks if event_type in webhook.events]


def delivery_exists(webhook_id, event_id):
    return db.session.scalar(select(WebhookDelivery.id).where(
        WebhookDelivery.webhook_id == webhook_id, WebhookDelivery.event_id == event_id)) is not None


def add_delivery(delivery):
    db.session.add(delivery)
    return delivery


def get_delivery(delivery_id):
    return db.session.get(WebhookDelivery, delivery_id, populate_existing=True)


def get_delivery_for_webhook(webhook_id, delivery_id):
    """A delivery of this webhook, None for another webhook's."""
    return db.session.scalar(select(WebhookDelivery).where(
        WebhookDelivery.id == delivery_id, WebhookDelivery.webhook_id == webhook_id))


def list_deliveries(webhook_id, page, per_page):
    """A webhook's deliveries, newest first, with their event and attempts (three queries whatever the page)."""
    stmt = (select(WebhookDelivery).where(WebhookDelivery.webhook_id == webhook_id)
            .options(selectinload(WebhookDelivery.event), selectinload(WebhookDelivery.attempts))
            .order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id.desc()))
    count = select(func.count()).select_from(WebhookDelivery).where(WebhookDelivery.webhook_id == webhook_id)
    return paginate(stmt, page, per_page, count)


def claim_delivery(delivery_id, now, until):
    """Take a due pending delivery until `until`, counting the attempt; its attempt number, or None if not taken."""
    claimed = db.session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.id == delivery_id, WebhookDelivery.state == DeliveryState.PENDING,
               WebhookDelivery.available_at <= now)
        .values(available_at=until, attempt_count=WebhookDelivery.attempt_count + 1)
    )
    if claimed.rowcount != 1:
        return None
    return db.session.scalar(select(WebhookDelivery.attempt_count).where(WebhookDelivery.id == delivery_id))


def finish_attempt(delivery_id, attempt_number, **values):
    """Update a delivery still held by this attempt; False when a later claim (after ours ran out) took it over."""
    return db.session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.id == delivery_id, WebhookDelivery.state == DeliveryState.PENDING,
               WebhookDelivery.attempt_count == attempt_number)
        .values(**values)
    ).rowcount == 1


def mark_succeeded(delivery_id, at):
    """A 2xx ends the delivery whoever holds it now: sending it again would be pointless."""
    return db.session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.id == delivery_id, WebhookDelivery.state == DeliveryState.PENDING)
        .values(state=DeliveryState.SUCCEEDED, delivered_at=at)
    ).rowcount == 1


def add_attempt(attempt):
    db.session.add(attempt)
    return attempt


def reset_failures(webhook_id):
    db.session.execute(update(Webhook).where(Webhook.id == webhook_id, Webhook.consecutive_failures != 0)
                       .values(consecutive_failures=0))


def count_failure(webhook_id, disable_after, reason):
    """One more failed event (in SQL, so concurrent workers add up); at the limit the webhook is switched off."""
    db.session.execute(update(Webhook).where(Webhook.id == webhook_id)
                       .values(consecutive_failures=Webhook.consecutive_failures + 1))
    db.session.execute(update(Webhook)
                       .where(Webhook.id == webhook_id, Webhook.is_active.is_(True),
                              Webhook.consecutive_failures >= disable_after)
                       .values(is_active=False, disabled_reason=reason))


def due_delivery_ids(now, limit):
    """Pending deliveries whose next attempt is due (or whose worker died holding them)."""
    return list(db.session.scalars(
        select(WebhookDelivery.id).where(WebhookDelivery.state == DeliveryState.PENDING,
                                         WebhookDelivery.available_at <= now)
        .order_by(WebhookDelivery.available_at).limit(limit)
    ))


def flush():
    db.session.flush()
