"""Stock ledger shapes: the adjustment body, a movement, the page of a product's (a variant's) movements."""
from marshmallow import Schema, ValidationError, fields, post_load, validate

from app.enums import StockMovementKind, values
from app.schemas.common import Moment, Number, StrictInputSchema, Text
from app.utils.pagination import PageArgs, page_schema

MAX_ADJUSTMENT = 1_000_000
REASON_LENGTH = (3, 500)


def _reason_length(value):
    low, high = REASON_LENGTH
    if not low <= len(value.strip()) <= high:
        raise ValidationError(f"Give a reason of {low} to {high} characters (not counting surrounding spaces).")


def _integer(value):
    # marshmallow's Integer takes True for 1; a JSON boolean is a client bug here.
    if isinstance(value, bool):
        raise ValidationError("Not a valid integer.")


class StockAdjustmentSchema(StrictInputSchema):
    """POST /api/products/<id>/stock-adjustments: a non-zero whole delta and why."""

    delta = fields.Integer(strict=True, required=True, validate=[
        _integer, validate.Range(min=-MAX_ADJUSTMENT, max=MAX_ADJUSTMENT),
        validate.NoneOf([0], error="Must not be 0.")], metadata={"description": "Units added (+) or removed (-)"})
    reason = fields.String(required=True, validate=_reason_length)
    variant_id = fields.Integer(strict=True, load_default=None, validate=_integer, metadata={
        "description": "Required for a product with options: the variant whose stock changes"})

    @post_load
    def trim_reason(self, data, **kwargs):
        return {**data, "reason": data["reason"].strip()}


class StockMovementArgs(PageArgs):
    """?page=&per_page=&variant_id= (one variant's movements)."""

    variant_id = fields.Integer(load_default=None)


class StockMovementSchema(Schema):
    id = Number()
    product_id = Number()
    variant_id = Number(allow_none=True, metadata={"description": "A variant's movement: the variant (null on a product's)"})
    kind = Text(metadata={"enum": values(StockMovementKind)})
    delta = Number()
    quantity_after = Number(metadata={"description": "The product's (a variant's movement: the variant's) stock right "
                                              "after this movement"})
    reason = Text(allow_none=True)
    order_id = Number(allow_none=True)
    actor_id = Number(allow_none=True)
    created_at = Moment()


class StockAdjustmentResultSchema(Schema):
    message = fields.String()
    movement = fields.Nested(StockMovementSchema)
    product_id = Number()
    stock_quantity = Number(metadata={"description": "The product's stock after the adjustment (with options: the "
                                                     "sum of its active variants')"})


StockMovementPageSchema = page_schema("StockMovementPage", "movements", StockMovementSchema)
