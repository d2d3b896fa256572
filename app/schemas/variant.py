"""Variant and option shapes: the output every product answer nests, the options of a product body, the variant bodies."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.models.product_variant import MAX_OPTION_VALUES, MAX_OPTIONS, VARIANT_MAX_STOCK
from app.schemas.catalog_fields import Amount, ImageUrl, Sku
from app.schemas.common import (BlankToNoneMixin, Flag, Moment, Money, Number, StrictBoolean, StrictInputSchema, Text,
                                WholeNumber)

OPTION_TEXT = validate.Length(min=1, max=50)


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


class VariantListSchema(Schema):
    options = fields.List(fields.Nested(OptionSchema))
    variants = fields.List(fields.Nested(VariantSchema))


class Trimmed(fields.String):
    """Text loaded without its surrounding whitespace (then checked: 1 to 50 characters)."""

    def __init__(self, **kwargs):
        super().__init__(validate=OPTION_TEXT, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip()


class OptionInputSchema(Schema):
    """One option of a product body: {"name": "size", "values": ["S", "M"]} (an unknown key is a 400)."""

    name = Trimmed(required=True)
    values = fields.List(Trimmed(), required=True, validate=validate.Length(min=1, max=MAX_OPTION_VALUES))

    @validates_schema
    def unique_values(self, data, **kwargs):
        values = data.get("values") or []
        if len(set(values)) != len(values):
            raise ValidationError("Values must be unique.", "values")


class Options(fields.List):
    """A product's options: null or at most MAX_OPTIONS, names unique whatever their case ([] or null: none)."""

    def __init__(self, **kwargs):
        super().__init__(fields.Nested(OptionInputSchema), allow_none=True, metadata={"maxItems": MAX_OPTIONS, "description": (
                             f"null or up to {MAX_OPTIONS} options of 1 to {MAX_OPTION_VALUES} values each, "
                             '[{"name": "size", "values": ["S", "M", "L"]}]; [] or null: no options')}, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        options = super()._deserialize(value, attr, data, **kwargs)
        if len(options) > MAX_OPTIONS:
            raise ValidationError(f"At most {MAX_OPTIONS} options.")
        names = [option["name"].casefold() for option in options]
        if len(set(names)) != len(names):
            raise ValidationError("Option names must be unique (whatever their case).")
        return options or None


class VariantUpdateSchema(BlankToNoneMixin, StrictInputSchema):
    """PUT /api/products/<id>/variants/<variant_id>: any subset (an unknown key is a 400)."""

    BLANK_AS_NONE = ("barcode", "compare_price", "weight", "image_url")

    sku = Sku()
    barcode = fields.String(allow_none=True, validate=validate.Length(min=1, max=100))
    price = Amount(exclusive=True)
    compare_price = Amount(exclusive=True, allow_none=True, metadata={"description": "Greater than price"})
    stock_quantity = WholeNumber(validate=validate.Range(min=0, max=VARIANT_MAX_STOCK))
    weight = Amount(allow_none=True)
    image_url = ImageUrl(allow_none=True)
    is_active = StrictBoolean()
    options = fields.Dict(keys=fields.String(), values=fields.String(), metadata={
        "description": 'One value for each option of the product: {"size": "M", "colour": "Blue"}'})

    @validates_schema
    def compare_price_above_price(self, data, **kwargs):
        price, compare = data.get("price"), data.get("compare_price")
        if price is not None and compare is not None and compare <= price:
            raise ValidationError("Compare price must be greater than price", "compare_price")


class VariantCreateSchema(VariantUpdateSchema):
    """POST /api/products/<id>/variants: price defaults to the product's current price."""

    sku = Sku(required=True)
    price = Amount(exclusive=True, metadata={"description": "Default: the product's current price"})
    stock_quantity = WholeNumber(load_default=0, validate=validate.Range(min=0, max=VARIANT_MAX_STOCK))
    is_active = StrictBoolean(load_default=True)
    options = fields.Dict(keys=fields.String(), values=fields.String(), required=True, metadata={
        "description": 'One value for each option of the product: {"size": "M", "colour": "Blue"}'})
