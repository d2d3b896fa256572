"""Discount shapes: the create / update bodies (times_used is server-owned), the list filters and a discount."""
from datetime import timezone

from marshmallow import Schema, ValidationError, fields, post_load, validate

from app.enums import DiscountKind, values
from app.models.base import MAX_ID
from app.schemas.common import Flag, Moment, Money, Number, StrictBoolean, StrictInputSchema, Text, WholeNumber
from app.schemas.catalog_fields import Amount
from app.utils.pagination import PageArgs, page_schema

CODE_PATTERN = r"^[A-Za-z0-9_-]{3,50}\Z"


def Code(**kwargs):
    return fields.String(validate=validate.Regexp(CODE_PATTERN, error="3 to 50 letters, digits, '_' or '-'."),
                         **kwargs)


def Kind(**kwargs):
    return fields.String(validate=validate.OneOf(values(DiscountKind)), **kwargs)


def Limit():
    return WholeNumber(allow_none=True, validate=validate.Range(min=1, max=MAX_ID))


class UtcInstant(fields.AwareDateTime):
    """An ISO 8601 moment with an offset, loaded in UTC (a moment beyond the calendar in UTC is invalid)."""

    def _deserialize(self, value, attr, data, **kwargs):
        moment = super()._deserialize(value, attr, data, **kwargs)
        try:
            return moment.astimezone(timezone.utc)
        except OverflowError:
            raise ValidationError("Out of range.") from None


def Instant():
    return UtcInstant(allow_none=True, metadata={"description": "ISO 8601 with an offset; null: no bound"})


class DiscountUpdateSchema(StrictInputSchema):
    """PUT /api/discounts/<id>: any subset; times_used, id and timestamps are server-owned (an unknown field)."""

    code = Code()
    kind = Kind()
    value = Amount(exclusive=True, metadata={"description": "A percentage (at most 100) or an amount of money"})
    min_subtotal = Amount(allow_none=True)
    starts_at = Instant()
    ends_at = Instant()
    usage_limit = Limit()
    per_customer_limit = Limit()
    is_active = StrictBoolean()

    @post_load
    def normalize(self, data, **kwargs):
        """Codes are stored upper-case."""
        if "code" in data:
            data["code"] = data["code"].upper()
        return data


class DiscountCreateSchema(DiscountUpdateSchema):
    """POST /api/discounts."""

    code = Code(required=True)
    kind = Kind(required=True)
    value = Amount(exclusive=True, required=True,
                   metadata={"description": "A percentage (at most 100) or an amount of money"})
    is_active = StrictBoolean(load_default=True)


class DiscountListArgs(PageArgs):
    """?is_active=&code= (a prefix, any case)&page=&per_page=."""

    is_active = fields.Boolean(load_default=None)
    code = fields.String(load_default=None, validate=validate.Length(max=50),
                         metadata={"description": "Codes starting with this, any case"})


class DiscountSchema(Schema):
    id = Number()
    code = Text()
    kind = Text(metadata={"enum": values(DiscountKind)})
    value = Money()
    min_subtotal = Money(allow_none=True)
    starts_at = Moment(allow_none=True)
    ends_at = Moment(allow_none=True)
    usage_limit = Number(allow_none=True)
    per_customer_limit = Number(allow_none=True)
    is_active = Flag()
    times_used = Number(metadata={"description": "Uses counted by checkouts, less those given back by cancels and refunds (read only)"})
    created_at = Moment()
    updated_at = Moment()


class DiscountOneSchema(Schema):
    discount = fields.Nested(DiscountSchema)


class DiscountMessageSchema(DiscountOneSchema):
    message = fields.String()


DiscountPageSchema = page_schema("DiscountPage", "discounts", DiscountSchema)
