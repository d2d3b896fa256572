"""Webhooks: the admin's subscriptions, their deliveries, and the fan-out of each event into one delivery per webhook."""
import base64
import ipaddress
import logging
import secrets
import socket
from urllib.parse import urlsplit

from flask import current_app

from app.enums import INTERNAL_EVENTS, DeliveryState
from app.errors import Conflict, NotFound, ValidationFailed
from app.models import Webhook, WebhookDelivery
from app.models.base import utcnow
from app.repositories import webhook_repository
from app.services.unit_of_work import unit_of_work
from app.utils.pagination import page_result

log = logging.getLogger(__name__)
SECRET_PREFIX = "whsec_"


def list_webhooks():
    return webhook_repository.list_all()


def get_webhook(webhook_id):
    return _webhook(webhook_id)


def create_webhook(data):
    """A webhook with a new secret; returns (webhook, secret): the only time the secret is shown."""
    _check_target(data["url"])
    secret = SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()
    with unit_of_work():
        webhook = webhook_repository.add(Webhook(url=data["url"], events=data["events"],
                                                 description=data.get("description"), secret=secret,
                                                 is_active=True, consecutive_failures=0))
        webhook_repository.flush()
    return webhook, secret


def update_webhook(webhook_id, data):
    """Change url, events, description or is_active; switching a webhook back on forgets its failures."""
    if "url" in data:
        _check_target(data["url"])
    with unit_of_work():
        webhook = _webhook(webhook_id)
        if data.get("is_active") and not webhook.is_active:
            webhook.consecutive_failures, webhook.disabled_reason = 0, None
        for field, value in data.items():
            setattr(webhook, field, value)
    return webhook


def delete_webhook(webhook_id):
    """The webhook, its deliveries and their attempts; a delivery in flight finds it gone and stops."""
    with unit_of_work():
        webhook_repository.delete(_webhook(webhook_id))


def list_deliveries(webhook_id, page, per_page):
    _webhook(webhook_id)
    return page_result("deliveries", webhook_repository.list_deliveries(webhook_id, page, per_page))


def redeliver(webhook_id, delivery_id):
    """Make a delivery pending and due now (one more attempt; retries while WEBHOOK_MAX_ATTEMPTS allows)."""
    with unit_of_work():
        if not _webhook(webhook_id).is_active:
            raise Conflict("The webhook is disabled: switch it on (is_active) before redelivering")
        delivery = webhook_repository.get_delivery_for_webhook(webhook_id, delivery_id)
        if delivery is None:
            raise NotFound("Delivery not found")
        delivery.state, delivery.available_at, delivery.delivered_at = DeliveryState.PENDING, utcnow(), None
    _wake_worker(delivery_id)
    return delivery


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


def target_refusal(url):
    """Why a webhook may not POST to url (SSRF), or None; always None with WEBHOOK_ALLOW_PRIVATE_TARGETS."""
    if current_app.config["WEBHOOK_ALLOW_PRIVATE_TARGETS"]:
        return None
    parts = urlsplit(url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)}
    except (OSError, ValueError, UnicodeError):
        return "The URL's host could not be resolved"
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        ip = getattr(ip, "ipv4_mapped", None) or ip
        if (ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_multicast or ip.is_reserved
                or ip.is_unspecified or not ip.is_global):
            return "The URL's host resolves to a loopback, private, link-local or reserved address"
    return None


def _check_target(url):
    refusal = target_refusal(url)
    if refusal:
        raise ValidationFailed({"url": [refusal]})


def _webhook(webhook_id):
    webhook = webhook_repository.get(webhook_id)
    if webhook is None:
        raise NotFound("Webhook not found")
    return webhook


def _wake_worker(delivery_id):
    """Enqueue the attempt; when the queue is down the sweep finds the due delivery later."""
    from app.tasks import task

    try:
        task("deliver_webhook")(delivery_id)
    except Exception:  # noqa: BLE001 (any queue failure: the delivery is committed as due and the sweep will find it)
        log.warning("task queue unreachable; delivery %s waits for the sweep", delivery_id, exc_info=True)
