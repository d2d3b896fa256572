"""Field rules of catalog bodies (products, variants) and of money inputs anywhere (discounts, shipping)."""
import re
from decimal import Decimal, InvalidOperation

from marshmallow import ValidationError, fields, validate

from app.schemas.common import not_blank

MAX_MONEY = Decimal("99999999.99")  # Numeric(10, 2)
_HTTP_URL = validate.URL(schemes={"http", "https"}, require_tld=False)
_STATIC_PATH = re.compile(r"^/static/[A-Za-z0-9._~/+-]+$")


def money_value(minimum=Decimal("0"), exclusive=False):
    """A validator: a Decimal with at most two places, above (or at) minimum and at most MAX_MONEY."""
    def check(value):
        if value > MAX_MONEY or value < minimum or (exclusive and value == minimum):
            bound = "greater than" if exclusive else "at least"
            raise ValidationError(f"Must be {bound} {minimum} and at most {MAX_MONEY}.")
        try:
            if value.quantize(Decimal("0.01")) != value:
                raise ValidationError("At most 2 decimal places are allowed.")
        except InvalidOperation as error:
            raise ValidationError("Not a valid amount.") from error
    return check


def image_reference(value):
    """A relative /static/... path (what the upload returns) or an absolute http(s) URL."""
    if _STATIC_PATH.match(value) and ".." not in value.split("/"):
        return
    try:
        _HTTP_URL(value)
    except ValidationError as error:
        raise ValidationError("Must be a /static/... path or an http(s) URL.") from error


def Amount(minimum=Decimal("0"), exclusive=False, **kwargs):
    return fields.Decimal(allow_nan=False, validate=money_value(minimum, exclusive), **kwargs)


def ImageUrl(**kwargs):
    return fields.String(validate=[validate.Length(max=500), image_reference], **kwargs)


def Name(**kwargs):
    return fields.String(validate=[validate.Length(min=1, max=200), not_blank], **kwargs)


def Sku(**kwargs):
    return fields.String(validate=[validate.Length(min=1, max=100),
                                   validate.Regexp(r"^\S+$", error="Must not be blank or contain spaces.")], **kwargs)
