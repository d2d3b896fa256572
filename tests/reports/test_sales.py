"""GET /api/reports/sales: one row per UTC day, cancelled orders excluded, refunds on the refund's day."""
import random
from collections import defaultdict
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import time_machine

from app.enums import OrderStatus, values
from tests.factories import make_order, make_product, make_user

UTC = timezone.utc
FIGURES = ("orders", "items", "gross", "refunds", "net")


def at(day, hour=12, minute=0, second=0, microsecond=0):
    return datetime(2025, 3, day, hour, minute, second, microsecond, tzinfo=UTC)


def row(day, orders, items, gross, refunds, net):
    return {"date": day, "orders": orders, "items": items, "gross": Decimal(gross), "refunds": Decimal(refunds),
            "net": Decimal(net)}


def test_worked_example_per_day(app, admin, customer, report, add_event):
    """Each day's figures, written out: a cancelled order, a zero day, refunds on their own day, the day bounds."""
    p = make_product(app)
    c = customer.customer_id
    a = make_order(app, c, [(p, 2)], price="10.00", status="delivered", created_at=at(1, 9))  # total 30.00
    make_order(app, c, [(p, 1)], price="5.50", status="pending", created_at=at(1, 23, 59, 59, 999999))  # 15.50
    make_order(app, c, [(p, 3)], price="100.00", status="cancelled", created_at=at(1, 12))  # not a sale
    add_event(a, at(2, 8), event_type="status_changed", to_status="shipped")  # not a refund
    d = make_order(app, c, [(p, 4)], price="2.25", status="refunded", created_at=at(3, 10))  # 19.00
    e = make_order(app, c, [(p, 1)], price="11.00", status="refunded", created_at=at(1, 0) - timedelta(days=9))
    add_event(e, at(3, 8))  # an order from before the range, refunded inside it: 21.00 on 03-03
    add_event(d, at(4, 15))
    make_order(app, c, [(p, 1)], price="7.77", status="shipped", created_at=at(4, 0))  # 17.77, first instant
    make_order(app, c, [(p, 9)], price="1.00", status="delivered", created_at=at(1, 0) - timedelta(microseconds=1))
    make_order(app, c, [(p, 9)], price="1.00", status="delivered", created_at=at(5, 0))

    body = report(admin, "/api/reports/sales?from=2025-03-01&to=2025-03-04")

    assert (body["from"], body["to"], body["clamped"]) == ("2025-03-01", "2025-03-04", False)
    assert body["days"] == [
        row("2025-03-01", 2, 3, "45.50", "0.00", "45.50"),
        row("2025-03-02", 0, 0, "0.00", "0.00", "0.00"),
        row("2025-03-03", 1, 4, "19.00", "21.00", "-2.00"),
        row("2025-03-04", 1, 1, "17.77", "19.00", "-1.23"),
    ]
    assert body["totals"] == {"orders": 4, "items": 8, "gross": Decimal("82.27"), "refunds": Decimal("40.00"),
                              "net": Decimal("42.27")}


def test_totals_are_the_sums_of_the_days(app, admin, customer, report, add_event):
    """The totals row adds up the day rows, to the cent."""
    p = make_product(app)
    for day, price in ((1, "0.10"), (2, "0.20"), (2, "0.70"), (4, "1234.56")):
        order = make_order(app, customer.customer_id, [(p, 3)], price=price, status="confirmed", created_at=at(day))
        if day == 2:
            add_event(order, at(4, 1))

    body = report(admin, "/api/reports/sales?from=2025-03-01&to=2025-03-05")

    assert len(body["days"]) == 5
    for key in FIGURES:
        assert body["totals"][key] == sum(day[key] for day in body["days"])
    assert body["totals"]["gross"] == Decimal("3746.68")  # 4 x 10.00 shipping + 3 x 1235.56
    assert body["totals"]["refunds"] == Decimal("22.70")  # 10.60 + 12.10, on cent amounts a float sum would blur


def test_a_refund_through_the_api_counts_on_the_day_it_was_made(app, client, admin, customer, report):
    """The real refund endpoint, run on 2025-06-12: the order stays in gross on 06-10, its refund lands on 06-12."""
    p = make_product(app)
    order = make_order(app, customer.customer_id, [(p, 2)], price="12.50", status="confirmed",
                       created_at=datetime(2025, 6, 10, 10, tzinfo=UTC))
    with time_machine.travel(datetime(2025, 6, 12, 23, 30, tzinfo=UTC), tick=False):
        refunder = make_user(app, "admin")
        response = client.post(f"/api/orders/{order}/refund", json={"reason": "Broken"}, headers=refunder.headers)
        assert response.status_code == 200, response.get_json()

    body = report(admin, "/api/reports/sales?from=2025-06-10&to=2025-06-13")

    assert body["days"] == [
        row("2025-06-10", 1, 2, "35.00", "0.00", "35.00"),
        row("2025-06-11", 0, 0, "0.00", "0.00", "0.00"),
        row("2025-06-12", 0, 0, "0.00", "35.00", "-35.00"),
        row("2025-06-13", 0, 0, "0.00", "0.00", "0.00"),
    ]


