"""GET /api/reports/top-products: line revenue (unit_price x quantity) or units, non-cancelled orders of the range."""
from datetime import datetime, timezone
from decimal import Decimal

import pytest

from tests.factories import make_order, make_product

PATH = "/api/reports/top-products?from=2025-03-01&to=2025-03-31"


def at(day):
    return datetime(2025, 3, day, 12, tzinfo=timezone.utc)


@pytest.fixture
def sales(app, customer):
    """Chair: 3 units, 30.00; Desk: 2 units, 100.00 (one order refunded); Pen: 5 units, 10.00."""
    chair = make_product(app, name="Chair", sku="CH-1")
    desk = make_product(app, name="Desk", sku="DK-1")
    pen = make_product(app, name="Pen", sku="PN-1")
    c = customer.customer_id
    make_order(app, c, [(chair, 3)], price="10.00", status="delivered", created_at=at(2))
    make_order(app, c, [(desk, 1)], price="50.00", status="pending", created_at=at(3))
    make_order(app, c, [(desk, 1)], price="50.00", status="refunded", created_at=at(31))
    make_order(app, c, [(pen, 2), (pen, 3)], price="2.00", status="shipped", created_at=at(1))
    make_order(app, c, [(pen, 100)], price="2.00", status="cancelled", created_at=at(4))
    make_order(app, c, [(chair, 10)], price="100.00", status="delivered",
               created_at=datetime(2025, 2, 28, 23, 59, tzinfo=timezone.utc))
    return {"chair": chair, "desk": desk, "pen": pen}


def _rows(body):
    return [(p["name"], p["sku"], p["units"], p["revenue"]) for p in body["products"]]


def test_by_revenue(sales, admin, report):
    body = report(admin, PATH)
    assert (body["by"], body["limit"], body["from"], body["to"]) == ("revenue", 10, "2025-03-01", "2025-03-31")
    assert _rows(body) == [("Desk", "DK-1", 2, Decimal("100.00")), ("Chair", "CH-1", 3, Decimal("30.00")),
                           ("Pen", "PN-1", 5, Decimal("10.00"))]
    assert body["products"][0]["product_id"] == sales["desk"]


def test_by_units(sales, admin, report):
    body = report(admin, PATH + "&by=units")
    assert _rows(body) == [("Pen", "PN-1", 5, Decimal("10.00")), ("Chair", "CH-1", 3, Decimal("30.00")),
                           ("Desk", "DK-1", 2, Decimal("100.00"))]


def test_limit_keeps_the_first(sales, admin, report):
    assert [row[0] for row in _rows(report(admin, PATH + "&by=units&limit=2"))] == ["Pen", "Chair"]
    assert [row[0] for row in _rows(report(admin, PATH + "&limit=1"))] == ["Desk"]


def test_ties_go_to_the_other_measure_then_the_lower_id(app, admin, customer, report):
    """Same revenue: more units first; same revenue and units: lower product id first."""
    first, second, third = (make_product(app, name=name, sku=name) for name in ("A", "B", "C"))
    c = customer.customer_id
    make_order(app, c, [(third, 1)], price="6.00", created_at=at(5))
    make_order(app, c, [(second, 3)], price="2.00", created_at=at(5))
    make_order(app, c, [(first, 3)], price="2.00", created_at=at(5))
    assert [row[0] for row in _rows(report(admin, PATH))] == ["A", "B", "C"]


def test_no_sales_is_an_empty_list(admin, report):
    assert report(admin, PATH)["products"] == []
