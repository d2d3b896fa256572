"""Building blocks shared by the resource schemas."""
from flask import current_app
from marshmallow import EXCLUDE, INCLUDE, RAISE, Schema, fields, pre_load


def Money(**kwargs):
    """Money leaves as a JSON number with two decimals and enters as a number or numeric string."""
    return fields.Decimal(places=2, as_string=False, allow_nan=False, **kwargs)


class InputSchema(Schema):
    """Request bodies: unknown keys are ignored (the SPA sends extras), so nothing unlisted is ever assigned."""

    class Meta:
        unknown = EXCLUDE


class StrictInputSchema(Schema):
    """Request bodies where an unknown key is a client bug worth reporting."""

    class Meta:
        unknown = RAISE


class BlankToNoneMixin:
    """Treats "" as absent for the fields listed in BLANK_AS_NONE (the SPA sends empty inputs as "")."""

    BLANK_AS_NONE = ()

    @pre_load
    def blank_to_none(self, data, **kwargs):
        if isinstance(data, dict):
            data = {k: (None if k in self.BLANK_AS_NONE and v == "" else v) for k, v in data.items()}
        return data


class ErrorSchema(Schema):
    """The error envelope of every non-2xx answer (a 403 or 409 may carry extra keys, so the spec allows them)."""

    class Meta:
        unknown = INCLUDE

    error = fields.String(required=True)
    code = fields.String()
    details = fields.Dict()


class MessageSchema(Schema):
    message = fields.String()
    warning = fields.String()


class WholeNumber(fields.Integer):
    """An integer that refuses 5.5 instead of truncating it to 5; a numeric string such as "5" is accepted."""

    def _validated(self, value):
        if isinstance(value, float) and not value.is_integer():
            raise self.make_error("invalid", input=value)
        return super()._validated(value)


def rendered(schema, obj):
    """The JSON text of schema's dump of obj, as the app's JSON provider writes answers."""
    return current_app.json.dumps(schema.dump(obj))