def test_random_orders_add_up_to_a_plain_python_sum(app, admin, customer, report, add_event):
    """50 seeded random orders (statuses, days inside and outside the range, prices, refunds): every day and the
    totals equal the sums computed here from the orders themselves."""
    rng = random.Random(1414)
    products = [make_product(app) for _ in range(4)]
    first, last = date(2025, 5, 1), date(2025, 5, 20)
    expected = defaultdict(lambda: dict.fromkeys(FIGURES, 0))
    for _ in range(50):
        created = datetime(2025, 4, 25, tzinfo=UTC) + timedelta(days=rng.randint(0, 30),
                                                                  seconds=rng.choice([0, 86399, rng.randint(0, 86399)]))
        status = rng.choice(values(OrderStatus))
        price = Decimal(rng.randint(1, 50000)) / 100
        lines = [(product, rng.randint(1, 5)) for product in rng.sample(products, rng.randint(1, 3))]
        order = make_order(app, customer.customer_id, lines, price=str(price), status=status, created_at=created)
        units = sum(quantity for _, quantity in lines)
        total = price * units + Decimal("10.00")  # the factory's orders: no tax, 10.00 shipping
        if status != "cancelled" and first <= created.date() <= last:
            day = expected[created.date()]
            day["orders"] += 1
            day["items"] += units
            day["gross"] += total
        if status == "refunded":
            refunded = created + timedelta(days=rng.randint(0, 10), hours=rng.randint(0, 5))
            add_event(order, refunded)
            if first <= refunded.date() <= last:
                expected[refunded.date()]["refunds"] += total

    body = report(admin, "/api/reports/sales?from=2025-05-01&to=2025-05-20")

    want_days = []
    for offset in range(20):
        day = first + timedelta(days=offset)
        figures = expected[day]
        want_days.append({"date": day.isoformat(), "orders": figures["orders"], "items": figures["items"],
                          "gross": Decimal(figures["gross"]), "refunds": Decimal(figures["refunds"]),
                          "net": Decimal(figures["gross"]) - Decimal(figures["refunds"])})
    assert body["days"] == want_days
    want_totals = {key: sum(figures[key] for figures in expected.values()) for key in ("orders", "items")}
    want_totals["gross"] = sum((figures["gross"] for figures in expected.values()), Decimal("0"))
    want_totals["refunds"] = sum((figures["refunds"] for figures in expected.values()), Decimal("0"))
    want_totals["net"] = want_totals["gross"] - want_totals["refunds"]
    assert body["totals"] == want_totals
    assert body["totals"]["orders"] > 10 and body["totals"]["refunds"] > 0  # the draw exercises every rule


def test_the_default_range_is_the_30_days_ending_today(app, admin, customer, report):
    """No dates: 30 rows, the last one today (UTC), today's order in it."""
    now = datetime.now(UTC)
    make_order(app, customer.customer_id, [(make_product(app), 1)], created_at=now)

    body = report(admin, "/api/reports/sales")

    today = now.date()
    assert (body["from"], body["to"]) == ((today - timedelta(days=29)).isoformat(), today.isoformat())
    assert [day["date"] for day in body["days"]] == [(today - timedelta(days=n)).isoformat() for n in range(29, -1, -1)]
    assert body["days"][-1]["orders"] == 1 and body["totals"]["gross"] == Decimal("20.00")


def test_the_report_runs_the_same_statements_for_1_or_40_orders(app, admin, customer, client, count_queries,
                                                                  add_event):
    """Computed by GROUP BY in the database: no statement per order or per day."""
    p = make_product(app)
    path = "/api/reports/sales?from=2025-03-01&to=2025-03-31"

    def statements():
        with count_queries() as seen:
            assert client.get(path, headers=admin.headers).status_code == 200
        return len(seen)

    add_event(make_order(app, customer.customer_id, [(p, 1)], status="refunded", created_at=at(2)), at(3))
    few = statements()
    for n in range(40):
        order = make_order(app, customer.customer_id, [(p, 1), (p, 2)], status="refunded", created_at=at(n % 28 + 1))
        add_event(order, at(n % 28 + 2))
    assert statements() == few
