"""Seed discount codes: ten percent once per customer, and five off a subtotal of 25.00 or more."""
from decimal import Decimal

from sqlalchemy import select

from app.enums import DiscountKind
from app.extensions import db
from app.models import Discount

CODES = (
    {"code": "WELCOME10", "kind": DiscountKind.PERCENT, "value": Decimal("10.00"), "per_customer_limit": 1},
    {"code": "SAVE5", "kind": DiscountKind.FIXED, "value": Decimal("5.00"), "min_subtotal": Decimal("25.00")},
)


def seed_discounts(log):
    """The seed codes; existing codes are kept as they are."""
    existing = set(db.session.scalars(select(Discount.code)))
    db.session.add_all(Discount(**fields, is_active=True, times_used=0)
                       for fields in CODES if fields["code"] not in existing)
    db.session.commit()
    log(f"discounts: {len(CODES)}")
