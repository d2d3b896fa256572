"""The hourly refresh of the query planner's statistics: SQLite's ANALYZE, which SQLite never runs by itself."""
import os

from flask_migrate import upgrade
from sqlalchemy import text

from app import create_app
from app.extensions import db
from app.services import maintenance_service

MIGRATIONS = os.path.join(os.path.dirname(__file__), "..", "..", "migrations")
# The list's page 2 by price, as the repository renders it.
PAGE_BY_PRICE = ("SELECT products.id FROM products WHERE products.is_active IS 1 "
                 "ORDER BY products.price ASC, products.id ASC LIMIT 20 OFFSET 20")


def _plan():
    return " ".join(str(row[-1]) for row in db.session.connection().exec_driver_sql(
        "EXPLAIN QUERY PLAN " + PAGE_BY_PRICE))


def test_postgresql_is_left_to_autovacuum(app):
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            assert maintenance_service.refresh_statistics() is False
        else:  # the shared test database is never analyzed: its plans stay those of a fresh install
            assert db.session.scalar(text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")) == 0
        db.session.remove()


def test_the_price_order_reads_the_price_index_once_sqlite_has_statistics(tmp_path):
    # A database of its own: statistics stay in a file, and the session's shared one must keep none.
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'stats.db'}"})
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        db.session.execute(text("INSERT INTO categories (name, slug, is_active, position, created_at, updated_at) "
                                "VALUES ('Items', 'items', 1, 0, datetime('now'), datetime('now'))"))
        db.session.execute(text(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) "
            "INSERT INTO products (name, slug, price, sku, stock_quantity, category_id, is_active, is_featured, "
            "created_at, updated_at) SELECT 'Item ' || i, 'item-' || i, i % 97, 'ITEM-' || i, 1, 1, 1, 0, "
            "datetime('now'), datetime('now') FROM n"))
        db.session.commit()
        # Without statistics the is_active index looks narrow: every active row is read, then sorted.
        assert "USE TEMP B-TREE FOR ORDER BY" in _plan()
        assert maintenance_service.refresh_statistics() is True
        plan = _plan()
        assert "ix_products_price" in plan and "TEMP B-TREE" not in plan, plan
        assert db.session.scalar(text("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'products'")) > 0
        db.session.remove()
    page = app.test_client().get("/api/products?page=2&sort=price&per_page=20").get_json()["products"]
    assert [product["price"] for product in page] == [1.0] * 20  # prices 0-96: twenty at 0, then twenty-one at 1
    with app.app_context():
        db.engine.dispose()
