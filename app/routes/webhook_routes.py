"""Webhook routes (admin)."""
from app.openapi import Blueprint
from app.schemas.common import ErrorSchema, MessageSchema
from app.schemas.webhook import (WebhookCreatedSchema, WebhookCreateSchema, WebhookDeliveryArgs,
                                 WebhookDeliveryPageSchema, WebhookListSchema, WebhookOneSchema,
                                 WebhookRedeliverySchema, WebhookUpdateSchema)
from app.services import webhook_service
from app.utils.decorators import admin_only

blp = Blueprint("webhooks", __name__, url_prefix="/api/webhooks",
                description="Signed event notifications (Standard Webhooks) to URLs of the admin's choice")


@blp.route("", methods=["POST"])
@admin_only
@blp.arguments(WebhookCreateSchema)
@blp.response(201, WebhookCreatedSchema)
@blp.alt_response(400, schema=ErrorSchema, description="Bad body, or a URL refused as a private target")
def create_webhook(data):
    """Subscribe a URL to event types; the answer carries the signing secret, shown this once only."""
    webhook, secret = webhook_service.create_webhook(data)
    return {"webhook": webhook, "secret": secret}


@blp.route("", methods=["GET"])
@admin_only
@blp.response(200, WebhookListSchema)
def list_webhooks():
    """Every webhook, active or not."""
    return {"webhooks": webhook_service.list_webhooks()}


@blp.route("/<int:webhook_id>", methods=["GET"])
@admin_only
@blp.response(200, WebhookOneSchema)
def get_webhook(webhook_id):
    """One webhook, with why it was disabled if it was."""
    return {"webhook": webhook_service.get_webhook(webhook_id)}


@blp.route("/<int:webhook_id>", methods=["PUT"])
@admin_only
@blp.arguments(WebhookUpdateSchema)
@blp.response(200, WebhookOneSchema)
def update_webhook(data, webhook_id):
    """Change url, events, description or is_active (switching it back on clears the failures)."""
    return {"webhook": webhook_service.update_webhook(webhook_id, data)}


@blp.route("/<int:webhook_id>", methods=["DELETE"])
@admin_only
@blp.response(200, MessageSchema)
def delete_webhook(webhook_id):
    """Delete a webhook with its deliveries."""
    webhook_service.delete_webhook(webhook_id)
    return {"message": "Webhook deleted successfully"}


@blp.route("/<int:webhook_id>/deliveries", methods=["GET"])
@admin_only
@blp.arguments(WebhookDeliveryArgs, location="query")
@blp.response(200, WebhookDeliveryPageSchema)
def list_deliveries(args, webhook_id):
    """A webhook's deliveries, newest first, each with its attempts and next attempt time."""
    return webhook_service.list_deliveries(webhook_id, args["page"], args["per_page"])


@blp.route("/<int:webhook_id>/deliveries/<int:delivery_id>/redeliver", methods=["POST"])
@admin_only
@blp.response(202, WebhookRedeliverySchema)
@blp.alt_response(409, schema=ErrorSchema, description="The webhook is disabled")
def redeliver(webhook_id, delivery_id):
    """Attempt a delivery again now, whatever its state."""
    delivery = webhook_service.redeliver(webhook_id, delivery_id)
    return {"message": "Redelivery scheduled", "delivery": delivery}
