"""Webhook shapes: the create / update bodies, the webhook (never its secret), its deliveries and attempts."""
from urllib.parse import urlsplit

from marshmallow import Schema, ValidationError, fields, post_load, validate

from app.enums import WEBHOOK_EVENTS, DeliveryState, values
from app.schemas.common import Flag, InputSchema, Moment, Number, Text
from app.utils.pagination import PageArgs, page_schema

EVENT_NAMES = [str(event) for event in WEBHOOK_EVENTS]


def http_url(value):
    """An absolute http(s) URL with a host."""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 (raises ValueError for a port that is not a number in range)
    except ValueError as error:
        raise ValidationError("Not a valid URL.") from error
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError("Must be an http:// or https:// URL with a host.")


class WebhookUpdateSchema(InputSchema):
    """PUT /api/webhooks/<id>: the secret, the failure count and the timestamps are server-owned."""

    url = fields.String(validate=[validate.Length(min=1, max=2048), http_url])
    events = fields.List(
        fields.String(validate=validate.OneOf(EVENT_NAMES, error="Unknown event type; one of: {choices}.")),
        validate=validate.Length(min=1, max=len(EVENT_NAMES) * 2, error="Subscribe to at least one event."))
    description = fields.String(allow_none=True, validate=validate.Length(max=500))
    is_active = fields.Boolean()

    @post_load
    def each_event_once(self, data, **kwargs):
        if "events" in data:
            data["events"] = list(dict.fromkeys(data["events"]))
        return data


class WebhookCreateSchema(WebhookUpdateSchema):
    """POST /api/webhooks."""

    url = fields.String(required=True, validate=[validate.Length(min=1, max=2048), http_url])
    events = fields.List(
        fields.String(validate=validate.OneOf(EVENT_NAMES, error="Unknown event type; one of: {choices}.")),
        required=True,
        validate=validate.Length(min=1, max=len(EVENT_NAMES) * 2, error="Subscribe to at least one event."))


class WebhookSchema(Schema):
    id = Number()
    url = Text()
    events = fields.List(fields.String())
    description = Text(allow_none=True)
    is_active = Flag()
    disabled_reason = Text(allow_none=True, metadata={"description": "Why the server switched the webhook off"})
    consecutive_failures = Number(metadata={"description": "Events in a row whose every attempt failed"})
    created_at = Moment()
    updated_at = Moment()


class WebhookOneSchema(Schema):
    webhook = fields.Nested(WebhookSchema)


class WebhookCreatedSchema(WebhookOneSchema):
    secret = fields.String(metadata={"description": "whsec_ + base64 of 32 bytes: shown this once only"})


class WebhookListSchema(Schema):
    webhooks = fields.List(fields.Nested(WebhookSchema))


class WebhookAttemptSchema(Schema):
    id = Number()
    status_code = Number(allow_none=True, metadata={"description": "null when no answer came (timeout, refused)"})
    duration_ms = Number()
    error = Text(allow_none=True)
    attempted_at = Moment(attribute="created_at")


class WebhookDeliverySchema(Schema):
    id = Number()
    event_id = Text()
    event_type = fields.Function(lambda delivery: delivery.event.type, metadata={"type": "string"})
    state = fields.String(metadata={"enum": values(DeliveryState)})
    attempt_count = Number(metadata={"description": "Attempts started, one killed with its worker included"})
    next_attempt_at = fields.Function(
        lambda delivery: delivery.available_at.isoformat() if delivery.state == DeliveryState.PENDING else None,
        metadata={"type": "string", "format": "date-time", "nullable": True,
                  "description": "null once the delivery succeeded or failed"})
    delivered_at = Moment(allow_none=True)
    created_at = Moment()
    attempts = fields.List(fields.Nested(WebhookAttemptSchema))


class WebhookRedeliverySchema(Schema):
    message = fields.String()
    delivery = fields.Nested(WebhookDeliverySchema)


WebhookDeliveryPageSchema = page_schema("WebhookDeliveryPage", "deliveries", WebhookDeliverySchema)


class WebhookDeliveryArgs(PageArgs):
    """?page=&per_page= of the deliveries list."""
