"""The seed data set of the reference shop, loaded through the same rules as the running API."""
import random
import time

from sqlalchemy import text

from app.extensions import db
from app.seed.accounts import seed_accounts
from app.seed.catalog import seed_categories, seed_products, seed_variant_products
from app.seed.discounts import seed_discounts
from app.seed.orders import seed_orders
from app.seed.shipping import seed_shipping_methods
from app.services import events_service

SEED = 2026  # a fixed seed: every run builds the same shop


def reset_data():
    """Delete every row of every table (the schema stays)."""
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(text(f"DELETE FROM {table.name}"))
    db.session.commit()


def run_seed(reset=False, log=print):
    """Load accounts, catalog and orders; parts already present are left alone, so a rerun adds nothing."""
    started = time.perf_counter()
    if reset:
        reset_data()
        log("reset: all rows deleted")
    rng = random.Random(SEED)
    with events_service.silenced():
        seed_accounts(log)
        category_ids = seed_categories(log)
        seed_products(category_ids, rng, log)
        seed_shipping_methods(log)
        seed_discounts(log)
        seed_orders(rng, log)
        seed_variant_products(category_ids, log)  # after the orders: they buy products sold as one item
    log(f"seed finished in {time.perf_counter() - started:.1f}s")
