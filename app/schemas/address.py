"""Address book shapes: the create and update bodies and the saved address."""
from marshmallow import Schema, fields, validate

from app.schemas.common import (BlankToNoneMixin, Country, Flag, Moment, Number, StrictBoolean, StrictInputSchema, Text,
                                not_blank)

def _text(max_length, **kwargs):
    """A required-when-asked, non-blank string of at most max_length characters (the column size)."""
    return fields.String(validate=[validate.Length(max=max_length), not_blank], **kwargs)


def _optional_text(max_length):
    return fields.String(allow_none=True, validate=validate.Length(max=max_length))


class AddressUpdateSchema(BlankToNoneMixin, StrictInputSchema):
    """PUT /api/users/addresses/<id>: any subset of the fields; ids, owner and timestamps are server-owned."""

    BLANK_AS_NONE = ("label", "phone", "line2")

    label = _optional_text(50)
    first_name = _text(50)
    last_name = _text(50)
    phone = _optional_text(20)
    line1 = _text(255)
    line2 = _optional_text(255)
    city = _text(100)
    state = _text(100)
    postal_code = _text(20)
    country = Country(metadata={"description": "ISO 3166-1 alpha-2 or alpha-3 code or a name; stored as alpha-2"})
    is_default_shipping = StrictBoolean(metadata={"description": "true clears the previous default shipping address"})
    is_default_billing = StrictBoolean(metadata={"description": "true clears the previous default billing address"})


class AddressCreateSchema(AddressUpdateSchema):
    """POST /api/users/addresses: the first address of a book becomes the default shipping and billing one."""

    first_name = _text(50, required=True)
    last_name = _text(50, required=True)
    line1 = _text(255, required=True)
    city = _text(100, required=True)
    state = _text(100, required=True)
    postal_code = _text(20, required=True)
    country = Country(required=True,
                      metadata={"description": "ISO 3166-1 alpha-2 or alpha-3 code or a name; stored as alpha-2"})


class SavedAddressSchema(Schema):
    id = Number()
    user_id = Number()
    label = Text(allow_none=True)
    first_name = Text()
    last_name = Text()
    phone = Text(allow_none=True)
    line1 = Text()
    line2 = Text(allow_none=True)
    city = Text()
    state = Text()
    postal_code = Text()
    country = Text(metadata={"description": "ISO 3166-1 alpha-2 code"})
    is_default_shipping = Flag()
    is_default_billing = Flag()
    created_at = Moment()
    updated_at = Moment()


class AddressOneSchema(Schema):
    address = fields.Nested(SavedAddressSchema)


class AddressMessageSchema(AddressOneSchema):
    message = fields.String()


class AddressListSchema(Schema):
    addresses = fields.List(fields.Nested(SavedAddressSchema))
