"""A manager's reports start inside their 30-day window, as their order views do; an admin's do not."""
from datetime import datetime, timezone
from decimal import Decimal

import pytest
import time_machine

from tests.factories import make_order, make_product, make_user

NOW = datetime(2025, 8, 15, 10, 0, tzinfo=timezone.utc)  # a manager's window opens at 2025-07-16 10:00


@pytest.fixture
def shop(app):
    """Orders 40 days old, on the window's first (partial) day, and 2 days old; staff whose tokens are of NOW."""
    with time_machine.travel(NOW, tick=False):
        customer = make_user(app, "customer")
        product = make_product(app, name="Lamp", sku="LAMP-1")
        for created, quantity in ((datetime(2025, 7, 6, 9, tzinfo=timezone.utc), 4),
                                  (datetime(2025, 7, 16, 11, tzinfo=timezone.utc), 2),
                                  (datetime(2025, 8, 13, 9, tzinfo=timezone.utc), 1)):
            make_order(app, customer.customer_id, [(product, quantity)], status="delivered", created_at=created)
        staff = {"admin": make_user(app, "admin"), "manager": make_user(app, "manager")}
    return staff


def _get(client, shop, role, path):
    with time_machine.travel(NOW, tick=False):
        response = client.get(path, headers=shop[role].headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_a_manager_does_not_get_an_order_40_days_old_that_an_admin_gets(client, shop):
    path = "/api/reports/sales?from=2025-07-01&to=2025-08-15"
    admin = _get(client, shop, "admin", path)
    manager = _get(client, shop, "manager", path)

    assert (admin["from"], admin["clamped"], len(admin["days"])) == ("2025-07-01", False, 46)
    assert admin["totals"]["orders"] == 3 and admin["totals"]["items"] == 7
    # The first whole day of the window: the order of 07-16 11:00 is in a manager's order list, not in a day row.
    assert (manager["from"], manager["to"], manager["clamped"]) == ("2025-07-17", "2025-08-15", True)
    assert [day["date"] for day in manager["days"]][::29] == ["2025-07-17", "2025-08-15"]
    assert len(manager["days"]) == 30
    assert manager["totals"] == {"orders": 1, "items": 1, "gross": 20.0, "refunds": 0.0, "net": 20.0}
    assert manager["days"][-3] == {"date": "2025-08-13", "orders": 1, "items": 1, "gross": 20.0, "refunds": 0.0,
                                   "net": 20.0}


def test_a_managers_default_range_is_not_clamped(client, shop):
    body = _get(client, shop, "manager", "/api/reports/sales")
    assert (body["from"], body["to"], body["clamped"]) == ("2025-07-17", "2025-08-15", False)


def test_a_range_wholly_before_the_window_is_empty_for_a_manager(client, shop):
    body = _get(client, shop, "manager", "/api/reports/sales?from=2025-07-01&to=2025-07-10")
    assert (body["from"], body["to"], body["clamped"], body["days"]) == ("2025-07-17", "2025-07-10", True, [])
    assert body["totals"] == {"orders": 0, "items": 0, "gross": 0.0, "refunds": 0.0, "net": 0.0}
    assert _get(client, shop, "admin", "/api/reports/sales?from=2025-07-01&to=2025-07-10")["totals"]["orders"] == 1


def test_top_products_of_a_manager_leave_out_older_orders(client, shop):
    path = "/api/reports/top-products?from=2025-07-01&to=2025-08-15"
    admin = _get(client, shop, "admin", path)["products"]
    manager = _get(client, shop, "manager", path)
    assert [(p["name"], p["sku"], p["units"], Decimal(str(p["revenue"]))) for p in admin] == [
        ("Lamp", "LAMP-1", 7, Decimal("70.00"))]
    assert (manager["from"], manager["clamped"]) == ("2025-07-17", True)
    assert [(p["units"], Decimal(str(p["revenue"]))) for p in manager["products"]] == [(1, Decimal("10.00"))]
