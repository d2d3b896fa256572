"""Audit log shapes: the list filters and an entry."""
from datetime import datetime, time, timezone

from marshmallow import Schema, ValidationError, fields, post_load, validate

from app.models.base import MAX_ID
from app.schemas.common import Moment, Number, Text, WholeNumber
from app.utils.pagination import PageArgs, page_schema


class Instant(fields.DateTime):
    """An ISO datetime or a bare date (a whole UTC day: its first instant, or its last with end_of_day)."""

    def __init__(self, *, end_of_day=False, **kwargs):
        super().__init__(**kwargs)
        self.end_of_day = end_of_day

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str) and len(value) == 10:
            day = fields.Date()._deserialize(value, attr, data, **kwargs)
            return datetime.combine(day, time.max if self.end_of_day else time.min, tzinfo=timezone.utc)
        moment = super()._deserialize(value, attr, data, **kwargs)
        return moment.astimezone(timezone.utc) if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _id(**kwargs):
    return WholeNumber(load_default=None, validate=validate.Range(min=1, max=MAX_ID), **kwargs)


class AuditLogArgs(PageArgs):
    """?actor_id, action, target_type, target_id, from, to (ISO dates or datetimes, UTC unless an offset is given)."""

    actor_id = _id()
    action = fields.String(load_default=None, validate=validate.Length(min=1, max=60))
    target_type = fields.String(load_default=None, validate=validate.Length(min=1, max=30))
    target_id = _id()
    date_from = Instant(data_key="from", load_default=None,
                        metadata={"description": "From this instant (a bare date: from its start)"})
    date_to = Instant(data_key="to", load_default=None, end_of_day=True,
                      metadata={"description": "Up to this instant (a bare date: to its end)"})

    @post_load
    def ordered_range(self, data, **kwargs):
        if data["date_from"] is not None and data["date_to"] is not None and data["date_from"] > data["date_to"]:
            raise ValidationError({"from": ["Must not be after 'to'."]})
        return data


class AuditEntrySchema(Schema):
    id = Number()
    actor_id = Number(allow_none=True)
    actor_role = Text()
    action = Text(metadata={"description": "e.g. product.update, user.ban, order.refund"})
    target_type = Text()
    target_id = Number(allow_none=True)
    changes = fields.Dict(metadata={"description": "{field: [before, after]} of the changed fields; never a secret"})
    created_at = Moment()
    request_id = Text(allow_none=True)


AuditLogPageSchema = page_schema("AuditLogPage", "entries", AuditEntrySchema)
