"""Report shapes: date ranges of UTC days in, per-day sales, top products and low stock out."""
from datetime import date, timedelta

from marshmallow import Schema, ValidationError, fields, post_load, validate

from app.models.base import utcnow
from app.schemas.common import InputSchema, Money, Number, Text, WholeNumber

DEFAULT_DAYS = 30
MAX_DAYS = 366
# Day arithmetic (the day after `to`, 29 days before `from`) stays inside the calendar Python and SQL know.
EARLIEST, LATEST = date(1970, 1, 1), date(9998, 12, 31)
TOP_BY = ("revenue", "units")


def _day(data_key):
    return fields.Date(format="%Y-%m-%d", data_key=data_key, load_default=None,
                       validate=validate.Range(min=EARLIEST, max=LATEST),
                       metadata={"description": "A UTC day, YYYY-MM-DD (inclusive)"})


class ReportRangeArgs(InputSchema):
    """?from=&to=: inclusive UTC days; by default the 30 days ending today, and at most 366 days."""

    date_from = _day("from")
    date_to = _day("to")

    @post_load
    def fill_defaults(self, data, **kwargs):
        end = data["date_to"] or utcnow().date()
        start = data["date_from"] or end - timedelta(days=DEFAULT_DAYS - 1)
        if start > end:
            raise ValidationError({"from": ["Must not be after 'to' (default: today, UTC)."]})
        if (end - start).days + 1 > MAX_DAYS:
            raise ValidationError({"to": [f"The range may span at most {MAX_DAYS} days."]})
        return {**data, "date_from": start, "date_to": end}


class TopProductsArgs(ReportRangeArgs):
    limit = WholeNumber(load_default=10, validate=validate.Range(min=1, max=100))
    by = fields.String(load_default="revenue", validate=validate.OneOf(TOP_BY))


class LowStockArgs(InputSchema):
    threshold = WholeNumber(load_default=None, validate=validate.Range(min=0, max=1_000_000), metadata={
        "description": "Stock at or below it (default: LOW_STOCK_THRESHOLD of the configuration)"})


class SalesFiguresSchema(Schema):
    orders = Number()
    items = Number(metadata={"description": "Units ordered"})
    gross = Money(metadata={"description": "Order totals by creation day (cancelled orders excluded)"})
    refunds = Money(metadata={"description": "Totals of the orders refunded that day"})
    net = Money(metadata={"description": "gross - refunds"})


class SalesDaySchema(SalesFiguresSchema):
    date = fields.Date()


class ReportWindowSchema(Schema):
    date_from = fields.Date(data_key="from", metadata={
        "description": "First day covered; for a manager, no earlier than the first day of their 30-day window"})
    date_to = fields.Date(data_key="to")
    clamped = fields.Boolean(metadata={"description": "True when `from` was moved to the manager's window"})


class SalesReportSchema(ReportWindowSchema):
    days = fields.List(fields.Nested(SalesDaySchema), metadata={"description": "Every day of the range, oldest first"})
    totals = fields.Nested(SalesFiguresSchema)


class TopProductSchema(Schema):
    product_id = Number()
    name = Text()
    sku = Text()
    units = Number()
    revenue = Money()


class TopProductsSchema(ReportWindowSchema):
    by = Text()
    limit = Number()
    products = fields.List(fields.Nested(TopProductSchema))


class LowStockProductSchema(Schema):
    id = Number()
    name = Text()
    sku = Text()
    stock_quantity = Number()
    category_id = Number()


class LowStockSchema(Schema):
    threshold = Number()
    products = fields.List(fields.Nested(LowStockProductSchema))
