"""Database upkeep that the database does not do by itself."""
from sqlalchemy import text

from app.extensions import db

ANALYSIS_LIMIT = 1000  # rows sampled per index: an approximate ANALYZE, a few milliseconds at any catalog size


def refresh_planner_statistics():
    """SQLite: a sampled ANALYZE, which it never runs on its own; True when run (PostgreSQL's autovacuum analyzes).

    Without statistics SQLite takes any equality index for a narrow one: the product list sorted by price at 100k
    products filtered through the is_active index and sorted every active row (50 ms) instead of reading the price
    index in order.
    """
    if db.session.get_bind().dialect.name != "sqlite":
        return False
    db.session.execute(text(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}"))
    db.session.execute(text("ANALYZE"))
    return True
