"""Building blocks shared by the resource schemas."""
from flask import current_app
from marshmallow import EXCLUDE, INCLUDE, RAISE, Schema, ValidationError, fields, missing, pre_load

from app.utils.countries import country_code


class Plain:
    """An output field that reads its value straight off the object or dict (no accessor chain) and writes it as
    the database gave it, formatting only what needs it (money, timestamps): dumps are every list's hot path."""

    formats = False

    def serialize(self, attr, obj, accessor=None, **kwargs):
        key = self.attribute or attr
        value = obj.get(key, missing) if isinstance(obj, dict) else getattr(obj, key, missing)
        if value is missing or value is None or not self.formats:
            return value
        return self._serialize(value, attr, obj, **kwargs)


class Text(Plain, fields.String):
    """A string of the database, written as is."""


class Number(Plain, fields.Integer):
    """An integer of the database, written as is."""


class Flag(Plain, fields.Boolean):
    """A boolean of the database, written as is."""


class Moment(Plain, fields.DateTime):
    """A timestamp, written in ISO 8601."""

    formats = True


class MoneyField(Plain, fields.Decimal):
    formats = True


def Money(**kwargs):
    """Money leaves as a JSON number with two decimals and enters as a number or numeric string."""
    return MoneyField(places=2, as_string=False, allow_nan=False, **kwargs)


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
    request_id = fields.String(metadata={"description": "The answer's X-Request-ID: quote it when reporting a problem"})


class MessageSchema(Schema):
    message = fields.String()
    warning = fields.String()


class WholeNumber(fields.Integer):
    """An integer that refuses 5.5 instead of truncating it to 5; a numeric string such as "5" is accepted."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, float) and not value.is_integer():
            raise self.make_error("invalid", input=value)
        return super()._deserialize(value, attr, data, **kwargs)


def rendered(schema, obj):
    """The JSON text of schema's dump of obj, as the app's JSON provider writes answers."""
    return current_app.json.dumps(schema.dump(obj))


def not_blank(value):
    """A validator: text that is not only whitespace."""
    if not value.strip():
        raise ValidationError("Must not be blank.")


class StrictBoolean(fields.Boolean):
    """JSON true or false only: "yes", 1 or "true" are refused rather than guessed."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


COUNTRY_ERROR = "Unknown country: send an ISO 3166-1 alpha-2 or alpha-3 code or the country's English name."


class Country(fields.String):
    """A country as an alpha-2 or alpha-3 code or a name ("USA", "germany"), loaded as its alpha-2 code."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        code = country_code(text) if len(text) <= 100 else None
        if code is None:
            raise ValidationError(COUNTRY_ERROR)
        return code
