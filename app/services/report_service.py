"""Reports for managers and admins, over UTC days; a manager's range starts inside their 30-day window."""
from datetime import datetime, time, timedelta, timezone
from decimal import Decimal

from flask import current_app

from app.repositories import report_repository
from app.services.order_service import visible_since

ZERO = Decimal("0.00")
ONE_DAY = timedelta(days=1)


def _midnight(day):
    return datetime.combine(day, time.min, tzinfo=timezone.utc)


def _window(caller, date_from, date_to):
    """(first day, last day, clamped): a manager's first day is the first whole day of their window."""
    since = visible_since(caller)
    if since is None:
        return date_from, date_to, False
    earliest = since.date() if since.time() == time.min else since.date() + ONE_DAY
    return max(date_from, earliest), date_to, date_from < earliest


def _bounds(first, last):
    return _midnight(first), _midnight(last + ONE_DAY)


def _figures(orders=0, items=0, gross=ZERO, refunds=ZERO):
    return {"orders": orders, "items": items, "gross": gross, "refunds": refunds, "net": gross - refunds}


def sales_report(caller, date_from, date_to):
    """One row per day of the range (zeros included) and their totals; cancelled orders are no sales."""
    first, last, clamped = _window(caller, date_from, date_to)
    sales, refunds = {}, {}
    if first <= last:
        sales = report_repository.sales_by_day(*_bounds(first, last))
        refunds = report_repository.refunds_by_day(*_bounds(first, last))
    days = []
    day = first
    while day <= last:
        orders, items, gross = sales.get(day, (0, 0, ZERO))
        days.append({"date": day, **_figures(orders, items, gross, refunds.get(day, ZERO))})
        day += ONE_DAY
    totals = _figures(*(sum((row[key] for row in days), start) for key, start in
                        (("orders", 0), ("items", 0), ("gross", ZERO), ("refunds", ZERO))))
    return {"date_from": first, "date_to": last, "clamped": clamped, "days": days, "totals": totals}


def top_products(caller, date_from, date_to, limit, by):
    """The best-selling products of the range by revenue or units (non-cancelled orders)."""
    first, last, clamped = _window(caller, date_from, date_to)
    products = report_repository.top_products(*_bounds(first, last), by, limit) if first <= last else []
    return {"date_from": first, "date_to": last, "clamped": clamped, "by": by, "limit": limit, "products": products}


def low_stock(threshold=None):
    """Active products at or below the threshold (default LOW_STOCK_THRESHOLD), lowest stock first."""
    if threshold is None:
        threshold = current_app.config["LOW_STOCK_THRESHOLD"]
    return {"threshold": threshold, "products": report_repository.low_stock(threshold)}
