"""Seed shipping methods: standard everywhere (free from 50.00), express to five countries, pickup in the US."""
from decimal import Decimal

from sqlalchemy import select

from app.extensions import db
from app.models import ShippingMethod

METHODS = [
    {"code": "standard", "name": "Standard shipping", "price": Decimal("5.99"), "free_over": Decimal("50.00"),
     "countries": [], "sort_order": 1},
    {"code": "express", "name": "Express shipping", "price": Decimal("14.99"), "free_over": None,
     "countries": ["CA", "DE", "FR", "GB", "US"], "sort_order": 2},
    {"code": "pickup", "name": "Store pickup", "price": Decimal("0.00"), "free_over": None, "countries": ["US"],
     "sort_order": 3},
]


def seed_shipping_methods(log):
    """The seed's shipping methods; a code already present is kept as it is."""
    existing = set(db.session.scalars(select(ShippingMethod.code)))
    db.session.add_all(ShippingMethod(**method, is_active=True) for method in METHODS if method["code"] not in existing)
    db.session.commit()
    log(f"shipping methods: {len(METHODS)}")
