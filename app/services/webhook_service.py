"""Webhooks: an event owed to each subscribed webhook becomes one delivery row."""
from app.enums import INTERNAL_EVENTS
from app.models import WebhookDelivery
from app.repositories import webhook_repository


def fan_out(event):
    """Create the event's deliveries (once each, whatever the retries); returns their ids."""
    if event.type in INTERNAL_EVENTS:
        return []
    deliveries = [
        webhook_repository.add_delivery(WebhookDelivery(webhook_id=webhook.id, event_id=event.id,
                                                        available_at=event.created_at))
        for webhook in webhook_repository.subscribed_to(event.type)
        if not webhook_repository.delivery_exists(webhook.id, event.id)
    ]
    webhook_repository.flush()
    return [delivery.id for delivery in deliveries]
