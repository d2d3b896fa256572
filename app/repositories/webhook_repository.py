"""Webhooks, their deliveries and attempts."""
from sqlalchemy import select

from app.enums import DeliveryState
from app.extensions import db
from app.models import Webhook, WebhookDelivery


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


def due_delivery_ids(now, limit):
    """Pending deliveries whose next attempt is due (or whose worker died holding them)."""
    return list(db.session.scalars(
        select(WebhookDelivery.id).where(WebhookDelivery.state == DeliveryState.PENDING,
                                         WebhookDelivery.available_at <= now)
        .order_by(WebhookDelivery.available_at).limit(limit)
    ))


def flush():
    db.session.flush()
