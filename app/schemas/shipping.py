"""Shipping method shapes: the create / update bodies, the method, and the public quote's query and answer."""
from decimal import Decimal

from marshmallow import Schema, fields, validate

from app.schemas.common import (Country, Flag, Moment, Money, Number, StrictBoolean, StrictInputSchema, Text, WholeNumber,
                                not_blank)
from app.schemas.catalog_fields import Amount, money_value

SORT_ORDER_RANGE = validate.Range(min=-2**31, max=2**31 - 1)  # the Integer column on every database


class Countries(fields.List):
    """Countries as alpha-2 codes, each once, sorted; [] means everywhere."""

    def __init__(self, **kwargs):
        super().__init__(Country(), validate=validate.Length(max=500), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        return sorted(set(super()._deserialize(value, attr, data, **kwargs)))


class Code(fields.String):
    """A machine name of [a-z0-9_-], loaded in lower case (so "STANDARD" is "standard")."""

    def __init__(self, **kwargs):
        super().__init__(validate=validate.Regexp(r"^[a-z0-9_-]{1,50}\Z",
                                                  error="1 to 50 letters, digits, '_' or '-'."), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).lower()


class ShippingMethodUpdateSchema(StrictInputSchema):
    """PUT /api/shipping-methods/<id>: any subset; an unknown key (id, timestamps) is a 400."""

    name = fields.String(validate=[validate.Length(min=1, max=100), not_blank])
    code = Code()
    price = Amount()
    free_over = Amount(allow_none=True, metadata={"description": "Subtotal from which shipping is free; null: never"})
    countries = Countries(metadata={"description": "Alpha-2 codes, alpha-3 codes or names; [] ships everywhere"})
    is_active = StrictBoolean()
    sort_order = WholeNumber(validate=SORT_ORDER_RANGE)


class ShippingMethodCreateSchema(ShippingMethodUpdateSchema):
    """POST /api/shipping-methods."""

    name = fields.String(required=True, validate=[validate.Length(min=1, max=100), not_blank])
    code = Code(required=True)
    price = Amount(required=True)
    free_over = Amount(allow_none=True, load_default=None)
    countries = Countries(load_default=list)
    is_active = StrictBoolean(load_default=True)
    sort_order = WholeNumber(load_default=0, validate=SORT_ORDER_RANGE)


class ShippingMethodSchema(Schema):
    id = Number()
    name = Text()
    code = Text()
    price = Money()
    free_over = Money(allow_none=True)
    countries = fields.List(fields.String(), metadata={"description": "Alpha-2 codes; [] ships everywhere"})
    is_active = Flag()
    sort_order = Number()
    created_at = Moment()
    updated_at = Moment()


class ShippingMethodOneSchema(Schema):
    shipping_method = fields.Nested(ShippingMethodSchema)


class ShippingMethodMessageSchema(ShippingMethodOneSchema):
    message = fields.String()


class ShippingMethodListSchema(Schema):
    shipping_methods = fields.List(fields.Nested(ShippingMethodSchema))


class QuoteArgs(Schema):
    """?country=&subtotal= of the public quote."""

    country = Country(required=True, metadata={"description": "Alpha-2, alpha-3 or name, e.g. US, USA, Germany"})
    subtotal = fields.Decimal(load_default=Decimal("0"), allow_nan=False, validate=money_value(),
                              metadata={"description": "The order's subtotal (default 0)"})


class QuotedMethodSchema(Schema):
    code = Text()
    name = Text()
    price = Money(metadata={"description": "What shipping this subtotal costs (0.00 from free_over on)"})
    free_over = Money(allow_none=True)
    is_free = Flag()


class QuoteSchema(Schema):
    country = Text(metadata={"description": "The destination's alpha-2 code"})
    subtotal = Money()
    shipping_methods = fields.List(fields.Nested(QuotedMethodSchema))
