"""Variant and option shapes: the output every product answer nests."""
from marshmallow import Schema, fields

from app.schemas.common import Flag, Moment, Money, Number, Text


class OptionSchema(Schema):
    name = Text()
    values = fields.List(fields.String())


class VariantSchema(Schema):
    id = Number()
    product_id = Number()
    sku = Text()
    barcode = Text(allow_none=True)
    price = Money()
    compare_price = Money(allow_none=True)
    stock_quantity = Number()
    is_in_stock = Flag()
    weight = Money(allow_none=True)
    image_url = Text(allow_none=True)
    is_active = Flag()
    options = fields.Dict(keys=fields.String(), values=fields.String(), attribute="option_values")
    option_text = Text()
    created_at = Moment()
    updated_at = Moment()
