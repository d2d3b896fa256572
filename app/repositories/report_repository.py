"""Report queries: aggregates computed by the database (GROUP BY), a fixed number of statements at any size."""
from decimal import Decimal

from sqlalchemy import BigInteger, Date, cast, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from app.enums import OrderStatus
from app.extensions import db
from app.models import Order, OrderEvent, OrderItem, Product

CENT = Decimal("0.01")
REFUNDED_EVENT = "refunded"


class utc_day(FunctionElement):
    """The calendar day of a timestamp stored as naive UTC: CAST(... AS DATE), date(...) on SQLite."""

    type = Date()
    name = "utc_day"
    inherit_cache = True


@compiles(utc_day)
def _cast_to_date(element, compiler, **kw):
    return f"CAST({compiler.process(element.clauses, **kw)} AS DATE)"


@compiles(utc_day, "sqlite")
def _sqlite_date(element, compiler, **kw):
    # SQLite's CAST(... AS DATE) is a numeric cast (it would give the year); date() gives 'YYYY-MM-DD'.
    return f"date({compiler.process(element.clauses, **kw)})"


def _cents(amount):
    """A money expression in whole cents: SQLite keeps Numeric as floating point, so sums are exact only in cents."""
    return cast(func.round(amount * 100, 0), BigInteger)


def _sum_cents(amount):
    return func.coalesce(func.sum(_cents(amount)), 0)


def _money(cents):
    return (Decimal(int(cents)) * CENT).quantize(CENT)


def _in_range(column, start, end):
    return [column >= start, column < end]


def sales_by_day(start, end):
    """{day: (orders, items, gross)} of the non-cancelled orders created in [start, end)."""
    units = (select(OrderItem.order_id, func.sum(OrderItem.quantity).label("units"))
             .group_by(OrderItem.order_id).subquery())
    day = utc_day(Order.created_at)
    stmt = (select(day, func.count(Order.id), func.coalesce(func.sum(units.c.units), 0), _sum_cents(Order.total))
            .outerjoin(units, units.c.order_id == Order.id)
            .where(Order.status != OrderStatus.CANCELLED, *_in_range(Order.created_at, start, end))
            .group_by(day))
    return {row[0]: (int(row[1]), int(row[2]), _money(row[3])) for row in db.session.execute(stmt)}


def refunds_by_day(start, end):
    """{day: refunded amount}: the totals of the orders refunded in [start, end), on the day of their refund."""
    # A refund is final, so an order has one refunded event; the grouping makes sure it is never counted twice.
    refunds = (select(OrderEvent.order_id, func.min(OrderEvent.created_at).label("refunded_at"))
               .where(OrderEvent.event_type == REFUNDED_EVENT, *_in_range(OrderEvent.created_at, start, end))
               .group_by(OrderEvent.order_id).subquery())
    day = utc_day(refunds.c.refunded_at)
    stmt = (select(day, _sum_cents(Order.total)).join(Order, Order.id == refunds.c.order_id).group_by(day))
    return {row[0]: _money(row[1]) for row in db.session.execute(stmt)}


def top_products(start, end, by, limit):
    """[(product_id, name, sku, units, revenue)] over the lines of non-cancelled orders created in [start, end)."""
    units = func.sum(OrderItem.quantity)
    revenue = func.sum(_cents(OrderItem.unit_price) * OrderItem.quantity)
    ranking = (units, revenue) if by == "units" else (revenue, units)
    stmt = (select(Product.id, Product.name, Product.sku, units, revenue)
            .select_from(OrderItem).join(Order, Order.id == OrderItem.order_id)
            .join(Product, Product.id == OrderItem.product_id)
            .where(Order.status != OrderStatus.CANCELLED, *_in_range(Order.created_at, start, end))
            .group_by(Product.id, Product.name, Product.sku)
            .order_by(*(value.desc() for value in ranking), Product.id)
            .limit(limit))
    return [{"product_id": pid, "name": name, "sku": sku, "units": int(n), "revenue": _money(cents)}
            for pid, name, sku, n, cents in db.session.execute(stmt)]


def low_stock(threshold):
    """Active products with stock at or below threshold, lowest stock first, then by id."""
    return db.session.scalars(
        select(Product).where(Product.is_active.is_(True), Product.stock_quantity <= threshold)
        .order_by(Product.stock_quantity, Product.id)
    ).all()
