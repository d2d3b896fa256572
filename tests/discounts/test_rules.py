"""The rules of a discount code, each at its exact boundary, in the order the checkout meets them."""
from datetime import timedelta

import pytest

from tests.discounts.conftest import NOW
from tests.factories import make_discount, make_order, make_user

SECOND = timedelta(seconds=1)


def test_an_active_code_without_bounds_applies(app, refusal):
    assert refusal(make_discount(app), "0.01") is None


def test_an_inactive_code_is_unknown(app, refusal):
    assert refusal(make_discount(app, is_active=False), "100.00") == "DISCOUNT_UNKNOWN"


def test_starts_at_now_applies_a_second_earlier_it_has_not_started(app, refusal):
    discount_id = make_discount(app, starts_at=NOW)
    assert refusal(discount_id, "10.00", at=NOW) is None
    assert refusal(discount_id, "10.00", at=NOW - SECOND) == "DISCOUNT_NOT_STARTED"


def test_ends_at_now_is_expired_a_second_earlier_it_applies(app, refusal):
    discount_id = make_discount(app, ends_at=NOW)
    assert refusal(discount_id, "10.00", at=NOW) == "DISCOUNT_EXPIRED"
    assert refusal(discount_id, "10.00", at=NOW - SECOND) is None


def test_without_at_the_rules_use_the_current_time(app, refusal):
    past, future = NOW.replace(year=2000), NOW.replace(year=2999)
    assert refusal(make_discount(app, ends_at=past), "10.00", at=None) == "DISCOUNT_EXPIRED"
    assert refusal(make_discount(app, starts_at=future), "10.00", at=None) == "DISCOUNT_NOT_STARTED"
    assert refusal(make_discount(app, starts_at=past, ends_at=future), "10.00", at=None) is None


def test_a_subtotal_of_exactly_min_subtotal_applies_a_cent_less_does_not(app, refusal):
    discount_id = make_discount(app, kind="fixed", value="5.00", min_subtotal="25.00")
    assert refusal(discount_id, "25.00") is None
    assert refusal(discount_id, "24.99") == "DISCOUNT_MIN_SUBTOTAL"


def test_a_min_subtotal_of_zero_takes_any_subtotal(app, refusal):
    assert refusal(make_discount(app, min_subtotal="0.00"), "0.00") is None


def test_usage_limit_reached_is_exhausted(app, refusal):
    assert refusal(make_discount(app, usage_limit=3, times_used=2), "10.00") is None
    assert refusal(make_discount(app, usage_limit=3, times_used=3), "10.00") == "DISCOUNT_EXHAUSTED"


def test_per_customer_limit_counts_the_customers_standing_orders(app, refusal, customer, other_customer):
    discount_id = make_discount(app, per_customer_limit=2)
    make_order(app, customer.customer_id, discount_id=discount_id)
    assert refusal(discount_id, "10.00", customer.customer_id) is None
    make_order(app, customer.customer_id, discount_id=discount_id, status="shipped")
    assert refusal(discount_id, "10.00", customer.customer_id) == "DISCOUNT_EXHAUSTED"
    assert refusal(discount_id, "10.00", other_customer.customer_id) is None
    assert refusal(discount_id, "10.00") is None  # no customer given: only the global limit is checked


def test_cancelled_and_refunded_orders_do_not_count(app, refusal, customer):
    discount_id = make_discount(app, per_customer_limit=1)
    make_order(app, customer.customer_id, discount_id=discount_id, status="cancelled")
    make_order(app, customer.customer_id, discount_id=discount_id, status="refunded")
    make_order(app, customer.customer_id, discount_id=make_discount(app))  # another code
    make_order(app, customer.customer_id)  # no code
    assert refusal(discount_id, "10.00", customer.customer_id) is None


@pytest.mark.parametrize("status", ["pending", "confirmed", "processing", "shipped", "delivered"])
def test_every_stock_holding_status_counts(app, refusal, customer, status):
    discount_id = make_discount(app, per_customer_limit=1)
    make_order(app, customer.customer_id, discount_id=discount_id, status=status)
    assert refusal(discount_id, "10.00", customer.customer_id) == "DISCOUNT_EXHAUSTED"


def test_uses_by_customer_counts_exactly(app, in_app, customer, other_customer):
    from app.repositories import discount_repository

    discount_id = make_discount(app)
    for status in ("pending", "delivered", "processing", "cancelled", "refunded"):
        make_order(app, customer.customer_id, discount_id=discount_id, status=status)
    make_order(app, other_customer.customer_id, discount_id=discount_id)
    assert in_app(lambda: discount_repository.uses_by_customer(discount_id, customer.customer_id)) == 3
    assert in_app(lambda: discount_repository.uses_by_customer(discount_id, other_customer.customer_id)) == 1


@pytest.mark.parametrize(("fields", "subtotal", "expected"), [
    ({"is_active": False, "ends_at": NOW}, "10.00", "DISCOUNT_UNKNOWN"),
    ({"starts_at": NOW + SECOND, "min_subtotal": "50.00"}, "10.00", "DISCOUNT_NOT_STARTED"),
    ({"ends_at": NOW, "min_subtotal": "50.00", "usage_limit": 1, "times_used": 1}, "10.00", "DISCOUNT_EXPIRED"),
    ({"min_subtotal": "50.00", "usage_limit": 1, "times_used": 1}, "10.00", "DISCOUNT_MIN_SUBTOTAL"),
], ids=["inactive-first", "not-started-before-min", "expired-before-min", "min-before-exhausted"])
def test_the_first_broken_rule_is_reported(app, refusal, fields, subtotal, expected):
    assert refusal(make_discount(app, **fields), subtotal) == expected


def test_applicable_finds_the_code_in_any_case(app, applied):
    discount_id = make_discount(app, code="SAVE10")
    assert applied("save10", "10.00") == discount_id
    assert applied("SaVe10", "10.00") == discount_id
    assert applied(" SAVE10 ", "10.00") == discount_id


@pytest.mark.parametrize("code", ["NOPE", "", None, 10, "SAVE1", "SAVE100", "SAVE_10", "ﬀ10"])
def test_applicable_refuses_an_unknown_code(app, applied, code):
    make_discount(app, code="SAVE10")
    make_discount(app, code="FF10")
    assert applied(code, "10.00") == "DISCOUNT_UNKNOWN"


def test_applicable_refuses_an_inactive_code_as_unknown(app, applied):
    make_discount(app, code="OLD", is_active=False)
    assert applied("old", "10.00") == "DISCOUNT_UNKNOWN"


def test_applicable_checks_the_rules(app, applied, customer):
    make_discount(app, code="LATE", ends_at=NOW)
    big = make_discount(app, code="BIG", min_subtotal="100.00")
    once = make_discount(app, code="ONCE", per_customer_limit=1)
    make_order(app, customer.customer_id, discount_id=once)
    assert applied("late", "10.00") == "DISCOUNT_EXPIRED"
    assert applied("big", "99.99") == "DISCOUNT_MIN_SUBTOTAL"
    assert applied("big", "100.00") == big
    assert applied("once", "10.00", customer.customer_id) == "DISCOUNT_EXHAUSTED"
    assert applied("once", "10.00", make_user(app).customer_id) == once
