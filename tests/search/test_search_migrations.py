"""Migrations 0013 (the facets' option pairs) and 0014 (PostgreSQL's trigram indexes for the name search)."""
import os

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from app.extensions import db
from tests.factories import make_variant_product
from tests.search.conftest import STAFF_LIST, search

MIGRATIONS = os.path.join(os.path.dirname(__file__), "..", "..", "migrations")
TRIGRAM_INDEXES = {"ix_products_name_trgm", "ix_products_description_trgm"}
SIZE_COLOUR = [{"name": "size", "values": ["S", "M"]}, {"name": "colour", "values": ["Red", "Blue"]}]


def _pairs():
    return db.session.execute(text(
        "SELECT product_id, name, value FROM product_option_values ORDER BY product_id, name, value")).all()


def test_the_pairs_of_existing_variants_are_filled_and_the_downgrade_drops_them(app, client, shop):
    shirt, _ = make_variant_product(app, shop["Accessories"], options=SIZE_COLOUR, name="Linen Shirt", variants=[
        {"size": "S", "colour": "Red"}, {"size": "M", "colour": "Red"}, {"size": "M", "colour": "Blue",
                                                                          "is_active": False}])
    with app.app_context():
        downgrade(directory=MIGRATIONS, revision="0012")
        try:
            db.session.commit()
            assert "product_option_values" not in inspect(db.engine).get_table_names()
        finally:
            upgrade(directory=MIGRATIONS)
        assert _pairs() == [(shirt, "colour", "Red"), (shirt, "size", "M"), (shirt, "size", "S")]
        db.session.remove()
    assert client.get("/api/products/facets?q=linen").get_json()["options"] == {
        "colour": {"Red": 1}, "size": {"M": 1, "S": 1}}


def test_a_cold_name_search_reads_the_trigram_indexes_on_postgresql(app, client, shop, count_queries):
    with app.app_context():
        indexes = {index["name"] for index in inspect(db.engine).get_indexes("products")}
        if db.engine.dialect.name != "postgresql":
            assert not indexes & TRIGRAM_INDEXES  # SQLite's LIKE scans, as it always did
            return
        assert TRIGRAM_INDEXES <= indexes
        # Enough rows for the planner to prefer the trigram indexes to a scan (or the is_active index) for the app's
        # own statement; at 100k products: bench/search_bench.py.
        db.session.execute(text(
            "INSERT INTO products (name, slug, description, price, sku, stock_quantity, category_id, is_active, "
            "is_featured, created_at, updated_at) SELECT 'Filler ' || n, 'filler-' || n, 'Plain item ' || n, 1, "
            "'FILL-' || n, 1, :category, true, false, now(), now() FROM generate_series(1, 3000) AS n"),
            {"category": shop["Accessories"]})
        db.session.commit()
        # What autovacuum does: the indexes' pending entries merged (the planner prices a long pending list), stats.
        db.session.execute(text("SELECT gin_clean_pending_list(name::regclass) FROM unnest(:names) AS name"),
                           {"names": sorted(TRIGRAM_INDEXES)})
        db.session.execute(text("ANALYZE products"))
        db.session.commit()
    with count_queries() as statements:
        assert search(client, "search_type=name&search_value=STAND") == ["Laptop Stand"]
    count = next(statement for statement in statements if statement.startswith("SELECT count(*)"))
    with app.app_context():
        plan = " ".join(db.session.scalars(text("EXPLAIN " + count.replace("%%", "%").replace(
            "%(name_1)s", "'stand'").replace("%(description_1)s", "'stand'"))))
        db.session.rollback()
    assert "ix_products_name_trgm" in plan and "ix_products_description_trgm" in plan, plan
    assert search(client, "search_type=name&search_value=fits any") == ["Carry Bag"]


def test_sqlite_finds_a_name_search_through_its_trigram_table(app, client, shop, count_queries):
    with count_queries() as statements:
        assert search(client, "search_type=name&search_value=STAND") == ["Laptop Stand"]
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            assert "products_substrings" not in inspect(db.engine).get_table_names()
            return
        count = next(statement for statement in statements if statement.startswith("SELECT count(*)"))
        plan = " ".join(str(row[-1]) for row in db.session.connection().exec_driver_sql(
            "EXPLAIN QUERY PLAN " + count, ('"STAND"',)))
        db.session.rollback()
    assert "products_substrings MATCH" in count and "VIRTUAL TABLE INDEX" in plan, (count, plan)


def test_the_name_search_follows_product_writes_and_reads_any_text(app, client, manager, admin, shop):
    assert set(search(client, "search_type=name&search_value=st")) == {  # two letters: a scan
        "Laptop Pro 15", "Laptop Stand", "Studio Headphones"}
    assert search(client, "search_type=name&search_value=fits any") == ["Carry Bag"]  # the description
    assert client.put(f"/api/products/{shop['Carry Bag']}", json={"name": "Travel Sack 100% wool"},
                      headers=manager.headers).status_code == 200
    assert search(client, "search_type=name&search_value=carry") == []
    assert search(client, "search_type=name&search_value=sack 100%25") == ["Travel Sack 100% wool"]
    assert search(client, "search_type=name&search_value=k 1_0") == []  # _ and % are letters, not wildcards
    assert search(client, "search_type=name&search_value=%22wool%22") == []
    assert client.delete(f"/api/products/{shop['Laptop Stand']}", headers=admin.headers).status_code == 200
    assert search(client, "search_type=name&search_value=stand") == []  # a soft delete: staff still find it
    assert search(client, "search_type=name&search_value=stand", headers=admin.headers, path=STAFF_LIST) == [
        "Laptop Stand"]
    with app.app_context():
        db.session.execute(text("DELETE FROM products WHERE id = :id"), {"id": shop["Laptop Stand"]})
        db.session.commit()
        if db.engine.dialect.name == "sqlite":  # the row left the trigram table with it
            assert db.session.scalar(text("SELECT count(*) FROM products_substrings WHERE rowid = :id"),
                                     {"id": shop["Laptop Stand"]}) == 0
        db.session.remove()
    assert search(client, "search_type=name&search_value=stand", headers=admin.headers, path=STAFF_LIST) == []
